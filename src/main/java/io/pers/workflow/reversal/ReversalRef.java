package io.pers.workflow.reversal;

import java.util.UUID;

/**
 * The reversal a workflow or activity works on: one refund event under one REVERSE mapping. The
 * reversal id, derived from that event's id, is the idempotency key of every step.
 */
public record ReversalRef(UUID tenantId, UUID reversalId) {}
