package io.pers.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.health.contributor.Status;

/** Without a chain URL and without anvil there is no chain target (settlement off), and health says so. */
class ChainStackConfigTest {

    @TempDir
    Path home;

    @Test
    void withoutAnvilOrAnRpcUrlTheChainIsOffAndHealthSaysSo() {
        ChainStackConfig config = new ChainStackConfig();
        try (ChainTarget target =
                config.chainTarget("", home.resolve("no-anvil").toString(), home, 0)) {
            assertThat(target.rpc()).isEmpty();
            assertThat(config.chain(target).health().getStatus()).isEqualTo(Status.UNKNOWN);
        }
    }

    @Test
    void aConfiguredRpcUrlIsUsedAsItIs() {
        try (ChainTarget target = new ChainStackConfig().chainTarget("http://node.example:8545", "", home, 0)) {
            assertThat(target.rpc()).contains("http://node.example:8545");
            assertThat(target.embedded()).isNull();
        }
    }
}
