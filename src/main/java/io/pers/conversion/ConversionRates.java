package io.pers.conversion;

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
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Exchange rates from one token to another, as integer ratios. A rate is never edited: publishing
 * one for a pair adds the next version, which is in force from then on (the table is append-only).
 */
@Component
class ConversionRates {

    /** amountOut = floor(amountIn * numerator / denominator). */
    record Rate(
            UUID id,
            UUID fromTokenId,
            UUID toTokenId,
            int version,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigInteger numerator,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigInteger denominator,
            OffsetDateTime createdAt) {

        BigInteger convert(BigInteger amount) {
            return amount.multiply(numerator).divide(denominator);
        }
    }

    private final JdbcClient db;
    private final Tokens tokens;

    ConversionRates(JdbcClient db, Tokens tokens) {
        this.db = db;
        this.tokens = tokens;
    }

    @Transactional
    Rate publish(UUID from, UUID to, BigInteger numerator, BigInteger denominator) {
        Amounts.requirePositive(numerator);
        Amounts.requirePositive(denominator);
        if (from.equals(to)) {
            throw new PersException(ErrorCode.VALIDATION_FAILED, "A conversion goes from one token to another");
        }
        requireConvertible(from);
        requireConvertible(to);
        // Publishers of the same pair take turns, so versions follow each other without gaps.
        db.sql("select pg_advisory_xact_lock(hashtextextended(?, 0))")
                .param("conversion-rate:" + from + ":" + to)
                .query(Object.class)
                .single();
        int version = current(from, to).map(r -> r.version() + 1).orElse(1);
        UUID id = UUID.randomUUID();
        db.sql("""
                        insert into conversion_rates (id, tenant_id, from_token_id, to_token_id, version, numerator, denominator)
                        values (?, ?, ?, ?, ?, ?, ?)""")
                .params(
                        id,
                        TenantContext.requireTenantId(),
                        from,
                        to,
                        version,
                        new BigDecimal(numerator),
                        new BigDecimal(denominator))
                .update();
        return current(from, to).orElseThrow();
    }

    /** The version in force for the pair: the latest. */
    Optional<Rate> current(UUID from, UUID to) {
        return db.sql("""
                        select * from conversion_rates where from_token_id = ? and to_token_id = ?
                         order by version desc limit 1""").params(from, to).query(ConversionRates::map).optional();
    }

    /** @param history every version, or only the ones in force */
    List<Rate> list(UUID from, UUID to, boolean history) {
        return db.sql("""
                        select * from conversion_rates r
                         where (?::uuid is null or from_token_id = ?) and (?::uuid is null or to_token_id = ?)
                           and (? or version = (select max(version) from conversion_rates x
                                                 where x.from_token_id = r.from_token_id and x.to_token_id = r.to_token_id))
                         order by from_token_id, to_token_id, version desc""")
                .params(from, from, to, to, history)
                .query(ConversionRates::map)
                .list();
    }

    /** Status is earned, never bought or converted into. */
    private void requireConvertible(UUID token) {
        if (tokens.find(token).type() == Tokens.Type.STATUS) {
            throw new PersException(ErrorCode.VALIDATION_FAILED, "STATUS tokens cannot be converted");
        }
    }

    private static Rate map(ResultSet rs, int row) throws SQLException {
        return new Rate(
                rs.getObject("id", UUID.class),
                rs.getObject("from_token_id", UUID.class),
                rs.getObject("to_token_id", UUID.class),
                rs.getInt("version"),
                rs.getBigDecimal("numerator").toBigIntegerExact(),
                rs.getBigDecimal("denominator").toBigIntegerExact(),
                rs.getObject("created_at", OffsetDateTime.class));
    }
}
