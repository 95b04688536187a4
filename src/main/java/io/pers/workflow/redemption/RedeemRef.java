package io.pers.workflow.redemption;

import java.util.UUID;

/**
 * The redeem a workflow or activity works on. The redeem id is the idempotency key of every
 * activity and of its compensation: a retried step finds its own earlier effect by it.
 */
public record RedeemRef(UUID tenantId, UUID redeemId) {}
