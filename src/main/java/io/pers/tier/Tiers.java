package io.pers.tier;

import com.fasterxml.jackson.annotation.JsonFormat;
import io.pers.api.ErrorCode;
import io.pers.api.PersException;
import io.pers.ledger.Amounts;
import io.pers.ledger.Tokens;
import io.pers.tenant.TenantContext;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The status_tiers table: a tenant's ordered tiers and the tokens each one counts. A change to the
 * ladder recomputes the holders' tiers in its own transaction, with their events.
 */
@Component
class Tiers {

    record Tier(
            UUID id,
            String name,
            int rank,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigInteger threshold,
            int discountBps,
            List<UUID> tokenIds,
            OffsetDateTime createdAt,
            OffsetDateTime updatedAt) {}

    /** The fields of a create or an update; null leaves a field as it is. */
    record Details(String name, Integer rank, BigInteger threshold, Integer discountBps, List<UUID> tokenIds) {}

    private final JdbcClient db;
    private final Tokens tokens;
    private final UserStatuses statuses;

    Tiers(JdbcClient db, Tokens tokens, UserStatuses statuses) {
        this.db = db;
        this.tokens = tokens;
        this.statuses = statuses;
    }

    @Transactional
    Tier create(Details d) {
        if (d.name() == null
                || d.rank() == null
                || d.threshold() == null
                || d.discountBps() == null
                || d.tokenIds() == null) {
            throw new PersException(
                    ErrorCode.VALIDATION_FAILED, "name, rank, threshold, discountBps and tokenIds are required");
        }
        check(d);
        UUID id = UUID.randomUUID();
        try {
            db.sql("""
                            insert into status_tiers (id, tenant_id, name, rank, threshold, discount_bps)
                            values (?, ?, ?, ?, ?, ?)""")
                    .params(
                            id,
                            TenantContext.requireTenantId(),
                            d.name(),
                            d.rank(),
                            new BigDecimal(d.threshold()),
                            d.discountBps())
                    .update();
        } catch (DuplicateKeyException e) {
            throw taken();
        }
        replaceTokens(id, d.tokenIds());
        statuses.recomputeAll();
        return find(id);
    }

    @Transactional
    Tier update(UUID id, Details d) {
        check(d);
        try {
            int updated = db.sql("""
                            update status_tiers set name = coalesce(?, name), rank = coalesce(?, rank),
                                   threshold = coalesce(?, threshold), discount_bps = coalesce(?, discount_bps),
                                   updated_at = now()
                             where id = ?""")
                    .params(
                            d.name(),
                            d.rank(),
                            d.threshold() == null ? null : new BigDecimal(d.threshold()),
                            d.discountBps(),
                            id)
                    .update();
            if (updated == 0) {
                throw PersException.notFound("Status tier");
            }
        } catch (DuplicateKeyException e) {
            throw taken();
        }
        if (d.tokenIds() != null) {
            replaceTokens(id, d.tokenIds());
        }
        statuses.recomputeAll();
        return find(id);
    }

    @Transactional
    void delete(UUID id) {
        try {
            if (db.sql("delete from status_tiers where id = ?").param(id).update() == 0) {
                throw PersException.notFound("Status tier");
            }
        } catch (DataIntegrityViolationException e) {
            throw new PersException(ErrorCode.CONFLICT_IN_USE, "A redemption requires this tier as its minimum");
        }
        statuses.recomputeAll();
    }

    Tier find(UUID id) {
        return db.sql("select * from status_tiers where id = ?")
                .param(id)
                .query(this::map)
                .optional()
                .orElseThrow(() -> PersException.notFound("Status tier"));
    }

    /** Lowest rank first: the ladder a user climbs. */
    List<Tier> list() {
        return db.sql("select * from status_tiers order by rank")
                .query(this::map)
                .list();
    }

    private void check(Details d) {
        if (d.threshold() != null) {
            Amounts.requirePositive(d.threshold());
        }
        if (d.tokenIds() != null) {
            // Thresholds sum base units: that only means something across tokens of one scale.
            long scales = d.tokenIds().stream()
                    .map(tokens::find)
                    .map(Tokens.Token::decimals)
                    .distinct()
                    .count();
            if (scales > 1) {
                throw new PersException(ErrorCode.VALIDATION_FAILED, "tokenIds must all have the same decimals");
            }
        }
    }

    private void replaceTokens(UUID tierId, List<UUID> tokenIds) {
        db.sql("delete from status_tier_tokens where tier_id = ?").param(tierId).update();
        for (UUID token : tokenIds) {
            db.sql("insert into status_tier_tokens (tenant_id, tier_id, token_id) values (?, ?, ?)")
                    .params(TenantContext.requireTenantId(), tierId, token)
                    .update();
        }
    }

    private static PersException taken() {
        return new PersException(ErrorCode.ALREADY_EXISTS, "A status tier with this name or rank exists");
    }

    private Tier map(ResultSet rs, int row) throws SQLException {
        UUID id = rs.getObject("id", UUID.class);
        return new Tier(
                id,
                rs.getString("name"),
                rs.getInt("rank"),
                rs.getBigDecimal("threshold").toBigIntegerExact(),
                rs.getInt("discount_bps"),
                tokenIds(id),
                rs.getObject("created_at", OffsetDateTime.class),
                rs.getObject("updated_at", OffsetDateTime.class));
    }

    private List<UUID> tokenIds(UUID tierId) {
        return db.sql("select token_id from status_tier_tokens where tier_id = ? order by token_id")
                .param(tierId)
                .query(UUID.class)
                .list();
    }
}
