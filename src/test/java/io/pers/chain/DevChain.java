package io.pers.chain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.util.List;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.http.HttpService;

/**
 * The embedded anvil as tests and benchmarks use it: fresh keys funded through anvil's
 * {@code anvil_setBalance}, so each test's accounts and nonces are its own.
 */
public final class DevChain implements AutoCloseable {

    private static final String HUNDRED_ETH_WEI = "0x56bc75e2d63100000";

    private final HttpService http;
    private final Web3j web3;
    private final ChainClient client;

    public DevChain(String rpcUrl) {
        http = new HttpService(rpcUrl);
        web3 = Web3j.build(http);
        client = new ChainClient(web3);
    }

    public ChainClient client() {
        return client;
    }

    /** A new key with 100 ETH on the chain. */
    public Credentials fundedKey() {
        Credentials key = newKey();
        fund(key.getAddress());
        return key;
    }

    /** 100 ETH for {@code address} (anvil_setBalance). */
    public void fund(String address) {
        rpc("anvil_setBalance", address, HUNDRED_ETH_WEI);
    }

    /**
     * One of anvil's own methods ({@code evm_setAutomine}, {@code evm_mine}, {@code anvil_reorg},
     * {@code anvil_dropTransaction}, ...), its answer as JSON-RPC gave it.
     */
    public Object rpc(String method, Object... params) {
        try {
            Response<Object> answer = new Request<>(method, List.of(params), http, RawAnswer.class).send();
            if (answer.hasError()) {
                throw new IllegalStateException(
                        method + ": " + answer.getError().getMessage());
            }
            return answer.getResult();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Any result: anvil's methods answer null, a bool, a hex string or an object. */
    public static final class RawAnswer extends Response<Object> {}

    /** A new key with nothing on the chain: a holder that only receives. */
    public static Credentials newKey() {
        try {
            return Credentials.create(Keys.createEcKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        web3.shutdown();
    }
}
