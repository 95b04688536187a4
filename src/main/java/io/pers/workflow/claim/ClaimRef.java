package io.pers.workflow.claim;

import java.util.UUID;

/**
 * The claim a workflow or activity works on. The claim id is the idempotency key of every
 * activity: a retried step finds its own earlier effect by it.
 */
public record ClaimRef(UUID tenantId, UUID claimId) {}
