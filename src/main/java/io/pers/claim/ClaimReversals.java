package io.pers.claim;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.pers.api.Page;
import io.pers.api.PageQuery;
import io.pers.api.PagedQuery;
import io.pers.api.PersException;
import io.pers.tenant.TenantContext;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The claim_reversals table and its lines: what each refund took back of which claim. */
@Component
class ClaimReversals {

    enum Status {
        PENDING,
        /** Everything the refund called for was taken back. */
        REVERSED,
        /** The user had spent part of the points: the balance was taken to zero, the rest recorded as shortfall. */
        PARTIALLY_REVERSED,
        /** The order earned no claim (e.g. paid before PERS was connected, or rejected). */
        NOTHING_TO_REVERSE
    }

    /** @param refunded this refund's sum; null: the whole order */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Reversal(
            UUID id,
            String workflowId,
            UUID mappingId,
            Integer mappingVersion,
            String source,
            String eventId,
            String externalRef,
            UUID campaignId,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal refunded,
            Status status,
            OffsetDateTime occurredAt,
            OffsetDateTime decidedAt,
            OffsetDateTime createdAt,
            List<Line> lines) {}

    /**
     * What one reversal took back of one claim's token unit.
     *
     * @param due what the refund called for: floor(minted x refunded so far / basis), less what
     *     earlier refunds of the order called for
     * @param reversed what the user's balance allowed; {@code due - reversed} is the shortfall
     * @param transactionId the ledger's reversal entry; null when nothing could be taken back
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Line(
            UUID reversalId,
            UUID claimId,
            UUID tokenUnitId,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal refunded,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigInteger due,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigInteger reversed,
            UUID transactionId) {

        @JsonProperty
        @JsonFormat(shape = JsonFormat.Shape.STRING)
        public BigInteger shortfall() {
            return due.subtract(reversed);
        }
    }

    record NewReversal(
            UUID id,
            String workflowId,
            UUID mappingId,
            int mappingVersion,
            String source,
            String eventId,
            String externalRef,
            UUID campaignId,
            BigDecimal refunded,
            Instant occurredAt) {}

    /** What earlier reversals of a claim's token unit took into account. */
    record Prior(BigDecimal refunded, boolean wholeOrder, BigInteger due) {}

    private static final String COLUMNS =
            "id, workflow_id, mapping_id, mapping_version, source, event_id, external_ref, campaign_id,"
                    + " refunded, status, occurred_at, decided_at, created_at";

    private final JdbcClient db;

    ClaimReversals(JdbcClient db) {
        this.db = db;
    }

    /** Records the refund as PENDING; false when it is recorded already. */
    boolean insert(NewReversal r) {
        return db.sql("""
                                insert into claim_reversals (id, tenant_id, workflow_id, mapping_id, mapping_version,
                                                             source, event_id, external_ref, campaign_id, refunded,
                                                             status, occurred_at)
                                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'PENDING', ?)
                                on conflict do nothing""")
                        .params(
                                r.id(),
                                TenantContext.requireTenantId(),
                                r.workflowId(),
                                r.mappingId(),
                                r.mappingVersion(),
                                r.source(),
                                r.eventId(),
                                r.externalRef(),
                                r.campaignId(),
                                r.refunded(),
                                r.occurredAt() == null ? null : Timestamp.from(r.occurredAt()))
                        .update()
                == 1;
    }

    Reversal find(UUID id) {
        return find(id, false).orElseThrow(() -> PersException.notFound("Claim reversal"));
    }

    /** The reversal with its lines, locked for the rest of the transaction when {@code forUpdate}. */
    Optional<Reversal> find(UUID id, boolean forUpdate) {
        return db.sql("select " + COLUMNS + " from claim_reversals where id = ?" + (forUpdate ? " for update" : ""))
                .param(id)
                .query((rs, i) -> map(rs, List.of()))
                .optional()
                .map(r -> withLines(r, lines("reversal_id", r.id())));
    }

    Page<Reversal> list(Status status, String externalRef, PageQuery page) {
        Page<Reversal> found = PagedQuery.from("claim_reversals")
                .and("status = ?", status)
                .and("external_ref = ?", externalRef)
                .page(db, COLUMNS, page, (rs, i) -> map(rs, List.of()));
        return PagedQuery.completed(found, items -> items.stream()
                .map(r -> withLines(r, lines("reversal_id", r.id())))
                .toList());
    }

    /** Every line that took something from the claim, oldest reversal first. */
    List<Line> linesOfClaim(UUID claimId) {
        return lines("claim_id", claimId);
    }

    boolean hasLines(UUID reversalId, UUID claimId) {
        return db.sql("select exists (select 1 from claim_reversal_lines where reversal_id = ? and claim_id = ?)")
                .params(reversalId, claimId)
                .query(Boolean.class)
                .single();
    }

    /** What the claim's earlier reversals of the token unit (not this one) refunded and called for. */
    Prior prior(UUID claimId, UUID tokenUnitId, UUID exceptReversal) {
        return db.sql("""
                        select coalesce(sum(refunded), 0), bool_or(refunded is null), coalesce(sum(due), 0)
                          from claim_reversal_lines where claim_id = ? and token_unit_id = ? and reversal_id <> ?""")
                .params(claimId, tokenUnitId, exceptReversal)
                .query((rs, i) -> new Prior(
                        rs.getBigDecimal(1),
                        rs.getBoolean(2),
                        rs.getBigDecimal(3).toBigIntegerExact()))
                .single();
    }

    void addLine(Line line) {
        db.sql("""
                        insert into claim_reversal_lines (reversal_id, claim_id, token_unit_id, tenant_id, refunded, due,
                                                          reversed, entry_id)
                        values (?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(
                        line.reversalId(),
                        line.claimId(),
                        line.tokenUnitId(),
                        TenantContext.requireTenantId(),
                        line.refunded(),
                        new BigDecimal(line.due()),
                        new BigDecimal(line.reversed()),
                        line.transactionId())
                .update();
    }

    void decide(UUID id, Status status, Instant at) {
        db.sql("update claim_reversals set status = ?, decided_at = ?, updated_at = now() where id = ?")
                .params(status.name(), Timestamp.from(at), id)
                .update();
    }

    private List<Line> lines(String column, UUID id) {
        return db.sql("""
                        select l.reversal_id, l.claim_id, l.token_unit_id, l.refunded, l.due, l.reversed, l.entry_id
                          from claim_reversal_lines l join claim_reversals r on r.id = l.reversal_id
                         where l.%s = ? order by r.created_at, r.id, l.claim_id, l.token_unit_id""".formatted(column))
                .param(id)
                .query((rs, i) -> new Line(
                        rs.getObject(1, UUID.class),
                        rs.getObject(2, UUID.class),
                        rs.getObject(3, UUID.class),
                        rs.getBigDecimal(4),
                        rs.getBigDecimal(5).toBigIntegerExact(),
                        rs.getBigDecimal(6).toBigIntegerExact(),
                        rs.getObject(7, UUID.class)))
                .list();
    }

    private static Reversal withLines(Reversal r, List<Line> lines) {
        return new Reversal(
                r.id(),
                r.workflowId(),
                r.mappingId(),
                r.mappingVersion(),
                r.source(),
                r.eventId(),
                r.externalRef(),
                r.campaignId(),
                r.refunded(),
                r.status(),
                r.occurredAt(),
                r.decidedAt(),
                r.createdAt(),
                lines);
    }

    private static Reversal map(ResultSet rs, List<Line> lines) throws SQLException {
        return new Reversal(
                rs.getObject("id", UUID.class),
                rs.getString("workflow_id"),
                rs.getObject("mapping_id", UUID.class),
                (Integer) rs.getObject("mapping_version"),
                rs.getString("source"),
                rs.getString("event_id"),
                rs.getString("external_ref"),
                rs.getObject("campaign_id", UUID.class),
                rs.getBigDecimal("refunded"),
                Status.valueOf(rs.getString("status")),
                rs.getObject("occurred_at", OffsetDateTime.class),
                rs.getObject("decided_at", OffsetDateTime.class),
                rs.getObject("created_at", OffsetDateTime.class),
                lines);
    }
}
