package io.pers.bench;

import io.pers.chain.CreditToken;
import io.pers.chain.DevChain;
import io.pers.chain.EntitlementTree;
import io.pers.chain.RewardToken;
import io.pers.chain.TokenContract;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.ToLongFunction;
import java.util.stream.IntStream;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * Gas per settled claim: one batch mint transaction for n claims against one plain {@code mint}
 * transaction per claim, on the app's anvil, for both token contracts behind their proxies and for
 * holders new to the token (a new balance slot) and holders who already hold it. Gas is exact and
 * deterministic for the same contracts, so these figures do not vary with the machine.
 *
 * <p>Then PersCredit's anchored mode: one {@code anchor} transaction per settlement window of n
 * claims (whatever n), so gas per claim is its gas / n; and one {@code withdraw} with a proof from
 * that window's tree, by a holder new to the token and by one withdrawing a second time.
 */
final class GasBenchmark {

    private static final int[] BATCH_SIZES = {1, 10, 100};
    private static final int SINGLE_MINTS = 10;
    private static final BigInteger AMOUNT = BigInteger.valueOf(100);
    private static final BigInteger REWARD_ID = BigInteger.ONE;
    private static final int[] WINDOW_SIZES = {100, 1_000, 10_000};
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DevChain chain;
    private final Credentials admin;
    private final Credentials minter;

    private GasBenchmark(DevChain chain) {
        this.chain = chain;
        this.admin = chain.fundedKey();
        this.minter = chain.fundedKey();
    }

    static void run(String rpcUrl) {
        try (DevChain chain = new DevChain(rpcUrl)) {
            new GasBenchmark(chain).print();
        }
    }

    /** A token as the benchmark drives it: gas of one batch of claims, and of one plain mint. */
    private record Settled(ToLongFunction<List<String>> batch, ToLongFunction<String> single) {}

    private void print() {
        System.out.println();
        System.out.println(
                "Gas per settled claim: one mintBatch of n claims vs one mint transaction per claim (anvil)");
        System.out.printf(
                "%-9s  %-8s  %5s  %12s  %10s  %11s  %6s%n",
                "token", "holders", "batch", "gas/tx", "gas/claim", "single mint", "ratio");
        measure("ERC-20", credit());
        measure("ERC-1155", rewards(RewardToken::mintBatchToCustodialCall));
        measure("ERC-1155*", rewards(RewardToken::mintBatchCall));
        System.out.println("ERC-1155: mintBatchToCustodial (custodial keys PERS derived: no acceptance call);"
                + " ERC-1155*: mintBatch (holders' own addresses: acceptance checked)");
        System.out.println();
        anchored();
    }

    /** Anchored mode: anchor gas per window and per claim, withdrawal gas, each beside a single mint. */
    private void anchored() {
        CreditToken credit = CreditToken.deploy(
                chain.client(), admin, "Bench anchored", "BNA", 0, admin.getAddress(), minter.getAddress());
        Credentials relayer = chain.fundedKey();
        long singleNew = 0;
        long singleExisting = 0;
        for (int i = 0; i < SINGLE_MINTS; i++) {
            String holder = address();
            singleNew += mint(credit, new Address(holder), new Uint256(AMOUNT));
            singleExisting += mint(credit, new Address(holder), new Uint256(AMOUNT));
        }
        singleNew /= SINGLE_MINTS;
        singleExisting /= SINGLE_MINTS;

        System.out.println("Anchored mode (PersCredit): one anchor transaction per window of n claims,"
                + " one withdraw transaction per holder's withdrawal (anvil)");
        System.out.printf(
                "%-24s  %6s  %8s  %10s  %11s  %7s%n",
                "transaction", "claims", "gas/tx", "gas/claim", "single mint", "ratio");
        long window = 0;
        // The first window writes the anchor's slots for the first time (zero to non-zero).
        EntitlementTree first = tree(List.of(address()), AMOUNT);
        long firstGas = gas(credit.anchor(minter, ++window, first.root(), head(window), window));
        row("anchor, first window", 1, firstGas, singleExisting);
        for (int size : WINDOW_SIZES) {
            List<String> holders = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                holders.add(address());
            }
            EntitlementTree tree = tree(holders, AMOUNT);
            long anchorGas = gas(credit.anchor(minter, ++window, tree.root(), head(window), window));
            row("anchor", size, anchorGas, singleExisting);

            String holder = holders.get(size / 2);
            long withdrawNew = gas(credit.withdraw(relayer, holder, AMOUNT, tree.root(), tree.proof(holder)));
            // The next window: this holder earned AMOUNT more, and withdraws a second time.
            List<EntitlementTree.Entitlement> more = new ArrayList<>(size);
            for (String h : holders) {
                more.add(new EntitlementTree.Entitlement(h, h.equals(holder) ? AMOUNT.add(AMOUNT) : AMOUNT));
            }
            EntitlementTree next = EntitlementTree.of(more);
            credit.anchor(minter, ++window, next.root(), head(window), window);
            long withdrawAgain =
                    gas(credit.withdraw(relayer, holder, AMOUNT.add(AMOUNT), next.root(), next.proof(holder)));
            row("withdraw, new holder", size, withdrawNew, singleNew);
            row("withdraw, second time", size, withdrawAgain, singleExisting);
        }
        System.out.println("anchor: gas/claim = gas/tx / claims, against a single mint to an existing holder;"
                + " withdraw: one holder's transaction (proof from a window of that many claims), against a"
                + " single mint to a new holder (new) or an existing one (second time)");
        System.out.println();
    }

    private static void row(String transaction, int claims, long gas, long single) {
        boolean anchor = transaction.startsWith("anchor");
        double perClaim = anchor ? (double) gas / claims : gas;
        System.out.printf(
                "%-24s  %6d  %8d  %10.1f  %11d  %6.2f%%%n",
                transaction, claims, gas, perClaim, single, 100.0 * perClaim / single);
    }

    private static EntitlementTree tree(List<String> holders, BigInteger each) {
        return EntitlementTree.of(holders.stream()
                .map(h -> new EntitlementTree.Entitlement(h, each))
                .toList());
    }

    private static byte[] head(long window) {
        return Hash.sha3(Numeric.toBytesPadded(BigInteger.valueOf(window), 32));
    }

    /** A fresh address nobody holds: 20 random bytes (no key needed to receive). */
    private static String address() {
        byte[] address = new byte[20];
        RANDOM.nextBytes(address);
        return Numeric.toHexString(address);
    }

    private static long gas(org.web3j.protocol.core.methods.response.TransactionReceipt receipt) {
        return receipt.getGasUsed().longValueExact();
    }

    private void measure(String token, Settled settled) {
        for (boolean existing : new boolean[] {false, true}) {
            long single = 0;
            for (int i = 0; i < SINGLE_MINTS; i++) {
                single += settled.single().applyAsLong(holder(settled, existing));
            }
            single /= SINGLE_MINTS;
            for (int size : BATCH_SIZES) {
                List<String> holders = IntStream.range(0, size)
                        .mapToObj(i -> holder(settled, existing))
                        .toList();
                long gas = settled.batch().applyAsLong(holders);
                System.out.printf(
                        "%-9s  %-8s  %5d  %12d  %10d  %11d  %5.1f%%%n",
                        token,
                        existing ? "existing" : "new",
                        size,
                        gas,
                        gas / size,
                        single,
                        100.0 * gas / size / single);
            }
        }
    }

    /** A holder new to the token, or one the token already minted to (outside the measurement). */
    private static String holder(Settled settled, boolean existing) {
        String holder = DevChain.newKey().getAddress();
        if (existing) {
            settled.batch().applyAsLong(List.of(holder));
        }
        return holder;
    }

    private Settled credit() {
        CreditToken credit = CreditToken.deploy(
                chain.client(), admin, "Bench credits", "BNC", 0, admin.getAddress(), minter.getAddress());
        return new Settled(
                holders -> credit.mintBatch(
                                minter,
                                holders.stream()
                                        .map(h -> new CreditToken.Mint(h, AMOUNT))
                                        .toList())
                        .getGasUsed()
                        .longValueExact(),
                holder -> mint(credit, new Address(holder), new Uint256(AMOUNT)));
    }

    private Settled rewards(BiFunction<byte[], List<RewardToken.Mint>, Function> batchCall) {
        RewardToken rewards = RewardToken.deploy(
                chain.client(), admin, "https://bench.test/{id}.json", admin.getAddress(), minter.getAddress());
        return new Settled(
                holders -> rewards.send(
                                minter,
                                batchCall.apply(
                                        TokenContract.newBatchId(),
                                        holders.stream()
                                                .map(h -> new RewardToken.Mint(h, REWARD_ID, AMOUNT))
                                                .toList()))
                        .getGasUsed()
                        .longValueExact(),
                holder -> mint(rewards, new Address(holder), new Uint256(REWARD_ID), new Uint256(AMOUNT)));
    }

    /** The contract's own single {@code mint}: what settling claim by claim would send. */
    private long mint(TokenContract token, Type<?>... arguments) {
        return token.send(minter, new Function("mint", List.of(arguments), List.of()))
                .getGasUsed()
                .longValueExact();
    }
}
