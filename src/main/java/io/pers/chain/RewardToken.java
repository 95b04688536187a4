package io.pers.chain;

import java.math.BigInteger;
import java.util.List;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * Reward and status tokens: {@code contracts/src/PersRewards.sol} (ERC-1155, one id per PERS
 * token) behind its proxy.
 */
public final class RewardToken extends TokenContract {

    public static final ContractArtifact IMPLEMENTATION = ContractArtifact.load("PersRewards");

    /** {@code amount} base units of token {@code id} to {@code to}. */
    public record Mint(String to, BigInteger id, BigInteger amount) {}

    public RewardToken(ChainClient chain, String address) {
        super(chain, address, IMPLEMENTATION);
    }

    /** {@link #deploy(ChainClient, TransactionSigner, String, String, String)} with a key held here. */
    public static RewardToken deploy(ChainClient chain, Credentials deployer, String uri, String admin, String minter) {
        return deploy(chain, TransactionSigner.local(deployer), uri, admin, minter);
    }

    public static RewardToken deploy(
            ChainClient chain, TransactionSigner deployer, String uri, String admin, String minter) {
        Function initialize = new Function(
                "initialize", List.of(new Utf8String(uri), new Address(admin), new Address(minter)), List.of());
        return new RewardToken(chain, deployProxied(chain, deployer, IMPLEMENTATION, initialize));
    }

    /**
     * Every mint in one transaction (one id or several), one TransferSingle event each, as a batch
     * of its own (a new id).
     */
    public TransactionReceipt mintBatch(Credentials minter, List<Mint> mints) {
        return send(minter, mintBatchCall(newBatchId(), mints));
    }

    /**
     * The {@code mintBatch} call itself, for a caller that signs and sends it on its own terms; the
     * contract runs a {@code batchId} once.
     */
    public static Function mintBatchCall(byte[] batchId, List<Mint> mints) {
        return new Function(
                "mintBatch",
                List.of(
                        new Bytes32(batchId),
                        new DynamicArray<>(
                                Address.class,
                                mints.stream().map(m -> new Address(m.to())).toList()),
                        new DynamicArray<>(
                                Uint256.class,
                                mints.stream().map(m -> new Uint256(m.id())).toList()),
                        new DynamicArray<>(
                                Uint256.class,
                                mints.stream().map(m -> new Uint256(m.amount())).toList())),
                List.of());
    }

    /**
     * {@code mintBatchToCustodial}: the mints of {@link #mintBatchCall} without the EIP-1155
     * acceptance call, for recipients that are keys PERS derived itself (contracts/README.md).
     */
    public static Function mintBatchToCustodialCall(byte[] batchId, List<Mint> mints) {
        Function checked = mintBatchCall(batchId, mints);
        return new Function("mintBatchToCustodial", checked.getInputParameters(), List.of());
    }

    /** The {@code settleBatch} call: ledger movements in order (a null side is a mint or a burn). */
    public static Function settleBatchCall(byte[] batchId, List<Movement> movements) {
        return new Function(
                "settleBatch",
                List.of(
                        new Bytes32(batchId),
                        Movement.addresses(movements, Movement::from),
                        Movement.addresses(movements, Movement::to),
                        new DynamicArray<>(
                                Uint256.class,
                                movements.stream().map(m -> new Uint256(m.id())).toList()),
                        Movement.amounts(movements)),
                List.of());
    }

    /** Burns from any holder, no approval: redemptions and reversals (contracts/README.md). */
    public TransactionReceipt burn(Credentials minter, String from, BigInteger id, BigInteger amount) {
        return send(
                minter,
                new Function("burn", List.of(new Address(from), new Uint256(id), new Uint256(amount)), List.of()));
    }

    /** Marks {@code id} a status token (not transferable between holders) or a plain reward. */
    public TransactionReceipt setStatusToken(Credentials admin, BigInteger id, boolean status) {
        return send(admin, new Function("setStatusToken", List.of(new Uint256(id), new Bool(status)), List.of()));
    }

    public BigInteger balanceOf(String holder, BigInteger id) {
        return readUint(new Function(
                "balanceOf", List.of(new Address(holder), new Uint256(id)), List.of(new TypeReference<Uint256>() {})));
    }
}
