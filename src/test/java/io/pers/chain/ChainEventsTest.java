package io.pers.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.utils.Numeric;

/** Decoding of the transfer events as the token standards define them. */
class ChainEventsTest {

    private static final String OPERATOR = "0x" + "1".repeat(40);
    private static final String FROM = "0x" + "a".repeat(40);
    private static final String TO = "0x" + "b".repeat(40);

    @Test
    void anErc20TransferIsOneTransferWithoutId() {
        Log log = log(List.of(ChainEvents.TRANSFER_TOPIC, topic(FROM), topic(TO)), List.of(new Uint256(42)));

        assertThat(ChainEvents.decode(log))
                .containsExactly(new ChainEvents.Transfer(
                        "0xfeed", 7, 0, BigInteger.TEN, FROM, TO, null, BigInteger.valueOf(42)));
    }

    @Test
    void anErc1155BatchIsOneTransferPerIdNumberedByPart() {
        Log log = log(
                List.of(ChainEvents.TRANSFER_BATCH_TOPIC, topic(OPERATOR), topic(FROM), topic(TO)),
                List.of(
                        new DynamicArray<>(Uint256.class, new Uint256(1), new Uint256(3)),
                        new DynamicArray<>(Uint256.class, new Uint256(5), new Uint256(6))));

        assertThat(ChainEvents.decode(log))
                .containsExactly(
                        new ChainEvents.Transfer(
                                "0xfeed", 7, 0, BigInteger.TEN, FROM, TO, BigInteger.ONE, BigInteger.valueOf(5)),
                        new ChainEvents.Transfer(
                                "0xfeed",
                                7,
                                1,
                                BigInteger.TEN,
                                FROM,
                                TO,
                                BigInteger.valueOf(3),
                                BigInteger.valueOf(6)));
    }

    @Test
    void anErc1155SingleFromTheZeroAddressIsAMint() {
        Log log = log(
                List.of(ChainEvents.TRANSFER_SINGLE_TOPIC, topic(OPERATOR), topic(ChainEvents.ZERO_ADDRESS), topic(TO)),
                List.of(new Uint256(2), new Uint256(9)));

        ChainEvents.Transfer transfer = ChainEvents.decode(log).get(0);
        assertThat(transfer.mint()).isTrue();
        assertThat(transfer.burn()).isFalse();
        assertThat(transfer.onchainId()).isEqualTo(BigInteger.TWO);
        assertThat(transfer.amount()).isEqualTo(BigInteger.valueOf(9));
    }

    @Test
    void otherEventsAreNoTransfers() {
        Log approval = log(List.of("0x" + "c".repeat(64), topic(FROM), topic(TO)), List.of(new Uint256(1)));

        assertThat(ChainEvents.decode(approval)).isEmpty();
    }

    @SuppressWarnings("rawtypes")
    private static Log log(List<String> topics, List<Type> data) {
        Log log = new Log();
        log.setTopics(topics);
        log.setData("0x" + FunctionEncoder.encodeConstructor(data));
        log.setTransactionHash("0xfeed");
        log.setLogIndex("0x7");
        log.setBlockNumber("0xa");
        return log;
    }

    private static String topic(String address) {
        return Numeric.toHexStringWithPrefixZeroPadded(Numeric.toBigInt(address), 64);
    }
}
