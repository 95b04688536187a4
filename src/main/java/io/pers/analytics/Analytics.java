package io.pers.analytics;

import com.fasterxml.jackson.annotation.JsonFormat;
import io.pers.api.PersException;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The figures of the analytics endpoints, one SQL query each. Row-level security scopes every
 * query to the caller's tenant; none filters by tenant itself. Claims that earned are those in
 * PENDING_SETTLEMENT, COMPLETED or SETTLED (minted, whether or not settled on chain yet).
 */
@Component
class Analytics {

    record CampaignDay(UUID campaignId, String campaignName, LocalDate day, String status, long claims) {}

    record UsersDay(LocalDate day, long users) {}

    record Users(long uniqueUsers, List<UsersDay> days) {}

    /** triggerSourceId is null for claims made straight through the API. */
    record SourceEngagement(
            UUID triggerSourceId, String sourceType, String sourceName, String callerRole, long claims, long earned) {}

    /**
     * Amounts in the range, except outstanding: what holders have at the range's end (the
     * liability). Of what moved, {@code redeemed} is what holders spent on redeems (burned, or moved
     * to the business that redeemed them) and {@code expired} what the expiry job burned.
     */
    record Circulation(
            UUID tokenId,
            String symbol,
            String type,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigInteger minted,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigInteger burned,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigInteger transferred,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigInteger outstanding,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigInteger redeemed,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigInteger expired) {}

    /**
     * One token on one UTC day: issued (minted, as in {@link Circulation}), redeemed (spent on
     * redeems) and expired (burned by the expiry job), in base units.
     */
    record TokenDay(
            UUID tokenId,
            String symbol,
            LocalDate day,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigInteger issued,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigInteger redeemed,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigInteger expired) {}

    /** Redeems asked for on one UTC day, by status: how many, and what they cost in the cost token. */
    record RedemptionDay(
            LocalDate day,
            String status,
            UUID costTokenId,
            String symbol,
            long redeems,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigInteger amount) {}

    record RedemptionStatus(UUID redemptionId, String redemptionName, String status, long redeems) {}

    record BusinessRank(UUID businessId, String businessName, long claims, long redeems) {}

    /** Claims of one status. */
    record StatusCount(String status, long claims) {}

    /** What one token's claims of the campaign issued, net of what compensations reversed. */
    record Issued(
            UUID tokenId,
            String symbol,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigInteger amount) {}

    /**
     * One campaign's figures over the range: its claims (and by status), the people whose claims
     * earned (each once), and what its claims issued per token.
     */
    record CampaignFigures(
            UUID campaignId, long claims, List<StatusCount> byStatus, long people, List<Issued> issued) {}

    private static final String EARNED = "('PENDING_SETTLEMENT', 'COMPLETED', 'SETTLED')";

    /**
     * Each journal entry before the range's end (and, as formatted in, after more): its token, time,
     * kind and reason, what it took from the issuer (the TENANT wallet; negative: gave back) and
     * what it moved.
     */
    private static final String ENTRY = """
            select e.token_id, e.created_at, e.kind, e.reason_type,
                   coalesce(sum(-p.amount) filter (where w.owner_type = 'TENANT'), 0) as issued,
                   sum(p.amount) filter (where p.amount > 0) as moved
              from journal_entries e
              join postings p on p.entry_id = e.id
              join wallets w on w.id = p.wallet_id
             where e.created_at < :end%s
             group by e.id""";

    /** What a redeem's cost took from its holder: burned, or moved to the business (not its reward mints). */
    private static final String REDEEMED = "x.reason_type = 'REDEEM' and x.kind in ('BURN', 'TRANSFER')";

    /** What the expiry job burned (io.pers.expiry.TokenExpiry: a BURN entry, reason EXPIRY). */
    private static final String EXPIRED = "x.reason_type = 'EXPIRY' and x.kind = 'BURN'";

    private final JdbcClient db;

    Analytics(JdbcClient db) {
        this.db = db;
    }

    List<CampaignDay> claimsPerCampaignDay(DateRange range) {
        return db.sql("""
                        select c.campaign_id, k.name, (c.created_at at time zone 'UTC')::date as day, c.status,
                               count(*) as claims
                          from claims c join campaigns k on k.id = c.campaign_id
                         where c.created_at >= :start and c.created_at < :end
                         group by c.campaign_id, k.name, day, c.status
                         order by day, k.name, c.campaign_id, c.status""")
                .param("start", range.start())
                .param("end", range.end())
                .query((rs, n) -> new CampaignDay(
                        rs.getObject("campaign_id", UUID.class),
                        rs.getString("name"),
                        rs.getObject("day", LocalDate.class),
                        rs.getString("status"),
                        rs.getLong("claims")))
                .list();
    }

    /** A campaign of the tenant (404 otherwise): its figures over the range. */
    CampaignFigures campaign(UUID campaignId, DateRange range) {
        if (!db.sql("select exists (select 1 from campaigns where id = ?)")
                .param(campaignId)
                .query(Boolean.class)
                .single()) {
            throw PersException.notFound("Campaign");
        }
        List<StatusCount> byStatus = db.sql("""
                        select status, count(*) as claims from claims
                         where campaign_id = :campaign and created_at >= :start and created_at < :end
                         group by status
                         order by status""")
                .param("campaign", campaignId)
                .param("start", range.start())
                .param("end", range.end())
                .query((rs, n) -> new StatusCount(rs.getString("status"), rs.getLong("claims")))
                .list();
        long people = db.sql("""
                        select count(distinct user_id) from claims
                         where campaign_id = :campaign and created_at >= :start and created_at < :end
                           and status in %s""".formatted(EARNED))
                .param("campaign", campaignId)
                .param("start", range.start())
                .param("end", range.end())
                .query(Long.class)
                .single();
        // A claim's mint is a CLAIM entry referencing the claim; a compensation reverses it.
        List<Issued> issued = db.sql("""
                        with mint as (
                          select e.id, e.token_id
                            from claims c
                            join journal_entries e on e.reason_type = 'CLAIM' and e.reason_ref = c.id::text
                           where c.campaign_id = :campaign and c.created_at >= :start and c.created_at < :end)
                        select m.token_id, t.symbol,
                               coalesce(sum(-p.amount) filter (where w.owner_type = 'TENANT'), 0) as issued
                          from mint m
                          join journal_entries e on e.id = m.id or e.reverses_entry_id = m.id
                          join postings p on p.entry_id = e.id
                          join wallets w on w.id = p.wallet_id
                          join tokens t on t.id = m.token_id
                         group by m.token_id, t.symbol, t.created_at
                         order by t.created_at, m.token_id""")
                .param("campaign", campaignId)
                .param("start", range.start())
                .param("end", range.end())
                .query((rs, n) ->
                        new Issued(rs.getObject("token_id", UUID.class), rs.getString("symbol"), integer(rs, "issued")))
                .list();
        return new CampaignFigures(
                campaignId, byStatus.stream().mapToLong(StatusCount::claims).sum(), byStatus, people, issued);
    }

    /** Users with a claim that earned: per day, and over the whole range (not the sum of the days). */
    Users uniqueUsers(DateRange range) {
        List<UsersDay> rows = db.sql("""
                        select (created_at at time zone 'UTC')::date as day, count(distinct user_id) as users
                          from claims
                         where created_at >= :start and created_at < :end and status in %s
                         group by grouping sets ((day), ())
                         order by day nulls first""".formatted(EARNED))
                .param("start", range.start())
                .param("end", range.end())
                .query((rs, n) -> new UsersDay(rs.getObject("day", LocalDate.class), rs.getLong("users")))
                .list();
        // The empty grouping set is the whole range: always one row, sorted first.
        return new Users(rows.get(0).users(), rows.subList(1, rows.size()));
    }

    List<SourceEngagement> triggerSources(DateRange range) {
        return db.sql("""
                        select c.trigger_source_id, s.type, s.name, c.caller_role, count(*) as claims,
                               count(*) filter (where c.status in %s) as earned
                          from claims c left join trigger_sources s on s.id = c.trigger_source_id
                         where c.created_at >= :start and c.created_at < :end
                         group by c.trigger_source_id, s.type, s.name, c.caller_role
                         order by claims desc, s.name nulls last, c.caller_role""".formatted(EARNED))
                .param("start", range.start())
                .param("end", range.end())
                .query((rs, n) -> new SourceEngagement(
                        rs.getObject("trigger_source_id", UUID.class),
                        rs.getString("type"),
                        rs.getString("name"),
                        rs.getString("caller_role"),
                        rs.getLong("claims"),
                        rs.getLong("earned")))
                .list();
    }

    /**
     * Per token, from the journal: an entry that takes from the issuer (the TENANT wallet) mints, one
     * that gives back to it burns, any other moves tokens between holders. A reversal counts by
     * the way it moves (a reversed mint burns), so outstanding = minted - burned always holds and
     * equals the sum of holders' balances; the same rule as /v2/tokens/{id}/supply.
     */
    List<Circulation> circulation(DateRange range) {
        return db.sql("""
                        with entry as (%s)
                        select t.id, t.symbol, t.type,
                               coalesce(sum(x.issued) filter (where x.issued > 0 and x.created_at >= :start), 0) as minted,
                               coalesce(sum(-x.issued) filter (where x.issued < 0 and x.created_at >= :start), 0) as burned,
                               coalesce(sum(x.moved) filter (where x.issued = 0 and x.created_at >= :start), 0) as transferred,
                               coalesce(sum(x.issued), 0) as outstanding,
                               coalesce(sum(x.moved) filter (where %s and x.created_at >= :start), 0) as redeemed,
                               coalesce(sum(-x.issued) filter (where %s and x.created_at >= :start), 0) as expired
                          from tokens t left join entry x on x.token_id = t.id
                         group by t.id
                         order by t.created_at, t.id""".formatted(ENTRY.formatted(""), REDEEMED, EXPIRED))
                .param("start", range.start())
                .param("end", range.end())
                .query((rs, n) -> new Circulation(
                        rs.getObject("id", UUID.class),
                        rs.getString("symbol"),
                        rs.getString("type"),
                        integer(rs, "minted"),
                        integer(rs, "burned"),
                        integer(rs, "transferred"),
                        integer(rs, "outstanding"),
                        integer(rs, "redeemed"),
                        integer(rs, "expired")))
                .list();
    }

    /** Per token and UTC day with any entry in the range: issued, redeemed and expired. */
    List<TokenDay> tokenDays(DateRange range) {
        return db.sql("""
                        with entry as (%s)
                        select x.token_id, t.symbol, (x.created_at at time zone 'UTC')::date as day,
                               coalesce(sum(x.issued) filter (where x.issued > 0), 0) as issued,
                               coalesce(sum(x.moved) filter (where %s), 0) as redeemed,
                               coalesce(sum(-x.issued) filter (where %s), 0) as expired
                          from entry x join tokens t on t.id = x.token_id
                         group by x.token_id, t.symbol, t.created_at, day
                         order by day, t.created_at, x.token_id""".formatted(ENTRY.formatted(" and e.created_at >= :start"), REDEEMED, EXPIRED))
                .param("start", range.start())
                .param("end", range.end())
                .query((rs, n) -> new TokenDay(
                        rs.getObject("token_id", UUID.class),
                        rs.getString("symbol"),
                        rs.getObject("day", LocalDate.class),
                        integer(rs, "issued"),
                        integer(rs, "redeemed"),
                        integer(rs, "expired")))
                .list();
    }

    /** Redeems per UTC day, status and cost token, with what they cost. */
    List<RedemptionDay> redemptionDays(DateRange range) {
        return db.sql("""
                        select (r.created_at at time zone 'UTC')::date as day, r.status, r.cost_token_id, t.symbol,
                               count(*) as redeems, sum(r.cost_amount) as amount
                          from redemption_redeems r join tokens t on t.id = r.cost_token_id
                         where r.created_at >= :start and r.created_at < :end
                         group by day, r.status, r.cost_token_id, t.symbol
                         order by day, r.status, t.symbol, r.cost_token_id""")
                .param("start", range.start())
                .param("end", range.end())
                .query((rs, n) -> new RedemptionDay(
                        rs.getObject("day", LocalDate.class),
                        rs.getString("status"),
                        rs.getObject("cost_token_id", UUID.class),
                        rs.getString("symbol"),
                        rs.getLong("redeems"),
                        integer(rs, "amount")))
                .list();
    }

    List<RedemptionStatus> redemptions(DateRange range) {
        return db.sql("""
                        select r.redemption_id, d.name, r.status, count(*) as redeems
                          from redemption_redeems r join redemptions d on d.id = r.redemption_id
                         where r.created_at >= :start and r.created_at < :end
                         group by r.redemption_id, d.name, r.status
                         order by d.name, r.redemption_id, r.status""")
                .param("start", range.start())
                .param("end", range.end())
                .query((rs, n) -> new RedemptionStatus(
                        rs.getObject("redemption_id", UUID.class),
                        rs.getString("name"),
                        rs.getString("status"),
                        rs.getLong("redeems")))
                .list();
    }

    /** Businesses by claims that earned at them and completed redeems there, ranked by one of the two. */
    List<BusinessRank> topBusinesses(DateRange range, boolean byRedeems, int limit) {
        return db.sql("""
                        with by_claims as (
                          select business_id, count(*) as n from claims
                           where business_id is not null and status in %s
                             and created_at >= :start and created_at < :end
                           group by business_id),
                        by_redeems as (
                          select business_id, count(*) as n from redemption_redeems
                           where business_id is not null and status = 'COMPLETED'
                             and created_at >= :start and created_at < :end
                           group by business_id)
                        select b.id, b.name, coalesce(c.n, 0) as claims, coalesce(r.n, 0) as redeems
                          from businesses b
                          left join by_claims c on c.business_id = b.id
                          left join by_redeems r on r.business_id = b.id
                         where c.n is not null or r.n is not null
                         order by case when :byRedeems then coalesce(r.n, 0) else coalesce(c.n, 0) end desc,
                                  b.name, b.id
                         limit :limit""".formatted(EARNED))
                .param("start", range.start())
                .param("end", range.end())
                .param("byRedeems", byRedeems)
                .param("limit", limit)
                .query((rs, n) -> new BusinessRank(
                        rs.getObject("id", UUID.class),
                        rs.getString("name"),
                        rs.getLong("claims"),
                        rs.getLong("redeems")))
                .list();
    }

    private static BigInteger integer(ResultSet rs, String column) throws SQLException {
        return rs.getBigDecimal(column).toBigIntegerExact();
    }
}
