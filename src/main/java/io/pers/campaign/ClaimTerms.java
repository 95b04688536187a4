package io.pers.campaign;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Everything a claim on a campaign is judged by, read in one place so the claim decision does
 * not reach into the campaign tables.
 */
public record ClaimTerms(
        UUID campaignId,
        boolean active,
        boolean testnet,
        Instant startDate,
        Instant endDate,
        List<String> countryCodeRestrictions,
        Trigger trigger,
        List<TokenUnit> tokenUnits,
        Map<UUID, Engagement> engagements,
        List<UUID> segmentIds) {

    /** Whether the campaign's dates take in the instant: from its start, up to but not at its end. */
    public boolean runsAt(Instant at) {
        return (startDate == null || !at.isBefore(startDate)) && (endDate == null || at.isBefore(endDate));
    }

    /** The highest maxMultiplier a trigger may be given (TriggerController validates it); a new trigger has 1. */
    public static final int MULTIPLIER_CAP = 1000;

    /**
     * Why a claim's multiplier is refused, naming the limit and how to raise it; empty when it is
     * allowed. A campaign without a trigger takes multiplier 1 only.
     */
    public Optional<String> multiplierRefusal(long multiplier) {
        int max = trigger == null ? 1 : trigger.maxMultiplier();
        if (multiplier <= max) {
            return Optional.empty();
        }
        if (trigger == null) {
            return Optional.of("multiplier " + multiplier + " is above 1, the most a campaign without a trigger"
                    + " takes: give the campaign a trigger (triggerId) with a maxMultiplier up to " + MULTIPLIER_CAP);
        }
        if (multiplier > MULTIPLIER_CAP) {
            return Optional.of(
                    "multiplier " + multiplier + " is above " + MULTIPLIER_CAP
                            + ", the most a trigger's maxMultiplier allows: cap the multiplier, or let a token unit carry more");
        }
        return Optional.of("multiplier " + multiplier + " is above the trigger's maxMultiplier " + max
                + ": raise it with PATCH /v2/campaign-triggers/" + trigger.id() + " {\"maxMultiplier\": " + multiplier
                + "} (at most " + MULTIPLIER_CAP + ")");
    }

    public enum TriggerType {
        CLAIM_BY_USER,
        CLAIM_BY_BUSINESS,
        CLAIM_BY_SYSTEM
    }

    /** The campaign's trigger: who may claim and under which limits (null fields: no limit). */
    public record Trigger(
            UUID id,
            TriggerType type,
            Integer maxPerUser,
            Integer maxPerDay,
            Integer minCooldownSeconds,
            Integer maxGeoDistanceMeters,
            Double latitude,
            Double longitude,
            List<String> requiredUserInfo,
            int maxMultiplier,
            List<String> conditions) {}

    /** What one claim mints of a token (times the multiplier), and the campaign's budget in it. */
    public record TokenUnit(UUID id, UUID tokenId, BigInteger amount, BigInteger maxAmount) {}

    /** A partner business allowed to award the campaign, with its own caps. */
    public record Engagement(UUID businessId, Integer maxPerBusiness, Integer maxPerDay) {}
}
