package io.pers.stack;

import java.util.Optional;

/**
 * The EVM JSON-RPC node settlement talks to: {@code pers.chain.rpc-url}, or the dev chain (anvil)
 * the developer's embedded stack started, or none (settlement off, every token stays off-chain).
 */
public record ChainTarget(String rpcUrl, EmbeddedService embedded) implements AutoCloseable {

    public Optional<String> rpc() {
        return Optional.ofNullable(rpcUrl);
    }

    @Override
    public void close() {
        if (embedded != null) {
            embedded.close();
        }
    }
}
