package io.pers.purchase;

import io.pers.api.ErrorCode;
import io.pers.api.PersException;
import io.pers.tenant.TenantContext;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** The catalogue of tokens users may buy: one price per token, in a currency's minor units. */
@Component
class PurchasableTokens {

    /**
     * Stripe's largest amount for a charge (eight digits in minor units, e.g. 999,999.99 USD); a
     * catalogue entry whose largest order would exceed it could never be paid.
     */
    static final long MAX_CHARGE = 99_999_999L;

    record PurchasableToken(
            UUID id,
            UUID tokenId,
            String currency,
            long unitPrice,
            long minQuantity,
            long maxQuantity,
            boolean active,
            OffsetDateTime createdAt) {}

    /** Fields of a create or an update; null keeps the current value (an update) or the default. */
    record Terms(UUID tokenId, String currency, Long unitPrice, Long minQuantity, Long maxQuantity, Boolean active) {}

    private final JdbcClient db;

    PurchasableTokens(JdbcClient db) {
        this.db = db;
    }

    @Transactional
    PurchasableToken create(Terms t) {
        if (t.tokenId() == null || t.currency() == null || t.unitPrice() == null) {
            throw new PersException(ErrorCode.VALIDATION_FAILED, "tokenId, currency and unitPrice are required");
        }
        requireToken(t.tokenId());
        UUID id = UUID.randomUUID();
        PurchasableToken entry = checked(new PurchasableToken(
                id,
                t.tokenId(),
                t.currency(),
                t.unitPrice(),
                t.minQuantity() == null ? 1 : t.minQuantity(),
                t.maxQuantity() == null ? MAX_CHARGE / t.unitPrice() : t.maxQuantity(),
                t.active() == null || t.active(),
                null));
        try {
            db.sql("""
                            insert into purchasable_tokens (id, tenant_id, token_id, currency, unit_price, min_quantity,
                                                            max_quantity, active)
                            values (?, ?, ?, ?, ?, ?, ?, ?)""")
                    .params(
                            id,
                            TenantContext.requireTenantId(),
                            entry.tokenId(),
                            entry.currency(),
                            entry.unitPrice(),
                            entry.minQuantity(),
                            entry.maxQuantity(),
                            entry.active())
                    .update();
        } catch (DuplicateKeyException e) {
            throw new PersException(ErrorCode.ALREADY_EXISTS, "Token " + t.tokenId() + " is on sale already");
        }
        return find(id);
    }

    @Transactional
    PurchasableToken update(UUID id, Terms t) {
        PurchasableToken current = find(id);
        if (t.tokenId() != null && !t.tokenId().equals(current.tokenId())) {
            throw new PersException(ErrorCode.VALIDATION_FAILED, "tokenId cannot change: make another entry");
        }
        PurchasableToken next = checked(new PurchasableToken(
                id,
                current.tokenId(),
                t.currency() == null ? current.currency() : t.currency(),
                t.unitPrice() == null ? current.unitPrice() : t.unitPrice(),
                t.minQuantity() == null ? current.minQuantity() : t.minQuantity(),
                t.maxQuantity() == null ? current.maxQuantity() : t.maxQuantity(),
                t.active() == null ? current.active() : t.active(),
                current.createdAt()));
        db.sql("""
                        update purchasable_tokens set currency = ?, unit_price = ?, min_quantity = ?, max_quantity = ?,
                                                      active = ? where id = ?""")
                .params(next.currency(), next.unitPrice(), next.minQuantity(), next.maxQuantity(), next.active(), id)
                .update();
        return find(id);
    }

    /** Removes an entry nobody bought yet; one with purchases is deactivated instead (PATCH active=false). */
    void delete(UUID id) {
        find(id);
        try {
            db.sql("delete from purchasable_tokens where id = ?").param(id).update();
        } catch (DataIntegrityViolationException e) {
            throw new PersException(ErrorCode.CONFLICT_IN_USE, "Entry has purchases: deactivate it instead");
        }
    }

    PurchasableToken find(UUID id) {
        return db.sql(SELECT + " where id = ?")
                .param(id)
                .query(PurchasableTokens::map)
                .optional()
                .orElseThrow(() -> PersException.notFound("Purchasable token"));
    }

    Optional<PurchasableToken> ofToken(UUID tokenId) {
        return db.sql(SELECT + " where token_id = ?")
                .param(tokenId)
                .query(PurchasableTokens::map)
                .optional();
    }

    List<PurchasableToken> list(boolean includeInactive) {
        return db.sql(SELECT + (includeInactive ? "" : " where active") + " order by created_at, id")
                .query(PurchasableTokens::map)
                .list();
    }

    private void requireToken(UUID tokenId) {
        if (db.sql("select 1 from tokens where id = ?")
                .param(tokenId)
                .query(Integer.class)
                .optional()
                .isEmpty()) {
            throw PersException.notFound("Token");
        }
    }

    private static PurchasableToken checked(PurchasableToken p) {
        if (!p.currency().matches("[a-z]{3}")) {
            throw new PersException(
                    ErrorCode.VALIDATION_FAILED, "currency must be an ISO 4217 code in lower case, e.g. eur");
        }
        if (p.unitPrice() <= 0 || p.minQuantity() <= 0 || p.maxQuantity() < p.minQuantity()) {
            throw new PersException(
                    ErrorCode.VALIDATION_FAILED,
                    "unitPrice and minQuantity must be positive, maxQuantity >= minQuantity");
        }
        if (p.maxQuantity() > MAX_CHARGE / p.unitPrice()) {
            throw new PersException(
                    ErrorCode.VALIDATION_FAILED,
                    "maxQuantity x unitPrice exceeds the largest charge (" + MAX_CHARGE + " minor units)");
        }
        return p;
    }

    private static final String SELECT =
            "select id, token_id, currency, unit_price, min_quantity, max_quantity, active, created_at"
                    + " from purchasable_tokens";

    private static PurchasableToken map(ResultSet rs, int row) throws SQLException {
        return new PurchasableToken(
                rs.getObject("id", UUID.class),
                rs.getObject("token_id", UUID.class),
                rs.getString("currency"),
                rs.getLong("unit_price"),
                rs.getLong("min_quantity"),
                rs.getLong("max_quantity"),
                rs.getBoolean("active"),
                rs.getObject("created_at", OffsetDateTime.class));
    }
}
