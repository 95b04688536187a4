package io.pers.conversion;

import com.fasterxml.jackson.annotation.JsonFormat;
import io.pers.api.ErrorCode;
import io.pers.api.Page;
import io.pers.api.PageQuery;
import io.pers.api.PagedQuery;
import io.pers.api.PersException;
import io.pers.conversion.ConversionRates.Rate;
import io.pers.ledger.Amounts;
import io.pers.ledger.Ledger;
import io.pers.ledger.Ledger.Actor;
import io.pers.ledger.Ledger.Kind;
import io.pers.ledger.Ledger.Posting;
import io.pers.ledger.Ledger.Reason;
import io.pers.ledger.Wallets;
import io.pers.ledger.Wallets.Owner;
import io.pers.ledger.Wallets.OwnerType;
import io.pers.tenant.TenantContext;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Converts an owner's tokens at the rate in force. A journal entry moves one token, so a
 * conversion is two entries in one database transaction, both through the tenant's issuance
 * account: the owner's A goes back to it (BURN) and B comes from it (MINT). Each entry balances;
 * the conversion row ties both to the rate version used. All or nothing: a short balance or an
 * inactive token leaves no entry.
 */
@Component
class Conversions {

    record Conversion(
            UUID id,
            Owner owner,
            UUID rateId,
            int rateVersion,
            UUID fromTokenId,
            UUID toTokenId,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigInteger amountIn,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigInteger amountOut,
            UUID burnTransactionId,
            UUID mintTransactionId,
            OffsetDateTime createdAt) {}

    private final JdbcClient db;
    private final ConversionRates rates;
    private final Ledger ledger;
    private final Wallets wallets;

    Conversions(JdbcClient db, ConversionRates rates, Ledger ledger, Wallets wallets) {
        this.db = db;
        this.rates = rates;
        this.ledger = ledger;
        this.wallets = wallets;
    }

    /** @param rateVersion the version the caller was quoted, refused once superseded; null takes the one in force */
    @Transactional
    Conversion convert(Owner owner, UUID from, UUID to, BigInteger amount, Integer rateVersion, Actor actor) {
        Amounts.requirePositive(amount);
        Rate rate = rates.current(from, to).orElseThrow(() -> PersException.notFound("Conversion rate"));
        if (rateVersion != null && rateVersion != rate.version()) {
            throw new PersException(
                            ErrorCode.RATE_SUPERSEDED,
                            "Rate version " + rateVersion + " is superseded by version " + rate.version())
                    .with("rateVersion", rate.version());
        }
        BigInteger out = rate.convert(amount);
        if (out.signum() == 0) {
            throw new PersException(ErrorCode.INVALID_AMOUNT, "amount converts to nothing at this rate");
        }
        if (out.compareTo(Amounts.UINT256_MAX) > 0) {
            throw new PersException(ErrorCode.BALANCE_OVERFLOW);
        }
        UUID id = UUID.randomUUID();
        UUID wallet = wallets.walletOf(owner);
        UUID burn = post(id, Kind.BURN, from, wallet, wallets.issuance(), amount, actor);
        UUID mint = post(id, Kind.MINT, to, wallets.issuance(), wallet, out, actor);
        db.sql("""
                        insert into conversions (id, tenant_id, owner_type, owner_id, rate_id, amount_in, amount_out,
                                                 burn_entry_id, mint_entry_id)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(
                        id,
                        TenantContext.requireTenantId(),
                        owner.type().name(),
                        owner.id(),
                        rate.id(),
                        new BigDecimal(amount),
                        new BigDecimal(out),
                        burn,
                        mint)
                .update();
        return find(id);
    }

    Conversion find(UUID id) {
        return db.sql(SELECT + " where c.id = ?")
                .param(id)
                .query(Conversions::map)
                .optional()
                .orElseThrow(() -> PersException.notFound("Conversion"));
    }

    /** @param owner whose conversions, or null for the tenant's */
    Page<Conversion> list(Owner owner, PageQuery page) {
        return PagedQuery.from(FROM)
                .and("c.owner_type = ?", owner == null ? null : owner.type())
                .and("c.owner_id = ?", owner == null ? null : owner.id())
                .page(db, COLUMNS, page, "c.id", Conversions::map);
    }

    private UUID post(UUID conversion, Kind kind, UUID token, UUID from, UUID to, BigInteger amount, Actor actor) {
        UUID entry = UUID.randomUUID();
        ledger.post(new Posting(
                entry, kind, token, from, to, amount, Reason.CONVERSION, conversion.toString(), actor, null, null));
        return entry;
    }

    private static final String FROM = "conversions c join conversion_rates r on r.id = c.rate_id";
    private static final String COLUMNS = "c.*, r.version, r.from_token_id, r.to_token_id";
    private static final String SELECT = "select " + COLUMNS + " from " + FROM;

    private static Conversion map(ResultSet rs, int row) throws SQLException {
        return new Conversion(
                rs.getObject("id", UUID.class),
                new Owner(OwnerType.valueOf(rs.getString("owner_type")), rs.getObject("owner_id", UUID.class)),
                rs.getObject("rate_id", UUID.class),
                rs.getInt("version"),
                rs.getObject("from_token_id", UUID.class),
                rs.getObject("to_token_id", UUID.class),
                rs.getBigDecimal("amount_in").toBigIntegerExact(),
                rs.getBigDecimal("amount_out").toBigIntegerExact(),
                rs.getObject("burn_entry_id", UUID.class),
                rs.getObject("mint_entry_id", UUID.class),
                rs.getObject("created_at", OffsetDateTime.class));
    }
}
