package io.pers.chain;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * What both PERS token contracts share: an ERC1967 proxy in front of a UUPS implementation, roles
 * (OpenZeppelin AccessControl), upgrades by the admin. Calls go out as ABI-encoded functions;
 * reverts come back named by the implementation's ABI.
 */
public abstract class TokenContract {

    /** Held by the tenant's admin key: grants roles, upgrades. */
    public static final byte[] ADMIN_ROLE = new byte[32];
    /** Held by the tenant's settlement key: mints and burns. */
    public static final byte[] MINTER_ROLE = Hash.sha3("MINTER_ROLE".getBytes(StandardCharsets.UTF_8));

    private static final ContractArtifact PROXY = ContractArtifact.load("ERC1967Proxy");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ChainClient chain;
    private final String address;
    private final ContractArtifact abi;

    protected TokenContract(ChainClient chain, String address, ContractArtifact abi) {
        this.chain = chain;
        this.address = address;
        this.abi = abi;
    }

    /** The proxy's address: the token's address for holders and followers. */
    public String address() {
        return address;
    }

    /**
     * Deploys {@code implementation} and an ERC1967 proxy to it that runs {@code initializer} in its
     * constructor, so nobody can initialize the proxy in between. Returns the proxy's address.
     */
    protected static String deployProxied(
            ChainClient chain, TransactionSigner deployer, ContractArtifact implementation, Function initializer) {
        String logic = deploy(chain, deployer, implementation);
        String constructorArgs = FunctionEncoder.encodeConstructor(List.of(
                new Address(logic),
                new DynamicBytes(Numeric.hexStringToByteArray(FunctionEncoder.encode(initializer)))));
        return chain.send(deployer, null, PROXY.bytecode() + constructorArgs).getContractAddress();
    }

    public TransactionReceipt grantRole(Credentials admin, byte[] role, String account) {
        return send(admin, new Function("grantRole", List.of(new Bytes32(role), new Address(account)), List.of()));
    }

    public boolean hasRole(byte[] role, String account) {
        Function hasRole = new Function(
                "hasRole", List.of(new Bytes32(role), new Address(account)), List.of(new TypeReference<Bool>() {}));
        return (Boolean) read(hasRole).get(0).getValue();
    }

    /**
     * Deploys {@code implementation} and points the proxy at it (UUPS {@code upgradeToAndCall}; the
     * current implementation lets only the admin role do it). Storage, balances included, stays with
     * the proxy. Returns the new implementation's address.
     */
    public String upgradeTo(Credentials admin, ContractArtifact implementation) {
        String logic = deploy(chain, TransactionSigner.local(admin), implementation);
        send(
                admin,
                new Function(
                        "upgradeToAndCall", List.of(new Address(logic), new DynamicBytes(new byte[0])), List.of()));
        return logic;
    }

    /** Any function of the token's ABI, sent as a transaction signed by {@code signer}. */
    public TransactionReceipt send(Credentials signer, Function function) {
        return send(TransactionSigner.local(signer), function);
    }

    /** Any function of the token's ABI, sent as a transaction {@code signer} signs. */
    public TransactionReceipt send(TransactionSigner signer, Function function) {
        try {
            return chain.send(signer, address, FunctionEncoder.encode(function));
        } catch (ChainReverted e) {
            throw e.namedBy(abi);
        }
    }

    /** Any view function of the token's ABI, decoded by its output types. */
    @SuppressWarnings("rawtypes")
    public List<Type> read(Function function) {
        try {
            return FunctionReturnDecoder.decode(
                    chain.call(address, FunctionEncoder.encode(function)), function.getOutputParameters());
        } catch (ChainReverted e) {
            throw e.namedBy(abi);
        }
    }

    /** Whether the contract ran a batch with this id (it refuses a second run: BatchAlreadyExecuted). */
    public boolean executed(byte[] batchId) {
        Function executed =
                new Function("executed", List.of(new Bytes32(batchId)), List.of(new TypeReference<Bool>() {}));
        return (Boolean) read(executed).get(0).getValue();
    }

    /** A fresh batch id, for a batch sent outside a settler (a settler derives its own from the items). */
    public static byte[] newBatchId() {
        byte[] id = new byte[32];
        RANDOM.nextBytes(id);
        return id;
    }

    protected BigInteger readUint(Function function) {
        return (BigInteger) read(function).get(0).getValue();
    }

    private static String deploy(ChainClient chain, TransactionSigner deployer, ContractArtifact artifact) {
        return chain.send(deployer, null, artifact.bytecode()).getContractAddress();
    }
}
