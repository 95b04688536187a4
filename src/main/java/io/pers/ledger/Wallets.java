package io.pers.ledger;

import io.pers.api.PersException;
import io.pers.tenant.TenantContext;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * One wallet per owner, created on first use. A wallet id never changes once made, so ids are
 * cached: the hot path of a transfer does not look wallets up.
 */
@Component
public class Wallets {

    public enum OwnerType {
        USER,
        BUSINESS,
        TENANT,
        /** A token's share held by on-chain addresses PERS does not know; the owner id is the token's. */
        EXTERNAL
    }

    public record Owner(OwnerType type, UUID id) {}

    private record Key(UUID tenantId, OwnerType type, UUID ownerId) {}

    private static final int CACHE_LIMIT = 100_000;

    private final JdbcClient db;
    private final Map<Key, UUID> cache = new ConcurrentHashMap<>();

    Wallets(JdbcClient db) {
        this.db = db;
    }

    /** The tenant's issuance account: mints draw on it, burns return to it. */
    public UUID issuance() {
        UUID tenant = TenantContext.requireTenantId();
        return walletOf(new Owner(OwnerType.TENANT, tenant));
    }

    /** The owner's wallet, created if it has none; NOT_FOUND when the owner is not the tenant's. */
    public UUID walletOf(Owner owner) {
        Key key = new Key(TenantContext.requireTenantId(), owner.type(), owner.id());
        UUID cached = cache.get(key);
        if (cached != null) {
            return cached;
        }
        requireOwnerExists(owner);
        db.sql("""
                        insert into wallets (id, tenant_id, owner_type, owner_id) values (?, ?, ?, ?)
                        on conflict (tenant_id, owner_type, owner_id) do nothing""")
                .params(UUID.randomUUID(), key.tenantId(), owner.type().name(), owner.id())
                .update();
        UUID id = db.sql("select id from wallets where owner_type = ? and owner_id = ?")
                .params(owner.type().name(), owner.id())
                .query(UUID.class)
                .single();
        remember(key, id);
        return id;
    }

    /** The owner's wallet if it has one yet, without creating it; NOT_FOUND when the owner is not the tenant's. */
    public Optional<UUID> existingWalletOf(Owner owner) {
        UUID cached = cache.get(new Key(TenantContext.requireTenantId(), owner.type(), owner.id()));
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<UUID> found = db.sql("select id from wallets where owner_type = ? and owner_id = ?")
                .params(owner.type().name(), owner.id())
                .query(UUID.class)
                .optional();
        if (found.isEmpty()) {
            requireOwnerExists(owner);
        }
        return found;
    }

    /**
     * Caches only once the wallet's row is committed: a rolled-back wallet must not be reused, nor
     * one a savepoint rolled back (the chain follower applies each event under one) while the
     * transaction around it commits.
     */
    private void remember(Key key, UUID id) {
        Runnable put = () -> {
            if (cache.size() > CACHE_LIMIT) {
                cache.clear();
            }
            cache.put(key, id);
        };
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                private boolean undone;

                @Override
                public void savepointRollback(Object savepoint) {
                    undone = true; // perhaps a savepoint taken before the row: it is only not cached
                }

                @Override
                public void afterCommit() {
                    if (!undone) {
                        put.run();
                    }
                }
            });
        } else {
            put.run();
        }
    }

    private void requireOwnerExists(Owner owner) {
        String table =
                switch (owner.type()) {
                    case USER -> "users";
                    case BUSINESS -> "businesses";
                    case TENANT -> "tenants";
                    case EXTERNAL -> "tokens";
                };
        if (db.sql("select 1 from " + table + " where id = ?")
                .param(owner.id())
                .query(Integer.class)
                .optional()
                .isEmpty()) {
            throw PersException.notFound(
                    switch (owner.type()) {
                        case USER -> "User";
                        case BUSINESS -> "Business";
                        case TENANT -> "Tenant";
                        case EXTERNAL -> "Token";
                    });
        }
    }
}
