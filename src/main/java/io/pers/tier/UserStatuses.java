package io.pers.tier;

import io.pers.event.DomainEvents;
import io.pers.ledger.Ledger.BalancesChanged;
import io.pers.redemption.StatusTiers;
import io.pers.tenant.TenantContext;
import io.pers.user.Users;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Each user's tier, kept in step with the ledger. A tier is recomputed inside the transaction that
 * changes a balance it counts (not later, from the balance.changed outbox): a redeem checking a
 * minimum tier, or a listing filtered by tier, never sees a tier that disagrees with a committed
 * balance, and no consumer cursor or replay is needed. Every change is kept as history and told
 * to partners as {@code status.upgraded} or {@code status.downgraded}.
 */
@Component
public class UserStatuses implements StatusTiers {

    /** A tier as a user's status shows it. */
    public record Level(UUID id, String name, int rank, int discountBps) {}

    record Change(
            UUID id,
            String direction,
            UUID fromTierId,
            String fromTier,
            UUID toTierId,
            String toTier,
            OffsetDateTime at) {}

    record Status(UUID userId, Level tier, List<Change> history) {}

    private record Stored(UUID tierId, String tierName, int rank) {}

    private static final int HISTORY_SHOWN = 50;

    private final JdbcClient db;
    private final Users users;
    private final DomainEvents events;

    UserStatuses(JdbcClient db, Users users, DomainEvents events) {
        this.db = db;
        this.users = users;
        this.events = events;
    }

    /** Told only for tokens a tier counts (the ledger asks in the same statement that posts). */
    @EventListener
    void on(BalancesChanged changed) {
        changed.userIds().forEach(this::recompute); // sorted by the ledger: a fixed lock order
    }

    /**
     * After the ladder changes, every user who may be affected: anyone holding a counted token and
     * anyone holding a tier. One transaction, one user at a time: fine for thousands of holders;
     * beyond that it wants a background job.
     */
    void recomputeAll() {
        db.sql("""
                        select w.owner_id from balances b join wallets w on w.id = b.wallet_id
                         where w.owner_type = 'USER' and b.token_id in (select token_id from status_tier_tokens)
                        union
                        select user_id from user_statuses where tier_id is not null
                        order by 1""").query(UUID.class).list().forEach(this::recompute);
    }

    /** The user's tier; the lock on the user's status row orders concurrent recomputations. */
    private void recompute(UUID userId) {
        Stored before = lock(userId);
        Optional<Level> earned = earned(userId);
        UUID toId = earned.map(Level::id).orElse(null);
        int toRank = earned.map(Level::rank).orElse(0);
        db.sql(
                        "update user_statuses set tier_id = ?, tier_name = ?, tier_rank = ?, updated_at = now() where user_id = ?")
                .params(toId, earned.map(Level::name).orElse(null), toRank, userId)
                .update();
        if (Objects.equals(before.tierId(), toId)) {
            return; // the same tier; a rename or a new rank is not news
        }
        String direction = toRank > before.rank() ? "UPGRADED" : "DOWNGRADED";
        UUID changeId = UUID.randomUUID();
        db.sql("""
                        insert into user_status_history (id, tenant_id, user_id, direction, from_tier_id, from_tier_name,
                                                         to_tier_id, to_tier_name)
                        values (?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(
                        changeId,
                        TenantContext.requireTenantId(),
                        userId,
                        direction,
                        before.tierId(),
                        before.tierName(),
                        toId,
                        earned.map(Level::name).orElse(null))
                .update();
        Map<String, Object> payload = new HashMap<>();
        payload.put("userId", userId);
        payload.put("from", before.tierId() == null ? null : Map.of("id", before.tierId(), "name", before.tierName()));
        payload.put("to", earned.orElse(null));
        events.record("status." + direction.toLowerCase(), changeId, payload);
    }

    private Stored lock(UUID userId) {
        db.sql("insert into user_statuses (user_id, tenant_id) values (?, ?) on conflict do nothing")
                .params(userId, TenantContext.requireTenantId())
                .update();
        return db.sql("select tier_id, tier_name, tier_rank from user_statuses where user_id = ? for update")
                .param(userId)
                .query((rs, i) -> new Stored(rs.getObject(1, UUID.class), rs.getString(2), rs.getInt(3)))
                .single();
    }

    /** The highest-ranked tier whose threshold the user's current balance of its tokens meets. */
    private Optional<Level> earned(UUID userId) {
        return db.sql("""
                        select t.id, t.name, t.rank, t.discount_bps from status_tiers t
                         where t.threshold <= (select coalesce(sum(b.amount), 0)
                                                 from status_tier_tokens tt
                                                 join balances b on b.token_id = tt.token_id
                                                 join wallets w on w.id = b.wallet_id
                                                where tt.tier_id = t.id and w.owner_type = 'USER' and w.owner_id = ?)
                         order by t.rank desc limit 1""")
                .param(userId)
                .query((rs, i) -> new Level(rs.getObject(1, UUID.class), rs.getString(2), rs.getInt(3), rs.getInt(4)))
                .optional();
    }

    /** The user's current tier (null: none yet) and its latest changes, newest first. */
    Status of(UUID userId) {
        users.find(userId); // an unknown user is 404, not a user without a tier
        Level tier = db.sql("""
                        select t.id, t.name, t.rank, t.discount_bps from user_statuses s
                          join status_tiers t on t.id = s.tier_id where s.user_id = ?""")
                .param(userId)
                .query((rs, i) -> new Level(rs.getObject(1, UUID.class), rs.getString(2), rs.getInt(3), rs.getInt(4)))
                .optional()
                .orElse(null);
        List<Change> history = db.sql("""
                        select id, direction, from_tier_id, from_tier_name, to_tier_id, to_tier_name, created_at
                          from user_status_history where user_id = ? order by created_at desc, id desc limit ?""")
                .params(userId, HISTORY_SHOWN)
                .query((rs, i) -> new Change(
                        rs.getObject(1, UUID.class),
                        rs.getString(2),
                        rs.getObject(3, UUID.class),
                        rs.getString(4),
                        rs.getObject(5, UUID.class),
                        rs.getString(6),
                        rs.getObject(7, OffsetDateTime.class)))
                .list();
        return new Status(userId, tier, history);
    }

    @Override
    public boolean exists(UUID tierId) {
        return db.sql("select exists (select 1 from status_tiers where id = ?)")
                .param(tierId)
                .query(Boolean.class)
                .single();
    }

    @Override
    public Discount discountOf(UUID userId) {
        return db.sql("""
                        select t.name, t.discount_bps from user_statuses s join status_tiers t on t.id = s.tier_id
                         where s.user_id = ?""")
                .param(userId)
                .query((rs, i) -> new Discount(rs.getString(1), rs.getInt(2)))
                .optional()
                .orElse(Discount.NONE);
    }

    /** Tiers are ordered by rank: a user at or above the minimum's rank reaches it. */
    @Override
    public boolean reaches(UUID userId, UUID minimumTierId) {
        return db.sql("""
                        select exists (select 1 from user_statuses s join status_tiers m on m.id = ?
                                        where s.user_id = ? and s.tier_rank >= m.rank)""").params(minimumTierId, userId).query(Boolean.class).single();
    }
}
