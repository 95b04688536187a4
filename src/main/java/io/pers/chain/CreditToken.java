package io.pers.chain;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.Event;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.abi.datatypes.generated.Uint8;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/** A credit token: {@code contracts/src/PersCredit.sol} (ERC-20) behind its proxy. */
public final class CreditToken extends TokenContract {

    public static final ContractArtifact IMPLEMENTATION = ContractArtifact.load("PersCredit");

    /** {@code amount} base units to {@code to}. */
    public record Mint(String to, BigInteger amount) {}

    /** {@code Anchored(uint64 indexed window, bytes32 root, bytes32 ledgerHead, uint64 ledgerSeq)}. */
    public static final Event ANCHORED = new Event(
            "Anchored",
            List.of(
                    new TypeReference<Uint64>(true) {},
                    new TypeReference<Bytes32>() {},
                    new TypeReference<Bytes32>() {},
                    new TypeReference<Uint64>() {}));
    /** {@code Withdrawn(address indexed account, uint256 amount, uint256 cumulative, uint64 window)}. */
    public static final Event WITHDRAWN = new Event(
            "Withdrawn",
            List.of(
                    new TypeReference<Address>(true) {},
                    new TypeReference<Uint256>() {},
                    new TypeReference<Uint256>() {},
                    new TypeReference<Uint64>() {}));
    /** topic0 of {@link #ANCHORED}. */
    public static final String ANCHORED_TOPIC = EventEncoder.encode(ANCHORED);
    /** topic0 of {@link #WITHDRAWN}. */
    public static final String WITHDRAWN_TOPIC = EventEncoder.encode(WITHDRAWN);

    /**
     * An anchored settlement window (anchored mode, contracts/README.md): the Merkle root of every
     * holder's cumulative entitlement ({@link EntitlementTree}) and the ledger's hash-chain head and
     * sequence at the window's end. Window 0 (all zeros) is "nothing anchored yet".
     */
    public record Anchor(long window, byte[] root, byte[] ledgerHead, long ledgerSeq) {}

    /** A withdrawal: {@code amount} minted to {@code account}, whose withdrawn total is now {@code cumulative}. */
    public record Withdrawal(String account, BigInteger amount, BigInteger cumulative, long window) {}

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

    /** Anchors a window ({@link #anchorCall}), sent and signed by the minter key. */
    public TransactionReceipt anchor(Credentials minter, long window, byte[] root, byte[] ledgerHead, long ledgerSeq) {
        return send(minter, anchorCall(window, root, ledgerHead, ledgerSeq));
    }

    /**
     * The {@code anchor} call (MINTER_ROLE): {@code window} must be the latest plus one (the first
     * is 1), else {@code WindowOutOfOrder(expected, given)}; a window is never anchored twice.
     */
    public static Function anchorCall(long window, byte[] root, byte[] ledgerHead, long ledgerSeq) {
        return new Function(
                "anchor",
                List.of(
                        new Uint64(BigInteger.valueOf(window)),
                        new Bytes32(root),
                        new Bytes32(ledgerHead),
                        new Uint64(BigInteger.valueOf(ledgerSeq))),
                List.of());
    }

    /** Withdraws {@code account}'s entitlement ({@link #withdrawCall}), sent and paid by {@code sender}. */
    public TransactionReceipt withdraw(
            Credentials sender, String account, BigInteger cumulative, byte[] root, List<byte[]> proof) {
        return send(sender, withdrawCall(account, cumulative, root, proof));
    }

    /**
     * The {@code withdraw} call, anyone's to send (the tokens go to {@code account}): mints {@code
     * cumulative} less {@code withdrawnOf(account)}. Reverts with {@code UnknownRoot} unless {@code
     * root} is the latest anchored, {@code InvalidProof}, or {@code NothingToWithdraw} when the
     * account already withdrew as much.
     */
    public static Function withdrawCall(String account, BigInteger cumulative, byte[] root, List<byte[]> proof) {
        return new Function(
                "withdraw",
                List.of(new Address(account), new Uint256(cumulative), new Bytes32(root), proofArray(proof)),
                List.of());
    }

    /** Whether the proof shows ({@code account}, {@code cumulative}) under the latest anchored root. */
    public boolean verifyEntitlement(String account, BigInteger cumulative, List<byte[]> proof) {
        return (Boolean)
                read(verifyEntitlementCall(account, cumulative, proof)).get(0).getValue();
    }

    /** The {@code verifyEntitlement} view call; its output is one {@link Bool}. */
    public static Function verifyEntitlementCall(String account, BigInteger cumulative, List<byte[]> proof) {
        return new Function(
                "verifyEntitlement",
                List.of(new Address(account), new Uint256(cumulative), proofArray(proof)),
                List.of(new TypeReference<Bool>() {}));
    }

    /** The cumulative entitlement {@code account} withdrew up to. */
    public BigInteger withdrawnOf(String account) {
        return readUint(withdrawnOfCall(account));
    }

    /** The {@code withdrawnOf} view call; its output is one {@link Uint256}. */
    public static Function withdrawnOfCall(String account) {
        return new Function("withdrawnOf", List.of(new Address(account)), List.of(new TypeReference<Uint256>() {}));
    }

    /** The latest anchored window; window 0 when nothing is anchored yet. */
    public Anchor latestAnchor() {
        return latestAnchor(read(latestAnchorCall()));
    }

    /** The {@code latestAnchor} view call; {@link #latestAnchor(List)} decodes its output. */
    public static Function latestAnchorCall() {
        return new Function(
                "latestAnchor",
                List.of(),
                List.of(
                        new TypeReference<Uint64>() {},
                        new TypeReference<Bytes32>() {},
                        new TypeReference<Bytes32>() {},
                        new TypeReference<Uint64>() {}));
    }

    /** The output of {@link #latestAnchorCall()}, decoded by its output types. */
    @SuppressWarnings("rawtypes")
    public static Anchor latestAnchor(List<Type> output) {
        return new Anchor(
                ((BigInteger) output.get(0).getValue()).longValueExact(),
                (byte[]) output.get(1).getValue(),
                (byte[]) output.get(2).getValue(),
                ((BigInteger) output.get(3).getValue()).longValueExact());
    }

    /** The {@code Anchored} event a log holds, if it is one. */
    @SuppressWarnings("rawtypes")
    public static Optional<Anchor> anchored(Log log) {
        if (log.getTopics().size() != 2
                || !ANCHORED_TOPIC.equals(log.getTopics().get(0))) {
            return Optional.empty();
        }
        List<Type> data = FunctionReturnDecoder.decode(log.getData(), ANCHORED.getNonIndexedParameters());
        BigInteger window = (BigInteger) FunctionReturnDecoder.decodeIndexedValue(
                        log.getTopics().get(1), ANCHORED.getIndexedParameters().get(0))
                .getValue();
        return Optional.of(new Anchor(
                window.longValueExact(),
                (byte[]) data.get(0).getValue(),
                (byte[]) data.get(1).getValue(),
                ((BigInteger) data.get(2).getValue()).longValueExact()));
    }

    /** The {@code Withdrawn} event a log holds, if it is one. */
    @SuppressWarnings("rawtypes")
    public static Optional<Withdrawal> withdrawn(Log log) {
        if (log.getTopics().size() != 2
                || !WITHDRAWN_TOPIC.equals(log.getTopics().get(0))) {
            return Optional.empty();
        }
        List<Type> data = FunctionReturnDecoder.decode(log.getData(), WITHDRAWN.getNonIndexedParameters());
        String account = (String) FunctionReturnDecoder.decodeIndexedValue(
                        log.getTopics().get(1), WITHDRAWN.getIndexedParameters().get(0))
                .getValue();
        return Optional.of(new Withdrawal(
                account,
                (BigInteger) data.get(0).getValue(),
                (BigInteger) data.get(1).getValue(),
                ((BigInteger) data.get(2).getValue()).longValueExact()));
    }

    private static DynamicArray<Bytes32> proofArray(List<byte[]> proof) {
        return new DynamicArray<>(
                Bytes32.class, proof.stream().map(Bytes32::new).toList());
    }

    public BigInteger totalSupply() {
        return readUint(new Function("totalSupply", List.of(), List.of(new TypeReference<Uint256>() {})));
    }

    public BigInteger balanceOf(String holder) {
        return readUint(
                new Function("balanceOf", List.of(new Address(holder)), List.of(new TypeReference<Uint256>() {})));
    }
}
