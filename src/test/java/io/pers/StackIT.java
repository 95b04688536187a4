package io.pers;

import static org.assertj.core.api.Assertions.assertThat;

import io.pers.stack.ChainTarget;
import io.pers.support.ApiTest;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;
import tools.jackson.databind.JsonNode;

/** The embedded default: every component is up, and health names each one. */
class StackIT extends ApiTest {

    @Autowired
    ChainTarget chain;

    @Test
    void healthReportsEachComponentOfTheEmbeddedStack() {
        JsonNode health = operator().get("/actuator/health").json();

        assertThat(health.path("status").asString()).isEqualTo("UP");
        JsonNode components = health.path("components");
        assertThat(components.path("db").path("status").asString()).isEqualTo("UP");
        assertThat(components.path("temporal").path("status").asString()).isEqualTo("UP");
        assertThat(components.path("kafka").path("status").asString()).isEqualTo("UP");
        assertThat(components.path("kafka").path("details").path("brokers").asInt())
                .isEqualTo(1);
        assertThat(components.path("chain").path("status").asString()).isEqualTo("UP");
    }

    @Test
    void anvilInstalledByTheBuildServesTheLocalChain() throws Exception {
        // The build installs anvil from npm; CI and developer machines have npm.
        assertThat(chain.rpc()).as("anvil from tools/ started").isPresent();
        Web3j web3 = Web3j.build(new HttpService(chain.rpcUrl()));
        try {
            assertThat(web3.ethChainId().send().getChainId()).isEqualTo(BigInteger.valueOf(31337));
            assertThat(web3.ethAccounts().send().getAccounts()).isNotEmpty();
        } finally {
            web3.shutdown();
        }
    }
}
