package io.pers.ledger;

import com.fasterxml.jackson.annotation.JsonFormat;
import io.pers.api.ErrorCode;
import io.pers.api.PersException;
import io.pers.tenant.TenantContext;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The tokens a tenant issues: CREDIT (points), REWARD and STATUS. */
@Component
public class Tokens {

    public enum Type {
        CREDIT,
        REWARD,
        STATUS
    }

    /** @param expiry when its earned lots expire; null: never */
    public record Token(
            UUID id,
            Type type,
            String name,
            String symbol,
            int decimals,
            boolean active,
            ExpiryPolicy expiry,
            OffsetDateTime createdAt) {}

    /** Minted and burned are totals over the issuance account's postings; outstanding is their difference. */
    public record Supply(
            UUID tokenId,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigInteger minted,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigInteger burned,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigInteger outstanding,
            long holders) {}

    private final JdbcClient db;

    Tokens(JdbcClient db) {
        this.db = db;
    }

    Token create(Type type, String name, String symbol, int decimals, ExpiryPolicy expiry) {
        UUID id = UUID.randomUUID();
        ExpiryPolicy policy = expiry == null ? null : expiry.validated();
        try {
            db.sql("""
                            insert into tokens (id, tenant_id, type, name, symbol, decimals, expiry_policy, expiry_period,
                                                expiry_since)
                            values (?, ?, ?, ?, ?, ?, ?, ?, case when ?::text is null then null else now() end)""")
                    .params(
                            id,
                            TenantContext.requireTenantId(),
                            type.name(),
                            name,
                            symbol,
                            decimals,
                            policy == null ? null : policy.type().name(),
                            policy == null ? null : policy.period(),
                            policy == null ? null : policy.type().name())
                    .update();
        } catch (DuplicateKeyException e) {
            throw new PersException(ErrorCode.ALREADY_EXISTS, "A token with symbol " + symbol + " exists");
        }
        return find(id);
    }

    public Token find(UUID id) {
        return db.sql("select * from tokens where id = ?")
                .param(id)
                .query(Tokens::map)
                .optional()
                .orElseThrow(() -> PersException.notFound("Token"));
    }

    List<Token> list(Boolean active, Type type) {
        return db.sql("""
                        select * from tokens where (?::boolean is null or active = ?) and (?::text is null or type = ?)
                         order by created_at, id""")
                .params(active, active, type == null ? null : type.name(), type == null ? null : type.name())
                .query(Tokens::map)
                .list();
    }

    /**
     * Changes what is given. A new or changed expiry policy starts now ({@code expiry_since}): what
     * users hold counts as earned no earlier than now, so a change never expires points at once.
     */
    Token update(UUID id, String name, Boolean active, ExpiryPolicy expiry) {
        if (db.sql("update tokens set name = coalesce(?, name), active = coalesce(?, active) where id = ?")
                        .params(name, active, id)
                        .update()
                == 0) {
            throw PersException.notFound("Token");
        }
        if (expiry != null) {
            ExpiryPolicy policy = expiry.validated();
            db.sql("""
                            update tokens set expiry_policy = ?, expiry_period = ?,
                                   expiry_since = case when ?::text is null then null
                                                       when expiry_policy is not distinct from ?
                                                        and expiry_period is not distinct from ? then expiry_since
                                                       else now() end
                             where id = ?""")
                    .params(
                            policy == null ? null : policy.type().name(),
                            policy == null ? null : policy.period(),
                            policy == null ? null : policy.type().name(),
                            policy == null ? null : policy.type().name(),
                            policy == null ? null : policy.period(),
                            id)
                    .update();
        }
        return find(id);
    }

    public Supply supply(UUID id) {
        find(id);
        return db.sql("""
                        select coalesce(sum(-p.amount) filter (where p.amount < 0), 0) as minted,
                               coalesce(sum(p.amount) filter (where p.amount > 0), 0) as burned,
                               (select count(*) from balances b where b.token_id = ? and b.amount > 0) as holders
                          from postings p join journal_entries e on e.id = p.entry_id
                          join wallets w on w.id = p.wallet_id
                         where e.token_id = ? and w.owner_type = 'TENANT'""")
                .params(id, id)
                .query((rs, i) -> {
                    BigInteger minted = rs.getBigDecimal("minted").toBigIntegerExact();
                    BigInteger burned = rs.getBigDecimal("burned").toBigIntegerExact();
                    return new Supply(id, minted, burned, minted.subtract(burned), rs.getLong("holders"));
                })
                .single();
    }

    private static Token map(ResultSet rs, int row) throws SQLException {
        return new Token(
                rs.getObject("id", UUID.class),
                Type.valueOf(rs.getString("type")),
                rs.getString("name"),
                rs.getString("symbol"),
                rs.getInt("decimals"),
                rs.getBoolean("active"),
                rs.getString("expiry_policy") == null
                        ? null
                        : ExpiryPolicy.of(rs.getString("expiry_policy"), rs.getInt("expiry_period")),
                rs.getObject("created_at", OffsetDateTime.class));
    }
}
