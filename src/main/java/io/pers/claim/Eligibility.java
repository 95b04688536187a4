package io.pers.claim;

import io.pers.api.ErrorCode;
import io.pers.campaign.ClaimTerms;
import io.pers.campaign.ClaimTerms.Engagement;
import io.pers.campaign.ClaimTerms.Trigger;
import io.pers.campaign.CountryRestrictions;
import io.pers.claim.Claims.Claim;
import io.pers.expression.Expressions;
import io.pers.segment.Segments;
import io.pers.user.Users.User;
import io.pers.workflow.claim.ClaimTuning;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The rules a claim must pass, each with a stable rejection code. {@link #judge} runs them all;
 * {@link #judgeCounts} runs the ones that count earlier claims, which the mint step runs again
 * under the claim's locks so that caps hold under concurrency. BUDGET_EXHAUSTED is the mint's
 * own verdict: budget is taken in the mint's transaction.
 */
@Component
class Eligibility {

    private static final double EARTH_RADIUS_METERS = 6_371_008.8;

    private final Claims claims;
    private final Expressions expressions;
    private final Segments segments;
    private final ClaimTuning tuning;

    Eligibility(Claims claims, Expressions expressions, Segments segments, ClaimTuning tuning) {
        this.claims = claims;
        this.expressions = expressions;
        this.segments = segments;
        this.tuning = tuning;
    }

    /**
     * @param decidedAt the workflow's clock; a claim with an event time is judged at that time
     *     instead, unless it lies beyond the configured skew or horizon (EVENT_TIME_OUT_OF_RANGE)
     */
    Optional<ErrorCode> judge(Claim claim, ClaimTerms terms, User user, Instant decidedAt) {
        if (!terms.active()) {
            return Optional.of(ErrorCode.CAMPAIGN_INACTIVE);
        }
        if (claim.occurredAt() != null && !eventTimeBelievable(claim.occurredAt(), decidedAt)) {
            return Optional.of(ErrorCode.EVENT_TIME_OUT_OF_RANGE);
        }
        Instant at = claim.judgedAt(decidedAt);
        if (!terms.runsAt(at)) {
            return Optional.of(ErrorCode.OUTSIDE_WINDOW);
        }
        Trigger trigger = terms.trigger();
        if (trigger != null && !callerAllowed(trigger, claim.callerRole())) {
            return Optional.of(ErrorCode.CALLER_NOT_ALLOWED);
        }
        if (!terms.segmentIds().isEmpty() && !segments.inAny(terms.segmentIds(), user.id())) {
            return Optional.of(ErrorCode.NOT_IN_SEGMENT);
        }
        if (!CountryRestrictions.allowed(terms.countryCodeRestrictions(), claim.countryCode())) {
            return Optional.of(ErrorCode.COUNTRY_RESTRICTED);
        }
        if (trigger != null && trigger.maxGeoDistanceMeters() != null && !near(trigger, claim)) {
            return Optional.of(ErrorCode.TOO_FAR);
        }
        if (trigger != null && !hasRequiredInfo(trigger.requiredUserInfo(), user)) {
            return Optional.of(ErrorCode.MISSING_USER_INFO);
        }
        if (trigger != null && !conditionsHold(trigger.conditions(), claim, user)) {
            return Optional.of(ErrorCode.CONDITION_FALSE);
        }
        if (claim.businessId() != null && !terms.engagements().containsKey(claim.businessId())) {
            return Optional.of(ErrorCode.BUSINESS_NOT_ENGAGED);
        }
        return judgeCounts(claim, terms, at);
    }

    /**
     * A source's clock may run a little ahead (max-skew); an event older than the horizon
     * (max-age) is a replay or a backlog too stale to be judged against today's caps and budget.
     */
    private boolean eventTimeBelievable(Instant occurredAt, Instant decidedAt) {
        return tuning.eventTime().believable(occurredAt, decidedAt);
    }

    /** The rules that count the user's and the business's earlier claims, around the judged instant. */
    Optional<ErrorCode> judgeCounts(Claim claim, ClaimTerms terms, Instant at) {
        Trigger trigger = terms.trigger();
        Instant dayStart =
                at.atOffset(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).toInstant();
        Instant dayEnd = dayStart.plus(1, ChronoUnit.DAYS);
        if (trigger != null
                && trigger.maxPerUser() != null
                && claims.mintedByUser(claim.campaignId(), claim.userId(), null, null) >= trigger.maxPerUser()) {
            return Optional.of(ErrorCode.MAX_PER_USER);
        }
        if (trigger != null
                && trigger.maxPerDay() != null
                && claims.mintedByUser(claim.campaignId(), claim.userId(), dayStart, dayEnd) >= trigger.maxPerDay()) {
            return Optional.of(ErrorCode.MAX_PER_DAY);
        }
        // Events may arrive out of order: the cooldown keeps claims apart on both sides of this one.
        if (trigger != null && trigger.minCooldownSeconds() != null) {
            Duration cooldown = Duration.ofSeconds(trigger.minCooldownSeconds());
            if (claims.mintedByUser(
                            claim.campaignId(),
                            claim.userId(),
                            at.minus(cooldown).plusNanos(1_000),
                            at.plus(cooldown))
                    > 0) {
                return Optional.of(ErrorCode.COOLDOWN);
            }
        }
        Engagement engagement =
                claim.businessId() == null ? null : terms.engagements().get(claim.businessId());
        if (engagement != null && overBusinessCaps(claim, engagement, dayStart, dayEnd)) {
            return Optional.of(ErrorCode.BUSINESS_CAP);
        }
        return Optional.empty(); // budget is taken, atomically, by the mint itself
    }

    private boolean overBusinessCaps(Claim claim, Engagement engagement, Instant dayStart, Instant dayEnd) {
        return (engagement.maxPerBusiness() != null
                        && claims.mintedByBusiness(claim.campaignId(), claim.businessId(), null, null)
                                >= engagement.maxPerBusiness())
                || (engagement.maxPerDay() != null
                        && claims.mintedByBusiness(claim.campaignId(), claim.businessId(), dayStart, dayEnd)
                                >= engagement.maxPerDay());
    }

    /** An admin may claim under any trigger; otherwise the trigger names who claims. */
    private static boolean callerAllowed(Trigger trigger, String callerRole) {
        return switch (trigger.type()) {
            case CLAIM_BY_USER -> callerRole.equals("USER") || callerRole.equals("ADMIN");
            case CLAIM_BY_BUSINESS -> callerRole.equals("BUSINESS") || callerRole.equals("ADMIN");
            case CLAIM_BY_SYSTEM -> callerRole.equals("SYSTEM") || callerRole.equals("ADMIN");
        };
    }

    /** Haversine distance between the claim and the trigger's location. */
    static boolean near(Trigger trigger, Claim claim) {
        if (claim.latitude() == null || claim.longitude() == null) {
            return false;
        }
        double dLat = Math.toRadians(claim.latitude() - trigger.latitude());
        double dLon = Math.toRadians(claim.longitude() - trigger.longitude());
        double a = Math.pow(Math.sin(dLat / 2), 2)
                + Math.cos(Math.toRadians(trigger.latitude()))
                        * Math.cos(Math.toRadians(claim.latitude()))
                        * Math.pow(Math.sin(dLon / 2), 2);
        double meters = 2 * EARTH_RADIUS_METERS * Math.asin(Math.sqrt(a));
        return meters <= trigger.maxGeoDistanceMeters();
    }

    private static boolean hasRequiredInfo(List<String> required, User user) {
        for (String field : required) {
            String value =
                    switch (field) {
                        case "email" -> user.email();
                        case "firstName" -> user.firstName();
                        case "lastName" -> user.lastName();
                        case "externalId" -> user.externalId();
                        default -> null;
                    };
            if (value == null || value.isBlank()) {
                return false;
            }
        }
        return true;
    }

    private boolean conditionsHold(List<String> conditions, Claim claim, User user) {
        if (conditions.isEmpty()) {
            return true;
        }
        Map<String, Object> variables =
                Map.of("user", userVariables(user), "claim", claimVariables(claim), "data", claim.conditionsData());
        return conditions.stream().allMatch(condition -> expressions.holds(condition, variables));
    }

    private static Map<String, Object> userVariables(User user) {
        Map<String, Object> map = new HashMap<>();
        map.put("id", user.id().toString());
        putIfPresent(map, "email", user.email());
        putIfPresent(map, "externalId", user.externalId());
        putIfPresent(map, "firstName", user.firstName());
        putIfPresent(map, "lastName", user.lastName());
        map.put("customData", user.customData());
        return map;
    }

    private static Map<String, Object> claimVariables(Claim claim) {
        Map<String, Object> map = new HashMap<>();
        map.put("multiplier", (long) claim.multiplier());
        putIfPresent(map, "latitude", claim.latitude());
        putIfPresent(map, "longitude", claim.longitude());
        putIfPresent(map, "countryCode", claim.countryCode());
        putIfPresent(
                map,
                "businessId",
                claim.businessId() == null ? null : claim.businessId().toString());
        putIfPresent(
                map,
                "triggerSourceId",
                claim.triggerSourceId() == null ? null : claim.triggerSourceId().toString());
        return map;
    }

    private static void putIfPresent(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
