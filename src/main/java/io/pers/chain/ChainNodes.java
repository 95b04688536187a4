package io.pers.chain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;

/** One JSON-RPC client per RPC URL, made on first use (a node that does not answer is not kept). */
@Component
class ChainNodes {

    /** What a dev chain's settler is topped up to: enough for thousands of batches. */
    private static final BigInteger DEV_FUNDS_WEI = BigInteger.TEN.pow(21);

    private final Map<String, ChainClient> clients = new ConcurrentHashMap<>();
    private final Map<String, HttpService> transports = new ConcurrentHashMap<>();

    ChainClient client(String rpcUrl) {
        return clients.computeIfAbsent(rpcUrl, url -> new ChainClient(Web3j.build(transport(url))));
    }

    ChainClient client(Chains.Chain chain) {
        return client(chain.rpcUrl());
    }

    /**
     * On the embedded anvil nobody else funds the tenant's settler: PERS tops it up there itself.
     * On any other chain the operator funds the settler address the status view shows.
     */
    void fundOnDevChain(Chains.Chain chain, String address) {
        if (!chain.embedded() || client(chain).balance(address).compareTo(DEV_FUNDS_WEI.shiftRight(1)) > 0) {
            return;
        }
        try {
            VoidResponse funded = new Request<>(
                            "anvil_setBalance",
                            List.of(address, "0x" + DEV_FUNDS_WEI.toString(16)),
                            transport(chain.rpcUrl()),
                            VoidResponse.class)
                    .send();
            if (funded.hasError()) {
                throw new IllegalStateException(
                        "anvil_setBalance: " + funded.getError().getMessage());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpService transport(String rpcUrl) {
        return transports.computeIfAbsent(rpcUrl, HttpService::new);
    }
}
