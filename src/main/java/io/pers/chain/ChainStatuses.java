package io.pers.chain;

import com.fasterxml.jackson.annotation.JsonFormat;
import java.math.BigInteger;
import java.time.Instant;
import org.springframework.stereotype.Component;

/**
 * A chain as the tenant sees it: the node's head, the tenant's queue on it, its settler's funds, and
 * the follower's events parked for an operator.
 */
@Component
class ChainStatuses {

    record Status(
            long chainId,
            long headBlock,
            long lagSeconds,
            long queueDepth,
            String settlerAddress,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigInteger settlerBalanceWei,
            long parkedEvents) {}

    private final Chains chains;
    private final ChainNodes nodes;
    private final SettlementQueue queue;
    private final Custody custody;
    private final ParkedEvents parked;

    ChainStatuses(Chains chains, ChainNodes nodes, SettlementQueue queue, Custody custody, ParkedEvents parked) {
        this.chains = chains;
        this.nodes = nodes;
        this.queue = queue;
        this.custody = custody;
        this.parked = parked;
    }

    Status status(long chainId) {
        Chains.Chain chain = chains.find(chainId);
        ChainClient client = nodes.client(chain);
        var head = client.latestBlock();
        String settler = custody.addresses().settler();
        return new Status(
                chainId,
                head.getNumber().longValueExact(),
                Math.max(0, Instant.now().getEpochSecond() - head.getTimestamp().longValueExact()),
                queue.depth(chainId),
                settler,
                client.balance(settler),
                parked.openCount(chainId));
    }
}
