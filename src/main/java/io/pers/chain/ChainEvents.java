package io.pers.chain;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.Event;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.protocol.core.methods.response.Log;

/**
 * The transfer events of the token standards PERS settles on: ERC-20 {@code Transfer} and ERC-1155
 * {@code TransferSingle} / {@code TransferBatch}, decoded into one {@link Transfer} per amount moved.
 */
final class ChainEvents {

    static final String ZERO_ADDRESS = "0x" + "0".repeat(40);

    /** One amount moved by one log; {@code part} numbers the ids of a TransferBatch (else 0). */
    record Transfer(
            String txHash,
            long logIndex,
            int part,
            BigInteger blockNumber,
            String from,
            String to,
            BigInteger onchainId,
            BigInteger amount) {

        boolean mint() {
            return from.equals(ZERO_ADDRESS);
        }

        boolean burn() {
            return to.equals(ZERO_ADDRESS);
        }
    }

    private static final Event TRANSFER = new Event(
            "Transfer",
            List.of(
                    new TypeReference<Address>(true) {},
                    new TypeReference<Address>(true) {},
                    new TypeReference<Uint256>() {}));
    private static final Event TRANSFER_SINGLE = new Event(
            "TransferSingle",
            List.of(
                    new TypeReference<Address>(true) {},
                    new TypeReference<Address>(true) {},
                    new TypeReference<Address>(true) {},
                    new TypeReference<Uint256>() {},
                    new TypeReference<Uint256>() {}));
    private static final Event TRANSFER_BATCH = new Event(
            "TransferBatch",
            List.of(
                    new TypeReference<Address>(true) {},
                    new TypeReference<Address>(true) {},
                    new TypeReference<Address>(true) {},
                    new TypeReference<DynamicArray<Uint256>>() {},
                    new TypeReference<DynamicArray<Uint256>>() {}));

    static final String TRANSFER_TOPIC = EventEncoder.encode(TRANSFER);
    static final String TRANSFER_SINGLE_TOPIC = EventEncoder.encode(TRANSFER_SINGLE);
    static final String TRANSFER_BATCH_TOPIC = EventEncoder.encode(TRANSFER_BATCH);

    private ChainEvents() {}

    /** The events a contract of the standard emits when tokens move. */
    static List<String> topics(ChainContracts.Standard standard) {
        return standard == ChainContracts.Standard.ERC20
                ? List.of(TRANSFER_TOPIC)
                : List.of(TRANSFER_SINGLE_TOPIC, TRANSFER_BATCH_TOPIC);
    }

    /** The transfers of one log; none when it is no transfer event. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    static List<Transfer> decode(Log log) {
        List<String> topics = log.getTopics();
        String event = topics.isEmpty() ? "" : topics.get(0);
        if (event.equals(TRANSFER_TOPIC) && topics.size() == 3) {
            BigInteger value = (BigInteger) values(log, TRANSFER).get(0).getValue();
            return List.of(transfer(log, 0, address(topics.get(1)), address(topics.get(2)), null, value));
        }
        if (event.equals(TRANSFER_SINGLE_TOPIC) && topics.size() == 4) {
            List<Type> values = values(log, TRANSFER_SINGLE);
            return List.of(transfer(
                    log,
                    0,
                    address(topics.get(2)),
                    address(topics.get(3)),
                    (BigInteger) values.get(0).getValue(),
                    (BigInteger) values.get(1).getValue()));
        }
        if (event.equals(TRANSFER_BATCH_TOPIC) && topics.size() == 4) {
            List<Type> values = values(log, TRANSFER_BATCH);
            List<Uint256> ids = (List<Uint256>) values.get(0).getValue();
            List<Uint256> amounts = (List<Uint256>) values.get(1).getValue();
            List<Transfer> transfers = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                transfers.add(transfer(
                        log,
                        i,
                        address(topics.get(2)),
                        address(topics.get(3)),
                        ids.get(i).getValue(),
                        amounts.get(i).getValue()));
            }
            return transfers;
        }
        return List.of();
    }

    @SuppressWarnings("rawtypes")
    private static List<Type> values(Log log, Event event) {
        return FunctionReturnDecoder.decode(log.getData(), event.getNonIndexedParameters());
    }

    private static Transfer transfer(
            Log log, int part, String from, String to, BigInteger onchainId, BigInteger amount) {
        return new Transfer(
                log.getTransactionHash(),
                log.getLogIndex().longValueExact(),
                part,
                log.getBlockNumber(),
                from,
                to,
                onchainId,
                amount);
    }

    /** An indexed address is the topic's last 20 bytes. */
    private static String address(String topic) {
        return "0x" + topic.substring(topic.length() - 40).toLowerCase(Locale.ROOT);
    }
}
