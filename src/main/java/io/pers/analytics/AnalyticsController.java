package io.pers.analytics;

import io.pers.analytics.Analytics.BusinessRank;
import io.pers.analytics.Analytics.CampaignDay;
import io.pers.analytics.Analytics.CampaignFigures;
import io.pers.analytics.Analytics.Circulation;
import io.pers.analytics.Analytics.RedemptionDay;
import io.pers.analytics.Analytics.RedemptionStatus;
import io.pers.analytics.Analytics.SourceEngagement;
import io.pers.analytics.Analytics.TokenDay;
import io.pers.analytics.Analytics.Users;
import io.pers.api.Allow;
import io.pers.api.ErrorCode;
import io.pers.api.Fails;
import io.pers.api.Role;
import io.pers.segment.Segments;
import io.pers.segment.Segments.Size;
import io.pers.segment.Segments.Sizes;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Figures for the people running a program, over {@code from}..{@code to} (ISO dates, UTC days,
 * both included; left out: the last 30 days). Each answer repeats the range it covers.
 */
@RestController
class AnalyticsController {

    enum RankBy {
        CLAIMS,
        REDEEMS
    }

    /** The query parameters from and to; a value that is no ISO date is a 400 VALIDATION_FAILED. */
    record Dates(
            @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
            @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to) {
        DateRange range() {
            return DateRange.of(from, to);
        }
    }

    record Report<T>(LocalDate from, LocalDate to, T data) {}

    private final Analytics analytics;
    private final Segments segments;

    AnalyticsController(Analytics analytics, Segments segments) {
        this.analytics = analytics;
        this.segments = segments;
    }

    /** Claims per campaign, day and status. */
    @Operation(
            operationId = "getClaimAnalytics",
            summary = "Claims per campaign, day and status",
            description = "Claims over `from`..`to` (ISO dates, UTC days, both included; left out: the last 30 days), "
                    + "counted per campaign, day and status. The answer repeats the range it covers.")
    @Fails({ErrorCode.INVALID_DATE_RANGE})
    @GetMapping("/v2/analytics/claims")
    @Allow(Role.ADMIN)
    Report<List<CampaignDay>> claims(Dates dates) {
        return report(dates, analytics::claimsPerCampaignDay);
    }

    /** One campaign's claims by status, the people they earned for, and what they issued. */
    @Operation(
            operationId = "getCampaignAnalytics",
            summary = "A campaign's figures",
            description = "One campaign's claims over the range (`from`..`to`, ISO dates; default the last 30 days), "
                    + "in all and per status, the people whose claims earned (each counted once), and what its "
                    + "claims issued per token (base units, net of compensations). Its budget is on the campaign's "
                    + "token units (`GET /v2/campaigns/{id}`: `maxAmount`, `usedAmount`, `remaining`). 404 for a "
                    + "campaign the tenant does not have.")
    @Fails({ErrorCode.INVALID_DATE_RANGE})
    @GetMapping("/v2/analytics/campaigns/{id}")
    @Allow(Role.ADMIN)
    Report<CampaignFigures> campaign(@PathVariable UUID id, Dates dates) {
        return report(dates, range -> analytics.campaign(id, range));
    }

    /** Users with a claim that earned, per day and over the range. */
    @Operation(
            operationId = "getUserAnalytics",
            summary = "Earning users per day",
            description = "Users with a claim that earned, per day and over the whole range (`from`..`to`, ISO dates; "
                    + "default the last 30 days).")
    @Fails({ErrorCode.INVALID_DATE_RANGE})
    @GetMapping("/v2/analytics/users")
    @Allow(Role.ADMIN)
    Report<Users> users(Dates dates) {
        return report(dates, analytics::uniqueUsers);
    }

    /** Claims per trigger source and caller kind. */
    @Operation(
            operationId = "getTriggerSourceAnalytics",
            summary = "Claims per trigger source and caller kind",
            description = "Claims over the range counted per trigger source and kind of caller (user, business, system,"
                    + " connector).")
    @Fails({ErrorCode.INVALID_DATE_RANGE})
    @GetMapping("/v2/analytics/trigger-sources")
    @Allow(Role.ADMIN)
    Report<List<SourceEngagement>> triggerSources(Dates dates) {
        return report(dates, analytics::triggerSources);
    }

    /** Minted, burned and transferred per token in the range; outstanding at its end. */
    @Operation(
            operationId = "getTokenAnalytics",
            summary = "Token flows",
            description = "Per token: minted, burned and transferred within the range (base units), and what is "
                    + "outstanding at its end; of what moved, `redeemed` (spent on redeems: burned, or moved to "
                    + "the business) and `expired` (burned by the expiry job).")
    @Fails({ErrorCode.INVALID_DATE_RANGE})
    @GetMapping("/v2/analytics/tokens")
    @Allow(Role.ADMIN)
    Report<List<Circulation>> tokens(Dates dates) {
        return report(dates, analytics::circulation);
    }

    /** Issued, redeemed and expired per token and day. */
    @Operation(
            operationId = "getTokenDayAnalytics",
            summary = "Tokens issued, redeemed and expired per day",
            description = "Per token and UTC day of the range with any ledger entry: `issued` (minted, as in "
                    + "`/v2/analytics/tokens`), `redeemed` (spent on redeems) and `expired` (burned by the expiry "
                    + "job), in base units.")
    @Fails({ErrorCode.INVALID_DATE_RANGE})
    @GetMapping("/v2/analytics/tokens/days")
    @Allow(Role.ADMIN)
    Report<List<TokenDay>> tokenDays(Dates dates) {
        return report(dates, analytics::tokenDays);
    }

    /** Redeems per redemption and status. */
    @Operation(
            operationId = "getRedemptionAnalytics",
            summary = "Redeems per redemption and status",
            description = "Redeems over the range, counted per redemption and status.")
    @Fails({ErrorCode.INVALID_DATE_RANGE})
    @GetMapping("/v2/analytics/redemptions")
    @Allow(Role.ADMIN)
    Report<List<RedemptionStatus>> redemptions(Dates dates) {
        return report(dates, analytics::redemptions);
    }

    /** Redeems per day, status and cost token. */
    @Operation(
            operationId = "getRedemptionDayAnalytics",
            summary = "Redeems per day",
            description = "Redeems asked for over the range, per UTC day, status (`PENDING`, `COMPLETED`, `FAILED`) "
                    + "and cost token: how many (`redeems`) and what they cost (`amount`, base units).")
    @Fails({ErrorCode.INVALID_DATE_RANGE})
    @GetMapping("/v2/analytics/redemptions/days")
    @Allow(Role.ADMIN)
    Report<List<RedemptionDay>> redemptionDays(Dates dates) {
        return report(dates, analytics::redemptionDays);
    }

    /** The businesses with the most earning claims, or with {@code rankBy=REDEEMS} completed redeems. */
    @Operation(
            operationId = "getBusinessAnalytics",
            summary = "Top businesses",
            description = "The businesses with the most earning claims in the range, or with `rankBy=REDEEMS` the most "
                    + "completed redeems.")
    @Fails({ErrorCode.INVALID_DATE_RANGE})
    @GetMapping("/v2/analytics/businesses")
    @Allow(Role.ADMIN)
    Report<List<BusinessRank>> businesses(
            Dates dates,
            @RequestParam(defaultValue = "CLAIMS") RankBy rankBy,
            @RequestParam(defaultValue = "10") @Min(1) @Max(100) int limit) {
        return report(dates, range -> analytics.topBusinesses(range, rankBy == RankBy.REDEEMS, limit));
    }

    /**
     * Each segment with its size: the users its condition holds for now (segments are evaluated
     * when asked, so this is a point in time, not a range), largest first.
     */
    @Operation(
            operationId = "getSegmentAnalytics",
            summary = "Segment sizes now",
            description = "Each segment with the number of users its condition holds for now, largest first. Segments "
                    + "are evaluated when asked: a point in time, not a range.")
    @GetMapping("/v2/analytics/segments")
    @Allow(Role.ADMIN)
    Sizes segments() {
        Sizes sizes = segments.sizes();
        return new Sizes(
                sizes.evaluatedUsers(),
                sizes.computedAt(),
                sizes.segments().stream()
                        .sorted(Comparator.comparingLong(Size::size).reversed().thenComparing(Size::name))
                        .toList());
    }

    private static <T> Report<T> report(Dates dates, Function<DateRange, T> figures) {
        DateRange range = dates.range();
        return new Report<>(range.from(), range.to(), figures.apply(range));
    }
}
