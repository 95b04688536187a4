package io.pers.claim;

import java.util.List;
import java.util.UUID;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Until a chain capability provides a {@link SettlementPort}, every token is off-chain. */
@Configuration(proxyBeanMethods = false)
class OffChainSettlement {

    @Bean
    @ConditionalOnMissingBean(SettlementPort.class)
    SettlementPort noChainSettlement() {
        return new SettlementPort() {
            @Override
            public boolean settles(UUID tokenId) {
                return false;
            }

            @Override
            public void settle(UUID tenantId, UUID claimId, List<Mint> mints) {
                throw new IllegalStateException("No chain is bound to these tokens");
            }
        };
    }
}
