package io.pers.chain;

import io.pers.api.ErrorCode;
import io.pers.api.PersException;
import io.pers.crypto.SecretBox;
import io.pers.crypto.Secrets;
import io.pers.tenant.TenantContext;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.web3j.crypto.Bip32ECKeyPair;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.crypto.MnemonicUtils;

/**
 * The tenant's keys, all derived (BIP-32/44) from one seed made for the tenant on first use and kept
 * sealed by {@link SecretBox}: custodial wallets at {@code m/44'/60'/0'/0/<index>}, the settlement
 * (minter) key at {@code m/44'/60'/1'/0/0}, the contracts' admin key at {@code m/44'/60'/2'/0/0}.
 * Private keys exist only in memory while a transaction is signed; addresses are what is stored
 * in clear and shown.
 */
@Component
public class Custody {

    public enum OwnerType {
        USER,
        BUSINESS
    }

    /** Where an owner's tokens go on chain; {@code custodial} false: an address of the owner's own. */
    public record WalletAddress(OwnerType ownerType, UUID ownerId, String address, boolean custodial) {}

    public record Addresses(String settler, String admin) {}

    private static final int HARDENED = Bip32ECKeyPair.HARDENED_BIT;
    private static final int WALLETS = 0;
    private static final int SETTLER = 1;
    private static final int ADMIN = 2;

    private final JdbcClient db;
    private final SecretBox box;

    Custody(JdbcClient db, SecretBox box) {
        this.db = db;
        this.box = box;
    }

    /** The tenant's settler and admin addresses, making its seed on first use. */
    @Transactional
    public Addresses addresses() {
        return db.sql("select settler_address, admin_address from chain_keys")
                .query((rs, i) -> new Addresses(rs.getString(1), rs.getString(2)))
                .optional()
                .orElseGet(this::createKeys);
    }

    Credentials settler() {
        return derive(SETTLER, 0);
    }

    Credentials admin() {
        return derive(ADMIN, 0);
    }

    /** The owner's address: their own when they registered one, else a custodial one derived now. */
    @Transactional
    public String addressOf(OwnerType type, UUID ownerId) {
        return find(type, ownerId).map(WalletAddress::address).orElseGet(() -> {
            addresses();
            int index = db.sql("update chain_keys set next_wallet_index = next_wallet_index + 1"
                            + " returning next_wallet_index - 1")
                    .query(Integer.class)
                    .single();
            // Two first uses at once (two claims of one new user) both derive; the first insert wins
            // and the other's index stays unused, so an address is never shared.
            db.sql("insert into wallet_addresses (tenant_id, owner_type, owner_id, address, hd_index)"
                            + " values (?, ?, ?, ?, ?) on conflict (tenant_id, owner_type, owner_id) do nothing")
                    .params(
                            TenantContext.requireTenantId(),
                            type.name(),
                            ownerId,
                            derive(WALLETS, index).getAddress(),
                            index)
                    .update();
            return find(type, ownerId).orElseThrow().address();
        });
    }

    /** {@link #addressOf}, and whether it is custodial (a key PERS derived) or the owner's own. */
    @Transactional
    public WalletAddress walletAddressOf(OwnerType type, UUID ownerId) {
        addressOf(type, ownerId);
        return find(type, ownerId).orElseThrow();
    }

    public Optional<WalletAddress> find(OwnerType type, UUID ownerId) {
        return db.sql("select address, hd_index from wallet_addresses where owner_type = ? and owner_id = ?")
                .params(type.name(), ownerId)
                .query((rs, i) -> new WalletAddress(type, ownerId, rs.getString(1), rs.getObject(2) != null))
                .optional();
    }

    /**
     * The owner's own address replaces the custodial one from now on; what already settled stays
     * where it went. The custodial index stays reserved, so a derived address is never handed out twice.
     */
    @Transactional
    public WalletAddress registerOwn(OwnerType type, UUID ownerId, String address) {
        String normalized = normalized(address);
        boolean another = db.sql(
                        "select 1 from wallet_addresses where address = ? and (owner_type, owner_id) <> (?, ?)")
                .params(normalized, type.name(), ownerId)
                .query(Integer.class)
                .optional()
                .isPresent();
        if (another) {
            throw addressInUse(normalized);
        }
        boolean anchored = find(type, ownerId)
                .filter(current -> !current.address().equals(normalized))
                .map(current -> db.sql("select exists (select 1 from anchor_entitlements where address = ?)")
                        .param(current.address())
                        .query(Boolean.class)
                        .single())
                .orElse(false);
        if (anchored) {
            // The owner's entitlements of anchored tokens are proven for this address, and their
            // withdrawals go to it: a new address would leave them behind.
            throw new PersException(
                    ErrorCode.ADDRESS_IN_USE,
                    "The current address holds entitlements of an anchored token: it cannot be replaced");
        }
        try {
            db.sql("""
                            insert into wallet_addresses (tenant_id, owner_type, owner_id, address, hd_index)
                            values (?, ?, ?, ?, null)
                            on conflict (tenant_id, owner_type, owner_id)
                            do update set address = excluded.address, hd_index = null, updated_at = now()""")
                    .params(TenantContext.requireTenantId(), type.name(), ownerId, normalized)
                    .update();
        } catch (DuplicateKeyException e) {
            // Another owner registered it since the check: the unique index is the guarantee.
            throw addressInUse(normalized);
        }
        return find(type, ownerId).orElseThrow();
    }

    /** The follower resolves a transfer's address to one owner, so an address is one owner's. */
    private static PersException addressInUse(String address) {
        return new PersException(ErrorCode.ADDRESS_IN_USE, "Address " + address + " is another owner's wallet address");
    }

    /** A 20-byte 0x address in lower case; the zero address is refused (tokens sent there are lost). */
    static String normalized(String address) {
        if (address == null || !address.matches("0x[0-9a-fA-F]{40}") || address.matches("0x0{40}")) {
            throw new PersException(ErrorCode.INVALID_ADDRESS, "Not a usable EVM address: " + address);
        }
        return address.toLowerCase(Locale.ROOT);
    }

    private Addresses createKeys() {
        byte[] seed = MnemonicUtils.generateSeed(MnemonicUtils.generateMnemonic(Secrets.randomBytes(32)), "");
        try {
            Bip32ECKeyPair master = Bip32ECKeyPair.generateKeyPair(seed);
            String settler = address(master, SETTLER, 0);
            String admin = address(master, ADMIN, 0);
            // A concurrent first use may have won: its seed stays, this one is dropped unseen.
            db.sql("insert into chain_keys (tenant_id, seed_enc, settler_address, admin_address)"
                            + " values (?, ?, ?, ?) on conflict do nothing")
                    .params(TenantContext.requireTenantId(), box.seal(seed), settler, admin)
                    .update();
            return db.sql("select settler_address, admin_address from chain_keys")
                    .query((rs, i) -> new Addresses(rs.getString(1), rs.getString(2)))
                    .single();
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    private Credentials derive(int account, int index) {
        addresses();
        byte[] seed = box.open(
                db.sql("select seed_enc from chain_keys").query(byte[].class).single());
        try {
            return Credentials.create(
                    Bip32ECKeyPair.deriveKeyPair(Bip32ECKeyPair.generateKeyPair(seed), path(account, index)));
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    private static String address(Bip32ECKeyPair master, int account, int index) {
        return "0x" + Keys.getAddress(Bip32ECKeyPair.deriveKeyPair(master, path(account, index)));
    }

    /** m/44'/60'/account'/0/index */
    private static int[] path(int account, int index) {
        return new int[] {44 | HARDENED, 60 | HARDENED, account | HARDENED, 0, index};
    }
}
