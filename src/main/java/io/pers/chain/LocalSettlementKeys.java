package io.pers.chain;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The default {@link SettlementKeys}: the key store PERS keeps itself, the settlement key derived
 * from the tenant's sealed HD seed (Custody, {@code m/44'/60'/1'/0/0}) and held in memory only while
 * it signs. Chosen by {@code pers.chain.signer=local} (the default); a KMS implementation is a
 * SettlementKeys bean conditional on another value of that property.
 */
final class LocalSettlementKeys implements SettlementKeys {

    private final Custody custody;

    LocalSettlementKeys(Custody custody) {
        this.custody = custody;
    }

    @Override
    public TransactionSigner settler() {
        return TransactionSigner.local(custody.settler());
    }

    @Override
    public String settlerAddress() {
        return custody.addresses().settler();
    }

    @Configuration(proxyBeanMethods = false)
    static class Default {
        @Bean
        @ConditionalOnProperty(name = "pers.chain.signer", havingValue = "local", matchIfMissing = true)
        SettlementKeys localSettlementKeys(Custody custody) {
            return new LocalSettlementKeys(custody);
        }
    }
}
