package io.pers.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pers.stack.ChainTarget;
import io.pers.support.ApiTest;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Uint8;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * PersCredit's anchored mode on the app's anvil: one anchor transaction per settlement window, holders
 * (or anyone for them) withdraw with proofs from {@link EntitlementTree} (contracts/README.md).
 */
class AnchoredCreditIT extends ApiTest {

    @Autowired
    ChainTarget target;

    DevChain chain;
    Credentials admin;
    Credentials minter;
    Credentials relayer;

    @BeforeEach
    void keys() {
        chain = new DevChain(target.rpc().orElseThrow());
        admin = chain.fundedKey();
        minter = chain.fundedKey();
        relayer = chain.fundedKey();
    }

    @AfterEach
    void close() {
        chain.close();
    }

    @Test
    void aWindowOf1000EntitlementsIsAnchoredInOneTransactionAndHoldersWithdrawWhatItProves() {
        CreditToken credit = credit();
        List<String> holders = holders(1000);
        EntitlementTree tree = EntitlementTree.of(IntStream.range(0, 1000)
                .mapToObj(i -> new EntitlementTree.Entitlement(holders.get(i), BigInteger.valueOf(1000 + i)))
                .toList());
        byte[] head = head("entry 1000");
        BigInteger nonce = chain.client().pendingNonce(minter.getAddress());

        TransactionReceipt anchored = credit.anchor(minter, 1, tree.root(), head, 1000);

        assertThat(chain.client().pendingNonce(minter.getAddress())).isEqualTo(nonce.add(BigInteger.ONE));
        assertThat(anchored.getLogs()).hasSize(1);
        CreditToken.Anchor event =
                CreditToken.anchored(anchored.getLogs().get(0)).orElseThrow();
        CreditToken.Anchor latest = credit.latestAnchor();
        for (CreditToken.Anchor anchor : List.of(event, latest)) {
            assertThat(anchor.window()).isEqualTo(1);
            assertThat(anchor.root()).isEqualTo(tree.root());
            assertThat(anchor.ledgerHead()).isEqualTo(head);
            assertThat(anchor.ledgerSeq()).isEqualTo(1000);
        }

        // The tenant pays the gas for some, a holder sends its own: the tokens go to the holder either way.
        for (int i : new int[] {0, 1, 499, 998, 999}) {
            String holder = holders.get(i);
            BigInteger cumulative = BigInteger.valueOf(1000 + i);
            assertThat(credit.verifyEntitlement(holder, cumulative, tree.proof(holder)))
                    .isTrue();
            TransactionReceipt receipt = credit.withdraw(relayer, holder, cumulative, tree.root(), tree.proof(holder));
            CreditToken.Withdrawal withdrawal = receipt.getLogs().stream()
                    .flatMap(log -> CreditToken.withdrawn(log).stream())
                    .findFirst()
                    .orElseThrow();
            assertThat(withdrawal.account()).isEqualToIgnoringCase(holder);
            assertThat(withdrawal.amount()).isEqualTo(cumulative);
            assertThat(withdrawal.cumulative()).isEqualTo(cumulative);
            assertThat(withdrawal.window()).isEqualTo(1);
            assertThat(credit.balanceOf(holder)).isEqualTo(cumulative);
            assertThat(credit.withdrawnOf(holder)).isEqualTo(cumulative);
        }
        Credentials self = holderKey();
        EntitlementTree withSelf = EntitlementTree.of(List.of(
                new EntitlementTree.Entitlement(self.getAddress(), BigInteger.TEN),
                new EntitlementTree.Entitlement(holders.get(0), BigInteger.valueOf(1000))));
        credit.anchor(minter, 2, withSelf.root(), head("entry 1001"), 1001);
        credit.withdraw(self, self.getAddress(), BigInteger.TEN, withSelf.root(), withSelf.proof(self.getAddress()));
        assertThat(credit.balanceOf(self.getAddress())).isEqualTo(BigInteger.TEN);
        assertThat(credit.balanceOf(holders.get(2))).isZero();
    }

    @Test
    void aReplayedProofOrOneForMoreThanEarnedIsRefused() {
        CreditToken credit = credit();
        List<String> holders = holders(5);
        EntitlementTree tree = tree(holders, 100);
        credit.anchor(minter, 1, tree.root(), head("a"), 5);
        String holder = holders.get(3);
        credit.withdraw(relayer, holder, BigInteger.valueOf(100), tree.root(), tree.proof(holder));

        assertReverts(
                () -> credit.withdraw(relayer, holder, BigInteger.valueOf(100), tree.root(), tree.proof(holder)),
                "NothingToWithdraw");
        assertReverts(
                () -> credit.withdraw(
                        relayer, holders.get(1), BigInteger.valueOf(101), tree.root(), tree.proof(holders.get(1))),
                "InvalidProof");
        // Another holder's proof, or a holder's proof for another account, proves nothing.
        assertReverts(
                () -> credit.withdraw(
                        relayer, holders.get(1), BigInteger.valueOf(100), tree.root(), tree.proof(holders.get(2))),
                "InvalidProof");
        String stranger = DevChain.newKey().getAddress();
        assertReverts(
                () -> credit.withdraw(relayer, stranger, BigInteger.valueOf(100), tree.root(), tree.proof(holder)),
                "InvalidProof");

        assertThat(credit.balanceOf(holder)).isEqualTo(BigInteger.valueOf(100));
        assertThat(credit.balanceOf(holders.get(1))).isZero();
        assertThat(credit.balanceOf(stranger)).isZero();
        assertThat(credit.withdrawnOf(holders.get(1))).isZero();
    }

    @Test
    void onlyTheLatestRootCounts() {
        CreditToken credit = credit();
        List<String> holders = holders(3);
        EntitlementTree first = tree(holders, 100);
        EntitlementTree second = tree(holders, 150);
        String holder = holders.get(0);

        assertReverts(
                () -> credit.withdraw(relayer, holder, BigInteger.valueOf(100), first.root(), first.proof(holder)),
                "UnknownRoot");
        assertThat(credit.verifyEntitlement(holder, BigInteger.valueOf(100), first.proof(holder)))
                .isFalse();
        assertThat(credit.latestAnchor().window()).isZero();

        credit.anchor(minter, 1, first.root(), head("a"), 3);
        assertThat(credit.verifyEntitlement(holder, BigInteger.valueOf(100), first.proof(holder)))
                .isTrue();
        credit.anchor(minter, 2, second.root(), head("b"), 6);

        assertReverts(
                () -> credit.withdraw(relayer, holder, BigInteger.valueOf(100), first.root(), first.proof(holder)),
                "UnknownRoot");
        assertReverts(
                () -> credit.withdraw(relayer, holder, BigInteger.valueOf(150), head("made up"), second.proof(holder)),
                "UnknownRoot");
        assertThat(credit.verifyEntitlement(holder, BigInteger.valueOf(100), first.proof(holder)))
                .isFalse();
        assertThat(credit.verifyEntitlement(holder, BigInteger.valueOf(150), second.proof(holder)))
                .isTrue();
        assertThat(credit.verifyEntitlement(holder, BigInteger.valueOf(151), second.proof(holder)))
                .isFalse();

        credit.withdraw(relayer, holder, BigInteger.valueOf(150), second.root(), second.proof(holder));
        assertThat(credit.balanceOf(holder)).isEqualTo(BigInteger.valueOf(150));
    }

    @Test
    void windowsFollowEachOtherAndOnlyTheMinterAnchors() {
        CreditToken credit = credit();
        Credentials stranger = chain.fundedKey();
        byte[] root = tree(holders(2), 1).root();

        assertReverts(() -> credit.anchor(minter, 0, root, head("a"), 1), "WindowOutOfOrder");
        assertReverts(() -> credit.anchor(minter, 2, root, head("a"), 1), "WindowOutOfOrder");
        assertReverts(() -> credit.anchor(stranger, 1, root, head("a"), 1), "AccessControlUnauthorizedAccount");
        assertReverts(() -> credit.anchor(admin, 1, root, head("a"), 1), "AccessControlUnauthorizedAccount");
        credit.anchor(minter, 1, root, head("a"), 1);
        assertReverts(() -> credit.anchor(minter, 1, root, head("b"), 2), "WindowOutOfOrder");
        assertReverts(() -> credit.anchor(minter, 3, root, head("b"), 2), "WindowOutOfOrder");
        credit.anchor(minter, 2, root, head("b"), 2);

        CreditToken.Anchor latest = credit.latestAnchor();
        assertThat(latest.window()).isEqualTo(2);
        assertThat(latest.ledgerHead()).isEqualTo(head("b"));
        assertThat(latest.ledgerSeq()).isEqualTo(2);
    }

    @Test
    void aReversalInALaterWindowCapsWhatAHolderWithdraws() {
        CreditToken credit = credit();
        List<String> holders = holders(2);
        String early = holders.get(0);
        String late = holders.get(1);
        EntitlementTree earned = tree(holders, 100);
        credit.anchor(minter, 1, earned.root(), head("a"), 2);
        credit.withdraw(relayer, early, BigInteger.valueOf(100), earned.root(), earned.proof(early));

        // 40 of each holder's 100 reversed on the ledger before window 2.
        EntitlementTree reversed = tree(holders, 60);
        credit.anchor(minter, 2, reversed.root(), head("b"), 4);

        assertReverts(
                () -> credit.withdraw(relayer, early, BigInteger.valueOf(60), reversed.root(), reversed.proof(early)),
                "NothingToWithdraw");
        assertReverts(
                () -> credit.withdraw(relayer, late, BigInteger.valueOf(100), earned.root(), earned.proof(late)),
                "UnknownRoot");
        credit.withdraw(relayer, late, BigInteger.valueOf(60), reversed.root(), reversed.proof(late));
        assertThat(credit.balanceOf(early)).isEqualTo(BigInteger.valueOf(100));
        assertThat(credit.balanceOf(late)).isEqualTo(BigInteger.valueOf(60));

        // The early holder earns again: it withdraws only what exceeds what it already has.
        EntitlementTree later = EntitlementTree.of(List.of(
                new EntitlementTree.Entitlement(early, BigInteger.valueOf(130)),
                new EntitlementTree.Entitlement(late, BigInteger.valueOf(60))));
        credit.anchor(minter, 3, later.root(), head("c"), 5);
        credit.withdraw(relayer, early, BigInteger.valueOf(130), later.root(), later.proof(early));
        assertReverts(
                () -> credit.withdraw(relayer, late, BigInteger.valueOf(60), later.root(), later.proof(late)),
                "NothingToWithdraw");
        assertThat(credit.balanceOf(early)).isEqualTo(BigInteger.valueOf(130));
        assertThat(credit.withdrawnOf(early)).isEqualTo(BigInteger.valueOf(130));
        assertThat(credit.withdrawnOf(late)).isEqualTo(BigInteger.valueOf(60));
    }

    @Test
    void aProxyOnThePreAnchorImplementationUpgradesKeepingBalancesAndThenAnchors() {
        Function initialize = new Function(
                "initialize",
                List.of(
                        new Utf8String("Stay points"),
                        new Utf8String("STAY"),
                        new Uint8(2),
                        new Address(admin.getAddress()),
                        new Address(minter.getAddress())),
                List.of());
        CreditToken credit = new CreditToken(
                chain.client(),
                TokenContract.deployProxied(
                        chain.client(),
                        TransactionSigner.local(admin),
                        ContractArtifact.load("PersCreditV1"),
                        initialize));
        List<String> holders = holders(10);
        byte[] batchId = TokenContract.newBatchId();
        credit.send(
                minter,
                CreditToken.mintBatchCall(
                        batchId,
                        IntStream.range(0, 10)
                                .mapToObj(i -> new CreditToken.Mint(holders.get(i), BigInteger.valueOf(500 + i)))
                                .toList()));
        assertThatThrownBy(credit::latestAnchor).isInstanceOf(ChainReverted.class);

        credit.upgradeTo(admin, CreditToken.IMPLEMENTATION);

        for (int i = 0; i < 10; i++) {
            assertThat(credit.balanceOf(holders.get(i))).isEqualTo(BigInteger.valueOf(500 + i));
        }
        assertThat(credit.executed(batchId)).isTrue();
        Function decimals = new Function("decimals", List.of(), List.of(new TypeReference<Uint8>() {}));
        assertThat(credit.read(decimals).get(0).getValue()).isEqualTo(BigInteger.TWO);
        assertThat(credit.latestAnchor().window()).isZero();
        assertThat(credit.withdrawnOf(holders.get(0))).isZero();

        // Anchored from here on: holder 0 earned 20 more than was minted to it, and withdraws them.
        EntitlementTree tree = EntitlementTree.of(List.of(
                new EntitlementTree.Entitlement(holders.get(0), BigInteger.valueOf(20)),
                new EntitlementTree.Entitlement(holders.get(1), BigInteger.valueOf(5))));
        credit.anchor(minter, 1, tree.root(), head("after upgrade"), 11);
        credit.withdraw(relayer, holders.get(0), BigInteger.valueOf(20), tree.root(), tree.proof(holders.get(0)));
        assertThat(credit.balanceOf(holders.get(0))).isEqualTo(BigInteger.valueOf(520));
        assertReverts(() -> credit.send(minter, CreditToken.mintBatchCall(batchId, List.of())), "BatchAlreadyExecuted");
    }

    private CreditToken credit() {
        return CreditToken.deploy(
                chain.client(), admin, "Stay points", "STAY", 0, admin.getAddress(), minter.getAddress());
    }

    private Credentials holderKey() {
        return chain.fundedKey();
    }

    private static EntitlementTree tree(List<String> holders, long each) {
        return EntitlementTree.of(holders.stream()
                .map(h -> new EntitlementTree.Entitlement(h, BigInteger.valueOf(each)))
                .toList());
    }

    private static byte[] head(String text) {
        return Hash.sha3(text.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> holders(int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> DevChain.newKey().getAddress())
                .toList();
    }

    private static void assertReverts(Runnable call, String error) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(ChainReverted.class, reverted -> assertThat(reverted.error())
                        .contains(error));
    }
}
