package io.pers.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pers.stack.ChainTarget;
import io.pers.support.ApiTest;
import java.math.BigInteger;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Event;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/** The token contracts behind their proxies on the app's anvil, driven through the chain client. */
class TokenContractsIT extends ApiTest {

    private static final String TRANSFER = EventEncoder.encode(new Event(
            "Transfer",
            List.of(
                    new TypeReference<Address>(true) {},
                    new TypeReference<Address>(true) {},
                    new TypeReference<Uint256>() {})));
    private static final String TRANSFER_SINGLE = EventEncoder.encode(new Event(
            "TransferSingle",
            List.of(
                    new TypeReference<Address>(true) {},
                    new TypeReference<Address>(true) {},
                    new TypeReference<Address>(true) {},
                    new TypeReference<Uint256>() {},
                    new TypeReference<Uint256>() {})));
    private static final BigInteger POINTS = BigInteger.ONE;
    private static final BigInteger BADGE = BigInteger.TWO;

    @Autowired
    ChainTarget target;

    DevChain chain;
    Credentials admin;
    Credentials minter;

    @BeforeEach
    void keys() {
        chain = new DevChain(target.rpc().orElseThrow());
        admin = chain.fundedKey();
        minter = chain.fundedKey();
    }

    @AfterEach
    void close() {
        chain.close();
    }

    @Test
    void creditBatchMintReaches100HoldersInOneTransaction() {
        CreditToken credit = credit();
        List<String> holders = holders(100);
        BigInteger nonce = chain.client().pendingNonce(minter.getAddress());

        TransactionReceipt receipt = credit.mintBatch(
                minter,
                IntStream.range(0, 100)
                        .mapToObj(i -> new CreditToken.Mint(holders.get(i), BigInteger.valueOf(i + 1)))
                        .toList());

        assertThat(chain.client().pendingNonce(minter.getAddress())).isEqualTo(nonce.add(BigInteger.ONE));
        assertThat(receipt.getLogs()).hasSize(100).allSatisfy(log -> assertThat(topic(log))
                .isEqualTo(TRANSFER));
        for (int i = 0; i < 100; i++) {
            assertThat(credit.balanceOf(holders.get(i))).isEqualTo(BigInteger.valueOf(i + 1));
        }
    }

    @Test
    void rewardBatchMintReachesManyHoldersOfSeveralIdsInOneTransaction() {
        RewardToken rewards = rewards();
        List<String> holders = holders(100);

        TransactionReceipt receipt = rewards.mintBatch(
                minter,
                IntStream.range(0, 100)
                        .mapToObj(i -> new RewardToken.Mint(
                                holders.get(i), i % 2 == 0 ? POINTS : BADGE, BigInteger.valueOf(i + 1)))
                        .toList());

        assertThat(receipt.getLogs()).hasSize(100).allSatisfy(log -> assertThat(topic(log))
                .isEqualTo(TRANSFER_SINGLE));
        for (int i = 0; i < 100; i++) {
            BigInteger minted = BigInteger.valueOf(i + 1);
            assertThat(rewards.balanceOf(holders.get(i), POINTS)).isEqualTo(i % 2 == 0 ? minted : BigInteger.ZERO);
            assertThat(rewards.balanceOf(holders.get(i), BADGE)).isEqualTo(i % 2 == 0 ? BigInteger.ZERO : minted);
        }
    }

    @Test
    void onlyTheMinterRoleMintsUntilTheAdminGrantsIt() {
        CreditToken credit = credit();
        RewardToken rewards = rewards();
        Credentials stranger = chain.fundedKey();
        String holder = DevChain.newKey().getAddress();

        assertReverts(
                () -> credit.mintBatch(stranger, List.of(new CreditToken.Mint(holder, BigInteger.TEN))),
                "AccessControlUnauthorizedAccount");
        assertReverts(
                () -> rewards.mintBatch(stranger, List.of(new RewardToken.Mint(holder, POINTS, BigInteger.TEN))),
                "AccessControlUnauthorizedAccount");
        assertReverts(
                () -> credit.grantRole(stranger, TokenContract.MINTER_ROLE, stranger.getAddress()),
                "AccessControlUnauthorizedAccount");
        assertThat(credit.balanceOf(holder)).isZero();
        assertThat(rewards.balanceOf(holder, POINTS)).isZero();

        credit.grantRole(admin, TokenContract.MINTER_ROLE, stranger.getAddress());
        credit.mintBatch(stranger, List.of(new CreditToken.Mint(holder, BigInteger.TEN)));

        assertThat(credit.hasRole(TokenContract.MINTER_ROLE, stranger.getAddress()))
                .isTrue();
        assertThat(credit.balanceOf(holder)).isEqualTo(BigInteger.TEN);
    }

    @Test
    void statusTokensDoNotMoveBetweenHoldersWhileRewardsDo() {
        RewardToken rewards = rewards();
        Credentials holder = chain.fundedKey();
        String friend = DevChain.newKey().getAddress();
        assertReverts(() -> rewards.setStatusToken(minter, BADGE, true), "AccessControlUnauthorizedAccount");
        rewards.setStatusToken(admin, BADGE, true);
        rewards.mintBatch(
                minter,
                List.of(
                        new RewardToken.Mint(holder.getAddress(), POINTS, BigInteger.TEN),
                        new RewardToken.Mint(holder.getAddress(), BADGE, BigInteger.ONE)));

        rewards.send(holder, transfer(holder.getAddress(), friend, POINTS, BigInteger.valueOf(4)));
        assertReverts(
                () -> rewards.send(holder, transfer(holder.getAddress(), friend, BADGE, BigInteger.ONE)),
                "StatusTokenNotTransferable");

        assertThat(rewards.balanceOf(holder.getAddress(), POINTS)).isEqualTo(BigInteger.valueOf(6));
        assertThat(rewards.balanceOf(friend, POINTS)).isEqualTo(BigInteger.valueOf(4));
        assertThat(rewards.balanceOf(holder.getAddress(), BADGE)).isEqualTo(BigInteger.ONE);
        assertThat(rewards.balanceOf(friend, BADGE)).isZero();
        // A status token is still burned by the minter, as a reversal needs.
        rewards.burn(minter, holder.getAddress(), BADGE, BigInteger.ONE);
        assertThat(rewards.balanceOf(holder.getAddress(), BADGE)).isZero();
    }

    @Test
    void theMinterBurnsFromAHolderWithoutAllowanceAndNobodyElseDoes() {
        CreditToken credit = credit();
        RewardToken rewards = rewards();
        Credentials stranger = chain.fundedKey();
        String holder = DevChain.newKey().getAddress();
        credit.mintBatch(minter, List.of(new CreditToken.Mint(holder, BigInteger.valueOf(100))));
        rewards.mintBatch(minter, List.of(new RewardToken.Mint(holder, POINTS, BigInteger.valueOf(100))));

        credit.burn(minter, holder, BigInteger.valueOf(40));
        rewards.burn(minter, holder, POINTS, BigInteger.valueOf(30));
        assertReverts(() -> credit.burn(stranger, holder, BigInteger.ONE), "AccessControlUnauthorizedAccount");
        assertReverts(() -> credit.burn(minter, holder, BigInteger.valueOf(61)), "ERC20InsufficientBalance");

        assertThat(credit.balanceOf(holder)).isEqualTo(BigInteger.valueOf(60));
        assertThat(rewards.balanceOf(holder, POINTS)).isEqualTo(BigInteger.valueOf(70));
    }

    @Test
    void anUpgradeByTheAdminKeepsEveryBalance() {
        CreditToken credit = credit();
        RewardToken rewards = rewards();
        List<String> holders = holders(20);
        credit.mintBatch(
                minter,
                IntStream.range(0, 20)
                        .mapToObj(i -> new CreditToken.Mint(holders.get(i), BigInteger.valueOf(1000 + i)))
                        .toList());
        rewards.mintBatch(
                minter,
                IntStream.range(0, 20)
                        .mapToObj(i -> new RewardToken.Mint(holders.get(i), POINTS, BigInteger.valueOf(2000 + i)))
                        .toList());
        rewards.setStatusToken(admin, BADGE, true);

        credit.upgradeTo(admin, ContractArtifact.load("PersCreditV2"));
        rewards.upgradeTo(admin, ContractArtifact.load("PersRewardsV2"));

        assertThat(version(credit)).isEqualTo(2);
        assertThat(version(rewards)).isEqualTo(2);
        for (int i = 0; i < 20; i++) {
            assertThat(credit.balanceOf(holders.get(i))).isEqualTo(BigInteger.valueOf(1000 + i));
            assertThat(rewards.balanceOf(holders.get(i), POINTS)).isEqualTo(BigInteger.valueOf(2000 + i));
        }
        Function isStatus =
                new Function("isStatusToken", List.of(new Uint256(BADGE)), List.of(new TypeReference<Bool>() {}));
        assertThat(rewards.read(isStatus).get(0).getValue()).isEqualTo(true);
        // Roles survive too: the minter still mints.
        credit.mintBatch(minter, List.of(new CreditToken.Mint(holders.get(0), BigInteger.ONE)));
        assertThat(credit.balanceOf(holders.get(0))).isEqualTo(BigInteger.valueOf(1001));
    }

    @Test
    void anUpgradeByAnyoneButTheAdminReverts() {
        CreditToken credit = credit();
        RewardToken rewards = rewards();

        assertReverts(
                () -> credit.upgradeTo(minter, ContractArtifact.load("PersCreditV2")),
                "AccessControlUnauthorizedAccount");
        assertReverts(
                () -> rewards.upgradeTo(minter, ContractArtifact.load("PersRewardsV2")),
                "AccessControlUnauthorizedAccount");

        assertThatThrownBy(() -> version(credit)).isInstanceOf(ChainReverted.class);
        assertThatThrownBy(() -> version(rewards)).isInstanceOf(ChainReverted.class);
    }

    private CreditToken credit() {
        return CreditToken.deploy(
                chain.client(), admin, "Stay points", "STAY", 0, admin.getAddress(), minter.getAddress());
    }

    private RewardToken rewards() {
        return RewardToken.deploy(
                chain.client(), admin, "https://pers.test/{id}.json", admin.getAddress(), minter.getAddress());
    }

    private static List<String> holders(int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> DevChain.newKey().getAddress())
                .toList();
    }

    private static Function transfer(String from, String to, BigInteger id, BigInteger amount) {
        return new Function(
                "safeTransferFrom",
                List.of(
                        new Address(from),
                        new Address(to),
                        new Uint256(id),
                        new Uint256(amount),
                        new DynamicBytes(new byte[0])),
                List.of());
    }

    private static long version(TokenContract token) {
        Function version = new Function("version", List.of(), List.of(new TypeReference<Uint256>() {}));
        return ((BigInteger) token.read(version).get(0).getValue()).longValueExact();
    }

    private static String topic(Log log) {
        return log.getTopics().get(0);
    }

    private static void assertReverts(Runnable call, String error) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(ChainReverted.class, reverted -> assertThat(reverted.error())
                        .contains(error));
    }
}
