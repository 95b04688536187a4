package io.pers.expiry;

import com.fasterxml.jackson.annotation.JsonFormat;
import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A wallet's lots of a token with an expiry policy, derived from the journal (nothing is stored
 * beside it, so the ledger's hot path is untouched):
 *
 * <ul>
 *   <li>a lot is an entry crediting the wallet that is not itself a REVERSAL, less the REVERSAL of
 *       that entry if it was reversed (a reversed claim takes back its own lot);
 *   <li>consumption C is what left the wallet (spends, transfers, partial reversals, earlier
 *       expiries) less the REVERSALs that gave some of it back (a refunded redeem);
 *   <li>lots are spent oldest first: with lots ordered by earning, a lot's remaining is
 *       {@code clamp(cumulative through the lot - C, 0, lot amount)}.
 * </ul>
 *
 * The remainings sum to the wallet's balance. Every policy expires lots in earning order, so the
 * expired ones are always the oldest: expiring one adds its remaining to C and leaves the later
 * lots' remainings as they were.
 */
@Component
class Lots {

    /**
     * @param expiresAt the first instant the lot is no longer spendable
     * @param remaining what is left of it after spending, oldest lots first
     */
    record Lot(
            UUID lotId,
            OffsetDateTime earnedAt,
            OffsetDateTime expiresAt,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigInteger amount,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigInteger remaining) {}

    /** What a loyalty app shows: "120 points expire on 2027-01-31", per token and date. */
    record Expiring(
            UUID tokenId,
            String symbol,
            int decimals,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigInteger amount,
            OffsetDateTime expiresAt) {}

    private final JdbcClient db;

    Lots(JdbcClient db) {
        this.db = db;
    }

    /** The wallet's unspent lots that have not expired yet, summed per token and expiry instant, soonest first. */
    List<Expiring> expiring(UUID walletId, Instant now) {
        record Held(UUID tokenId, String symbol, int decimals) {}
        List<Held> tokens = db.sql("""
                        select t.id, t.symbol, t.decimals from balances b join tokens t on t.id = b.token_id
                         where b.wallet_id = ? and b.amount > 0 and t.expiry_policy is not null order by t.symbol""")
                .param(walletId)
                .query((rs, i) -> new Held(rs.getObject(1, UUID.class), rs.getString(2), rs.getInt(3)))
                .list();
        List<Expiring> expiring = new ArrayList<>();
        for (Held token : tokens) {
            Map<OffsetDateTime, BigInteger> byDate = new TreeMap<>();
            for (Lot lot : of(walletId, token.tokenId())) {
                if (lot.remaining().signum() > 0 && lot.expiresAt().toInstant().isAfter(now)) {
                    byDate.merge(lot.expiresAt(), lot.remaining(), BigInteger::add);
                }
            }
            byDate.forEach((at, amount) ->
                    expiring.add(new Expiring(token.tokenId(), token.symbol(), token.decimals(), amount, at)));
        }
        expiring.sort(Comparator.comparing(Expiring::expiresAt).thenComparing(Expiring::symbol));
        return expiring;
    }

    /** The wallet's lots of the token, oldest first; none when the token has no expiry policy. */
    List<Lot> of(UUID walletId, UUID tokenId) {
        return db.sql("""
                        with flows as (
                          select e.id, e.kind, e.reverses_entry_id, e.created_at, p.amount
                            from postings p join journal_entries e on e.id = p.entry_id
                           where p.wallet_id = ? and e.token_id = ?
                        ),
                        lots as (
                          select l.id, l.created_at, l.amount + coalesce(r.amount, 0) as amount
                            from flows l left join flows r on r.reverses_entry_id = l.id
                           where l.kind <> 'REVERSAL' and l.amount > 0
                        ),
                        consumed as (
                          select coalesce(sum(case when kind <> 'REVERSAL' and amount < 0 then -amount
                                                   when kind = 'REVERSAL' and amount > 0 then -amount
                                                   else 0 end), 0) as c
                            from flows
                        )
                        select l.id, l.created_at,
                               lot_expires_at(t.expiry_policy, t.expiry_period, t.expiry_since, l.created_at) as expires_at,
                               l.amount,
                               least(greatest(sum(l.amount) over (order by l.created_at, l.id) - c.c, 0), l.amount)
                                 as remaining
                          from lots l cross join consumed c join tokens t on t.id = ?
                         where t.expiry_policy is not null
                         order by l.created_at, l.id""")
                .params(walletId, tokenId, tokenId)
                .query((rs, i) -> new Lot(
                        rs.getObject("id", UUID.class),
                        rs.getObject("created_at", OffsetDateTime.class),
                        rs.getObject("expires_at", OffsetDateTime.class),
                        rs.getBigDecimal("amount").toBigIntegerExact(),
                        rs.getBigDecimal("remaining").toBigIntegerExact()))
                .list();
    }
}
