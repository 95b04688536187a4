package io.pers.chain;

/**
 * Where the current tenant's settlement key signs: deployments of its contracts and every
 * settlement batch (mint, burn, move), fee bumps included. The default is the local key store
 * ({@link LocalSettlementKeys}, {@code pers.chain.signer=local}); an operator who keeps settlement
 * keys in a KMS or HSM provides another bean of this type, selected by another value of
 * {@code pers.chain.signer}, whose signer's address must be the settler address the contracts grant
 * MINTER_ROLE to ({@link #settlerAddress()}).
 */
public interface SettlementKeys {

    /** The current tenant's settlement signer. */
    TransactionSigner settler();

    /** The current tenant's settlement address, without opening any key. */
    String settlerAddress();
}
