package io.pers.stack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.health.contributor.Status;
import org.springframework.mock.env.MockEnvironment;

/** Without a chain URL and without a dev chain there is no chain target (settlement off), and health says so. */
class ChainStackConfigTest {

    private final DefaultListableBeanFactory noEmbeddedStack = new DefaultListableBeanFactory();

    @Test
    void withoutADevChainOrAnRpcUrlTheChainIsOffAndHealthSaysSo() {
        ChainStackConfig config = new ChainStackConfig();
        try (ChainTarget target =
                config.chainTarget("", new MockEnvironment(), noEmbeddedStack.getBeanProvider(EmbeddedStack.class))) {
            assertThat(target.rpc()).isEmpty();
            assertThat(config.chain(target).health().getStatus()).isEqualTo(Status.UNKNOWN);
        }
    }

    @Test
    void aConfiguredRpcUrlIsUsedAsItIs() {
        try (ChainTarget target = new ChainStackConfig()
                .chainTarget(
                        "http://node.example:8545",
                        new MockEnvironment(),
                        noEmbeddedStack.getBeanProvider(EmbeddedStack.class))) {
            assertThat(target.rpc()).contains("http://node.example:8545");
            assertThat(target.embedded()).isNull();
        }
    }
}
