package io.pers.claim;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pers.api.Page;
import io.pers.api.PageQuery;
import io.pers.api.PagedQuery;
import io.pers.api.PersException;
import io.pers.event.DomainEvents;
import io.pers.tenant.TenantContext;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.ObjectMapper;

/** The claims table: the record of every claim's status, whatever happens to the workflow engine. */
@Component
class Claims {

    enum Status {
        PENDING,
        REJECTED,
        PENDING_SETTLEMENT,
        COMPLETED,
        SETTLED,
        FAILED;

        boolean decided() {
            return this != PENDING;
        }

        boolean minted() {
            return this == PENDING_SETTLEMENT || this == COMPLETED || this == SETTLED;
        }
    }

    record Claim(
            UUID id,
            String workflowId,
            UUID campaignId,
            UUID triggerSourceId,
            UUID userId,
            UUID businessId,
            String callerRole,
            String callerId,
            int multiplier,
            Double latitude,
            Double longitude,
            String countryCode,
            Map<String, Object> conditionsData,
            Status status,
            String rejectionCode,
            String failureReason,
            OffsetDateTime decidedAt,
            OffsetDateTime createdAt,
            byte[] requestHash,
            String externalRef,
            BigDecimal basis,
            Instant occurredAt,
            UUID mappingId,
            Integer mappingVersion,
            UUID ingestEventId) {

        /**
         * The instant the claim is judged at: when its triggering event happened, or else when it is
         * decided. Date windows and per-period caps look at this, not at the arrival time.
         */
        Instant judgedAt(Instant decidedAt) {
            return occurredAt != null ? occurredAt : decidedAt;
        }
    }

    record NewClaim(
            UUID id,
            String workflowId,
            UUID campaignId,
            UUID triggerSourceId,
            UUID userId,
            UUID businessId,
            String callerRole,
            String callerId,
            int multiplier,
            Double latitude,
            Double longitude,
            String countryCode,
            Map<String, Object> conditionsData,
            byte[] requestHash,
            ClaimIntake.Origin origin) {}

    record HistoryEntry(Status status, String detail, OffsetDateTime at) {}

    record MintedUnit(UUID entryId, UUID tokenUnitId, BigInteger amount) {}

    record Filter(UUID campaignId, UUID userId, UUID businessId, Status status) {}

    private static final String MINTED = "('PENDING_SETTLEMENT', 'COMPLETED', 'SETTLED')";
    private static final Instant FAR_FUTURE = Instant.parse("9999-01-01T00:00:00Z");

    private final JdbcClient db;
    private final ObjectMapper json;
    private final DomainEvents events;
    private final MeterRegistry meters;
    private final ApplicationEventPublisher publisher;

    Claims(
            JdbcClient db,
            ObjectMapper json,
            DomainEvents events,
            MeterRegistry meters,
            ApplicationEventPublisher publisher) {
        this.events = events;
        this.publisher = publisher;
        this.meters = meters;
        this.db = db;
        this.json = json;
    }

    /** Records a new claim as PENDING; false when a claim with this workflow id exists already. */
    boolean insert(NewClaim c) {
        int inserted = db.sql("""
                        insert into claims (id, tenant_id, workflow_id, campaign_id, trigger_source_id, user_id, business_id,
                                            caller_role, caller_id, multiplier, latitude, longitude, country_code,
                                            conditions_data, request_hash, external_ref, basis, occurred_at, mapping_id,
                                            mapping_version, ingest_event_id, status)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, 'PENDING')
                        on conflict do nothing""")
                .params(
                        c.id(),
                        TenantContext.requireTenantId(),
                        c.workflowId(),
                        c.campaignId(),
                        c.triggerSourceId(),
                        c.userId(),
                        c.businessId(),
                        c.callerRole(),
                        c.callerId(),
                        c.multiplier(),
                        c.latitude(),
                        c.longitude(),
                        c.countryCode(),
                        json.writeValueAsString(c.conditionsData()),
                        c.requestHash(),
                        c.origin().externalRef(),
                        c.origin().basis(),
                        c.origin().occurredAt() == null
                                ? null
                                : Timestamp.from(c.origin().occurredAt()),
                        c.origin().mappingId(),
                        c.origin().mappingVersion(),
                        c.origin().ingestEventId())
                .update();
        if (inserted == 1) {
            history(c.id(), Status.PENDING, null);
        }
        return inserted == 1;
    }

    Claim find(UUID id) {
        return find(id, false).orElseThrow(() -> PersException.notFound("Claim"));
    }

    /** The claim, locked for the rest of the transaction when {@code forUpdate}. */
    Optional<Claim> find(UUID id, boolean forUpdate) {
        return db.sql("select * from claims where id = ?" + (forUpdate ? " for update" : ""))
                .param(id)
                .query(this::map)
                .optional();
    }

    Page<Claim> list(Filter filter, PageQuery page) {
        return PagedQuery.from("claims")
                .and("campaign_id = ?", filter.campaignId())
                .and("user_id = ?", filter.userId())
                .and("business_id = ?", filter.businessId())
                .and("status = ?", filter.status())
                .page(db, "*", page, this::map);
    }

    void transition(UUID id, Status status, String rejectionCode, String failureReason, Instant decidedAt) {
        db.sql("""
                        update claims set status = ?, rejection_code = coalesce(?, rejection_code),
                               failure_reason = coalesce(?, failure_reason),
                               decided_at = coalesce(decided_at, ?), occurred_at = coalesce(occurred_at, ?),
                               updated_at = now()
                         where id = ?""")
                .params(
                        status.name(),
                        rejectionCode,
                        failureReason,
                        decidedAt == null ? null : Timestamp.from(decidedAt),
                        decidedAt == null ? null : Timestamp.from(decidedAt),
                        id)
                .update();
        history(id, status, rejectionCode != null ? rejectionCode : failureReason);
        countOnCommit(status);
    }

    /** Claims reaching each status, counted once their transaction commits (a rollback undoes it). */
    private void countOnCommit(Status status) {
        Counter counter = meters.counter("pers.claims", "outcome", status.name());
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            counter.increment();
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                counter.increment();
            }
        });
    }

    List<HistoryEntry> history(UUID claimId) {
        return db.sql("select status, detail, at from claim_status_history where claim_id = ? order by at")
                .param(claimId)
                .query((rs, i) -> new HistoryEntry(
                        Status.valueOf(rs.getString(1)), rs.getString(2), rs.getObject(3, OffsetDateTime.class)))
                .list();
    }

    void recordMint(UUID claimId, MintedUnit unit) {
        db.sql(
                        "insert into claim_transactions (claim_id, tenant_id, entry_id, token_unit_id, amount) values (?, ?, ?, ?, ?)")
                .params(
                        claimId,
                        TenantContext.requireTenantId(),
                        unit.entryId(),
                        unit.tokenUnitId(),
                        new BigDecimal(unit.amount()))
                .update();
    }

    List<MintedUnit> mints(UUID claimId) {
        return db.sql(
                        "select entry_id, token_unit_id, amount from claim_transactions where claim_id = ? order by entry_id")
                .param(claimId)
                .query((rs, i) -> new MintedUnit(
                        rs.getObject(1, UUID.class),
                        rs.getObject(2, UUID.class),
                        rs.getBigDecimal(3).toBigIntegerExact()))
                .list();
    }

    /** Minted claims of a user on a campaign judged in [from, to); null bounds: unbounded. */
    long mintedByUser(UUID campaignId, UUID userId, Instant from, Instant to) {
        return minted("user_id", campaignId, userId, from, to);
    }

    long mintedByBusiness(UUID campaignId, UUID businessId, Instant from, Instant to) {
        return minted("business_id", campaignId, businessId, from, to);
    }

    private long minted(String column, UUID campaignId, UUID id, Instant from, Instant to) {
        return db.sql("select count(*) from claims where campaign_id = ? and " + column + " = ? and status in " + MINTED
                        + " and occurred_at >= ? and occurred_at < ?")
                .params(
                        campaignId,
                        id,
                        Timestamp.from(from == null ? Instant.EPOCH : from),
                        Timestamp.from(to == null ? FAR_FUTURE : to))
                .query(Long.class)
                .single();
    }

    /** The claims an order (a source's external reference) earned on a campaign, oldest first. */
    List<Claim> ofExternalRef(String callerId, String externalRef, UUID campaignId) {
        return db.sql("""
                        select * from claims where tenant_id = ? and caller_id = ? and external_ref = ? and campaign_id = ?
                         order by created_at, id""")
                .params(TenantContext.requireTenantId(), callerId, externalRef, campaignId)
                .query(this::map)
                .list();
    }

    void recordEvent(UUID claimId, String type, Map<String, Object> payload) {
        events.record(type, claimId, payload);
    }

    /**
     * {@code claim.rejected} for partners and, for a connector's claim, {@link ClaimRejected} to the
     * event's outcome: both in the caller's transaction, the one that rejects the claim.
     */
    void recordRejected(Claim claim, String code) {
        recordEvent(claim.id(), "claim.rejected", Map.of("claimId", claim.id(), "code", code));
        if (claim.ingestEventId() != null) {
            publisher.publishEvent(new ClaimRejected(
                    claim.id(), claim.ingestEventId(), code, claim.mappingId(), claim.mappingVersion()));
        }
    }

    /**
     * The workflow's last step: {@code claim.completed} for partners, and the mark that the step is
     * done (in the caller's transaction), without which the sweeper re-drives a final claim.
     */
    void recordCompleted(UUID claimId, Map<String, Object> payload) {
        events.record("claim.completed", claimId, payload);
        db.sql("update claims set completed_recorded_at = coalesce(completed_recorded_at, now()) where id = ?")
                .param(claimId)
                .update();
    }

    private void history(UUID claimId, Status status, String detail) {
        db.sql("insert into claim_status_history (claim_id, tenant_id, status, detail) values (?, ?, ?, ?)")
                .params(claimId, TenantContext.requireTenantId(), status.name(), detail)
                .update();
    }

    @SuppressWarnings("unchecked")
    private Claim map(ResultSet rs, int row) throws SQLException {
        return new Claim(
                rs.getObject("id", UUID.class),
                rs.getString("workflow_id"),
                rs.getObject("campaign_id", UUID.class),
                rs.getObject("trigger_source_id", UUID.class),
                rs.getObject("user_id", UUID.class),
                rs.getObject("business_id", UUID.class),
                rs.getString("caller_role"),
                rs.getString("caller_id"),
                rs.getInt("multiplier"),
                (Double) rs.getObject("latitude"),
                (Double) rs.getObject("longitude"),
                rs.getString("country_code"),
                json.readValue(rs.getString("conditions_data"), Map.class),
                Status.valueOf(rs.getString("status")),
                rs.getString("rejection_code"),
                rs.getString("failure_reason"),
                rs.getObject("decided_at", OffsetDateTime.class),
                rs.getObject("created_at", OffsetDateTime.class),
                rs.getBytes("request_hash"),
                rs.getString("external_ref"),
                rs.getBigDecimal("basis"),
                rs.getTimestamp("occurred_at") == null
                        ? null
                        : rs.getTimestamp("occurred_at").toInstant(),
                rs.getObject("mapping_id", UUID.class),
                (Integer) rs.getObject("mapping_version"),
                rs.getObject("ingest_event_id", UUID.class));
    }
}
