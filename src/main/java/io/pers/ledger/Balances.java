package io.pers.ledger;

import com.fasterxml.jackson.annotation.JsonFormat;
import io.pers.ledger.Wallets.Owner;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** What each owner holds, per token. */
@Component
public class Balances {

    public record Balance(
            UUID tokenId,
            String symbol,
            int decimals,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigInteger amount) {}

    private final JdbcClient db;
    private final Wallets wallets;

    Balances(JdbcClient db, Wallets wallets) {
        this.db = db;
        this.wallets = wallets;
    }

    public List<Balance> of(Owner owner, UUID tokenId) {
        Optional<UUID> wallet = wallets.existingWalletOf(owner);
        if (wallet.isEmpty()) {
            return List.of();
        }
        return db.sql("""
                        select t.id, t.symbol, t.decimals, b.amount from balances b join tokens t on t.id = b.token_id
                         where b.wallet_id = ? and (?::uuid is null or b.token_id = ?) order by t.symbol""")
                .params(wallet.get(), tokenId, tokenId)
                .query((rs, i) -> new Balance(
                        rs.getObject(1, UUID.class),
                        rs.getString(2),
                        rs.getInt(3),
                        rs.getBigDecimal(4).toBigIntegerExact()))
                .list();
    }
}
