package io.pers.expiry;

import io.pers.crypto.Secrets;
import io.pers.event.DomainEvents;
import io.pers.expiry.Lots.Lot;
import io.pers.ledger.Ledger;
import io.pers.ledger.Ledger.Actor;
import io.pers.ledger.Ledger.Kind;
import io.pers.ledger.Ledger.Posting;
import io.pers.ledger.Ledger.Reason;
import io.pers.ledger.Wallets;
import io.pers.ledger.Wallets.Owner;
import io.pers.ledger.Wallets.OwnerType;
import io.pers.tenant.TenantContext;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The expiry job (routes/token-expiry.yaml): for every wallet holding a token with an expiry
 * policy, burns the unspent rest of each lot whose time has come back to the tenant's issuance
 * account (a BURN entry, reason EXPIRY, reference the lot), and records {@code tokens.expiring}
 * once per lot that expires within the notice period.
 *
 * <p>Safe with several instances and with itself: a wallet is worked on under its balance row's
 * lock, taken with SKIP LOCKED (a wallet busy elsewhere waits for the next run), so its lots are
 * computed and burned with no spend in between; and each burn's entry id is derived from its lot,
 * so a lot is expired at most once whatever runs it again. The event is one per (type, lot).
 */
@Component("tokenExpiry")
public class TokenExpiry {

    /** What one run did. */
    public record Run(int walletsVisited, int lotsExpired, BigInteger amountExpired) {}

    private record Holding(UUID walletId, UUID tokenId, OwnerType ownerType, UUID ownerId) {}

    private static final Logger log = LoggerFactory.getLogger(TokenExpiry.class);
    private static final Actor ACTOR = new Actor("SYSTEM", "expiry");

    private final JdbcClient db;
    private final Lots lots;
    private final Ledger ledger;
    private final Wallets wallets;
    private final DomainEvents events;
    private final TransactionTemplate tx;
    private final Duration notice;

    TokenExpiry(
            JdbcClient db,
            Lots lots,
            Ledger ledger,
            Wallets wallets,
            DomainEvents events,
            TransactionTemplate tx,
            @Value("${pers.expiry.notice:7d}") Duration notice) {
        this.db = db;
        this.lots = lots;
        this.ledger = ledger;
        this.wallets = wallets;
        this.events = events;
        this.tx = tx;
        this.notice = notice;
    }

    /** The route's step: a run at the wall clock's now. */
    public Run runDue() {
        Run run = run(Instant.now());
        if (run.lotsExpired() > 0) {
            log.info(
                    "Expired {} lots ({} base units) in {} wallets",
                    run.lotsExpired(),
                    run.amountExpired(),
                    run.walletsVisited());
        }
        return run;
    }

    /** Expires what is due at {@code now} and warns of what is due within the notice period. */
    public Run run(Instant now) {
        Run total = new Run(0, 0, BigInteger.ZERO);
        for (UUID tenant : db.sql("select expiry_tenants()").query(UUID.class).list()) {
            Run ofTenant = TenantContext.callAs(tenant, () -> runTenant(now));
            total = new Run(
                    total.walletsVisited() + ofTenant.walletsVisited(),
                    total.lotsExpired() + ofTenant.lotsExpired(),
                    total.amountExpired().add(ofTenant.amountExpired()));
        }
        return total;
    }

    private Run runTenant(Instant now) {
        List<Holding> holdings = db.sql("""
                        select b.wallet_id, b.token_id, w.owner_type, w.owner_id
                          from balances b join tokens t on t.id = b.token_id join wallets w on w.id = b.wallet_id
                         where t.expiry_policy is not null and t.active and b.amount > 0
                           and w.owner_type in ('USER', 'BUSINESS')""")
                .query((rs, i) -> new Holding(
                        rs.getObject(1, UUID.class),
                        rs.getObject(2, UUID.class),
                        OwnerType.valueOf(rs.getString(3)),
                        rs.getObject(4, UUID.class)))
                .list();
        int visited = 0;
        int expired = 0;
        BigInteger amount = BigInteger.ZERO;
        for (Holding holding : holdings) {
            try {
                List<Lot> burned = tx.execute(status -> expire(holding, now));
                if (burned == null) {
                    continue; // locked by another run or a transfer: the next run takes it
                }
                visited++;
                expired += burned.size();
                amount = burned.stream().map(Lot::remaining).reduce(amount, BigInteger::add);
            } catch (RuntimeException e) {
                log.warn(
                        "Expiry of wallet {} token {} failed: {}", holding.walletId(), holding.tokenId(), e.toString());
            }
        }
        return new Run(visited, expired, amount);
    }

    /** One wallet's due lots burned and coming ones announced, under its balance row's lock; null: locked. */
    private List<Lot> expire(Holding holding, Instant now) {
        if (db.sql("select 1 from balances where wallet_id = ? and token_id = ? for update skip locked")
                .params(holding.walletId(), holding.tokenId())
                .query(Integer.class)
                .optional()
                .isEmpty()) {
            return null;
        }
        Owner owner = new Owner(holding.ownerType(), holding.ownerId());
        List<Lot> held = lots.of(holding.walletId(), holding.tokenId()).stream()
                .filter(lot -> lot.remaining().signum() > 0)
                .toList();
        List<Lot> due = held.stream()
                .filter(lot -> !lot.expiresAt().toInstant().isAfter(now))
                .toList();
        for (Lot lot : due) {
            ledger.post(new Posting(
                    Secrets.derivedId("expiry:" + lot.lotId()),
                    Kind.BURN,
                    holding.tokenId(),
                    holding.walletId(),
                    wallets.issuance(),
                    lot.remaining(),
                    Reason.EXPIRY,
                    lot.lotId().toString(),
                    ACTOR,
                    null,
                    "Expired: earned " + lot.earnedAt().toLocalDate() + ", due " + lot.expiresAt()));
        }
        Instant horizon = now.plus(notice);
        held.stream()
                .filter(lot -> lot.expiresAt().toInstant().isAfter(now)
                        && !lot.expiresAt().toInstant().isAfter(horizon))
                .forEach(lot -> events.record("tokens.expiring", lot.lotId(), expiring(holding, owner, lot)));
        return due;
    }

    private static Map<String, Object> expiring(Holding holding, Owner owner, Lot lot) {
        return Map.of(
                "lotId", lot.lotId(),
                "tokenId", holding.tokenId(),
                "owner", Map.of("type", owner.type().name(), "id", owner.id()),
                "amount", lot.remaining().toString(),
                "earnedAt", lot.earnedAt(),
                "expiresAt", lot.expiresAt());
    }
}
