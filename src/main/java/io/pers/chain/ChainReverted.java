package io.pers.chain;

import java.util.Optional;

/**
 * The chain refused a call: the node's estimate or call reverted, or a mined transaction's receipt
 * says it failed. {@link #error()} names the contract's custom error when its ABI was at hand.
 */
public final class ChainReverted extends RuntimeException {

    private final String data;
    private final String error;

    ChainReverted(String message, String data) {
        this(message, data, null);
    }

    private ChainReverted(String message, String data, String error) {
        super(error == null ? message : message + " (" + error + ")");
        this.data = data;
        this.error = error;
    }

    /** The revert data as the node returned it (hex), when it returned any. */
    public Optional<String> data() {
        return Optional.ofNullable(data);
    }

    public Optional<String> error() {
        return Optional.ofNullable(error);
    }

    ChainReverted namedBy(ContractArtifact artifact) {
        return artifact.errorName(data)
                .map(name -> new ChainReverted(getMessage(), data, name))
                .orElse(this);
    }
}
