package io.pers.campaign;

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
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** What a claim on a campaign mints of each token, and the campaign's budget in it. */
@Component
class TokenUnits {

    /** Remaining is the budget left (maxAmount - usedAmount), null when the budget is unlimited. */
    record TokenUnit(
            UUID id,
            UUID campaignId,
            UUID tokenId,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigInteger amount,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigInteger maxAmount,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigInteger usedAmount,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigInteger remaining) {}

    private final JdbcClient db;
    private final Tokens tokens;

    TokenUnits(JdbcClient db, Tokens tokens) {
        this.db = db;
        this.tokens = tokens;
    }

    /** Adds a token to a campaign the caller has already found; one unit per token. */
    TokenUnit add(UUID campaignId, UUID tokenId, BigInteger amount, BigInteger maxAmount) {
        Amounts.requirePositive(amount);
        if (maxAmount != null) {
            Amounts.requirePositive(maxAmount);
        }
        tokens.find(tokenId);
        UUID id = UUID.randomUUID();
        try {
            db.sql("""
                            insert into campaign_token_units (id, tenant_id, campaign_id, token_id, amount, max_amount)
                            values (?, ?, ?, ?, ?, ?)""")
                    .params(
                            id,
                            TenantContext.requireTenantId(),
                            campaignId,
                            tokenId,
                            new BigDecimal(amount),
                            maxAmount == null ? null : new BigDecimal(maxAmount))
                    .update();
        } catch (DuplicateKeyException e) {
            throw new PersException(ErrorCode.ALREADY_EXISTS, "The campaign already has a unit of this token");
        }
        return db.sql("select * from campaign_token_units where id = ?")
                .param(id)
                .query(TokenUnits::map)
                .single();
    }

    void remove(UUID campaignId, UUID unitId) {
        int deleted;
        try {
            deleted = db.sql("delete from campaign_token_units where id = ? and campaign_id = ?")
                    .params(unitId, campaignId)
                    .update();
        } catch (DataIntegrityViolationException e) {
            throw new PersException(
                    ErrorCode.CONFLICT_IN_USE, "Claims have minted through this token unit; it cannot be removed");
        }
        if (deleted == 0) {
            throw PersException.notFound("Token unit");
        }
    }

    /** The units of several campaigns at once, by campaign. */
    Map<UUID, List<TokenUnit>> of(Collection<UUID> campaignIds) {
        return db
                .sql("select * from campaign_token_units where campaign_id = any(?::uuid[]) order by token_id, id")
                .param(SqlArrays.uuids(campaignIds))
                .query(TokenUnits::map)
                .list()
                .stream()
                .collect(Collectors.groupingBy(TokenUnit::campaignId));
    }

    private static TokenUnit map(ResultSet rs, int row) throws SQLException {
        BigInteger max = integer(rs.getBigDecimal("max_amount"));
        BigInteger used = integer(rs.getBigDecimal("used_amount"));
        return new TokenUnit(
                rs.getObject("id", UUID.class),
                rs.getObject("campaign_id", UUID.class),
                rs.getObject("token_id", UUID.class),
                integer(rs.getBigDecimal("amount")),
                max,
                used,
                max == null ? null : max.subtract(used));
    }

    private static BigInteger integer(BigDecimal value) {
        return value == null ? null : value.toBigIntegerExact();
    }
}
