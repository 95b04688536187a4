package io.pers.chain;

import java.math.BigInteger;
import java.util.List;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.abi.datatypes.generated.Uint8;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/** A credit token: {@code contracts/src/PersCredit.sol} (ERC-20) behind its proxy. */
public final class CreditToken extends TokenContract {

    public static final ContractArtifact IMPLEMENTATION = ContractArtifact.load("PersCredit");

    /** {@code amount} base units to {@code to}. */
    public record Mint(String to, BigInteger amount) {}

    public CreditToken(ChainClient chain, String address) {
        super(chain, address, IMPLEMENTATION);
    }

    /** {@link #deploy(ChainClient, TransactionSigner, String, String, int, String, String)} with a key held here. */
    public static CreditToken deploy(
            ChainClient chain,
            Credentials deployer,
            String name,
            String symbol,
            int decimals,
            String admin,
            String minter) {
        return deploy(chain, TransactionSigner.local(deployer), name, symbol, decimals, admin, minter);
    }

    public static CreditToken deploy(
            ChainClient chain,
            TransactionSigner deployer,
            String name,
            String symbol,
            int decimals,
            String admin,
            String minter) {
        Function initialize = new Function(
                "initialize",
                List.of(
                        new Utf8String(name),
                        new Utf8String(symbol),
                        new Uint8(decimals),
                        new Address(admin),
                        new Address(minter)),
                List.of());
        return new CreditToken(chain, deployProxied(chain, deployer, IMPLEMENTATION, initialize));
    }

    /** Every mint in one transaction, one Transfer event each, as a batch of its own (a new id). */
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
                                mints.stream().map(m -> new Uint256(m.amount())).toList())),
                List.of());
    }

    /** The {@code settleBatch} call: ledger movements in order (a null side is a mint or a burn). */
    public static Function settleBatchCall(byte[] batchId, List<Movement> movements) {
        return new Function(
                "settleBatch",
                List.of(
                        new Bytes32(batchId),
                        Movement.addresses(movements, Movement::from),
                        Movement.addresses(movements, Movement::to),
                        Movement.amounts(movements)),
                List.of());
    }

    /** Burns from any holder, no allowance: redemptions and reversals (contracts/README.md). */
    public TransactionReceipt burn(Credentials minter, String from, BigInteger amount) {
        return send(minter, new Function("burn", List.of(new Address(from), new Uint256(amount)), List.of()));
    }

    /** PROVISIONAL: the contract branch brings these. */
    public static Function anchorCall(long window, byte[] root, byte[] ledgerHead, long ledgerSeq) {
        return new Function(
                "anchor",
                List.of(new Uint64(window), new Bytes32(root), new Bytes32(ledgerHead), new Uint64(ledgerSeq)),
                List.of());
    }

    public static Function withdrawCall(String account, BigInteger cumulative, byte[] root, List<byte[]> proof) {
        return new Function(
                "withdraw",
                List.of(
                        new Address(account),
                        new Uint256(cumulative),
                        new Bytes32(root),
                        new DynamicArray<>(
                                Bytes32.class, proof.stream().map(Bytes32::new).toList())),
                List.of());
    }

    /** The newest anchored window, 0 before the first. */
    public record Anchor(long window, byte[] root, byte[] ledgerHead, long ledgerSeq) {}

    public Anchor latestAnchor() {
        List<org.web3j.abi.datatypes.Type> values = read(new Function(
                "latestAnchor",
                List.of(),
                List.of(
                        new TypeReference<Uint64>() {},
                        new TypeReference<Bytes32>() {},
                        new TypeReference<Bytes32>() {},
                        new TypeReference<Uint64>() {})));
        return new Anchor(
                ((Uint64) values.get(0)).getValue().longValueExact(),
                ((Bytes32) values.get(1)).getValue(),
                ((Bytes32) values.get(2)).getValue(),
                ((Uint64) values.get(3)).getValue().longValueExact());
    }

    public boolean verifyEntitlement(String account, BigInteger cumulative, List<byte[]> proof) {
        List<org.web3j.abi.datatypes.Type> values = read(new Function(
                "verifyEntitlement",
                List.of(
                        new Address(account),
                        new Uint256(cumulative),
                        new DynamicArray<>(
                                Bytes32.class, proof.stream().map(Bytes32::new).toList())),
                List.of(new TypeReference<org.web3j.abi.datatypes.Bool>() {})));
        return (Boolean) values.get(0).getValue();
    }

    public BigInteger totalSupply() {
        return readUint(new Function("totalSupply", List.of(), List.of(new TypeReference<Uint256>() {})));
    }

    public BigInteger withdrawnOf(String holder) {
        return readUint(
                new Function("withdrawnOf", List.of(new Address(holder)), List.of(new TypeReference<Uint256>() {})));
    }

    public BigInteger balanceOf(String holder) {
        return readUint(
                new Function("balanceOf", List.of(new Address(holder)), List.of(new TypeReference<Uint256>() {})));
    }
}
