package io.pers.claim;

import java.util.UUID;

/**
 * A connector's claim was rejected (published in the rejecting transaction, to synchronous
 * listeners): the ingest event it was made for takes the rejection as its outcome.
 *
 * @param code the claim's rejection code, e.g. EVENT_TIME_OUT_OF_RANGE
 */
public record ClaimRejected(UUID claimId, UUID ingestEventId, String code, UUID mappingId, Integer mappingVersion) {}
