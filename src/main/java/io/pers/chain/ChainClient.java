package io.pers.chain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionDecoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.exceptions.TransactionException;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;
import org.web3j.utils.Numeric;

/**
 * Signs, sends and reads over JSON-RPC: EIP-1559 raw transactions signed here (no node-held keys),
 * contract calls as ABI-encoded data. Signing and broadcasting are separate steps so a caller can
 * record a transaction's hash and nonce before it leaves the process and send the very same bytes
 * again after a crash.
 */
public final class ChainClient {

    /** Headroom over the node's estimate; a batch's cost varies with the state it meets when mined. */
    private static final int GAS_HEADROOM_PERCENT = 25;

    private static final Pattern HEX = Pattern.compile("0x[0-9a-fA-F]*");

    private final Web3j web3;
    private final long chainId;
    private final PollingTransactionReceiptProcessor receipts;
    private final String keptNonceAddress;
    private final Supplier<BigInteger> keptNonces;

    public ChainClient(Web3j web3) {
        this(web3, rpc(() -> web3.ethChainId().send()).getChainId().longValueExact(), null, null);
    }

    private ChainClient(Web3j web3, long chainId, String keptNonceAddress, Supplier<BigInteger> keptNonces) {
        this.web3 = web3;
        this.chainId = chainId;
        this.receipts = new PollingTransactionReceiptProcessor(web3, 100, 600);
        this.keptNonceAddress = keptNonceAddress;
        this.keptNonces = keptNonces;
    }

    /**
     * This client, with {@link #send} taking {@code address}'s nonces from {@code nonces} instead of
     * the node's pending count: a key whose nonces PERS keeps signs everything at them.
     */
    public ChainClient withNonces(String address, Supplier<BigInteger> nonces) {
        return new ChainClient(web3, chainId, address, nonces);
    }

    /** A signed transaction: {@code hash} is known before it is broadcast. */
    public record SignedTransaction(
            String hash, String raw, String from, BigInteger nonce, BigInteger tip, BigInteger maxFee) {}

    /** The node refused a transaction because its sender's nonce is already used on chain. */
    public static final class NonceTooLow extends RuntimeException {
        NonceTooLow(String message) {
            super(message);
        }
    }

    public long chainId() {
        return chainId;
    }

    public BigInteger blockNumber() {
        return rpc(() -> web3.ethBlockNumber().send()).getBlockNumber();
    }

    /** The latest block, without its transactions. */
    public EthBlock.Block latestBlock() {
        return rpc(() -> web3.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false)
                        .send())
                .getBlock();
    }

    public BigInteger balance(String address) {
        return rpc(() -> web3.ethGetBalance(address, DefaultBlockParameterName.LATEST)
                        .send())
                .getBalance();
    }

    public boolean hasCode(String address) {
        String code = rpc(() -> web3.ethGetCode(address, DefaultBlockParameterName.LATEST)
                        .send())
                .getCode();
        return code != null && code.length() > 2;
    }

    /** The receipt of a mined transaction; empty while it is pending or unknown. */
    public Optional<TransactionReceipt> receipt(String hash) {
        return rpc(() -> web3.ethGetTransactionReceipt(hash).send()).getTransactionReceipt();
    }

    /**
     * Broadcasts without waiting. A node that already has the transaction answers with an error
     * that is no failure here; a used nonce throws {@link NonceTooLow}.
     */
    public void broadcast(SignedTransaction transaction) {
        var response = rpc(() -> web3.ethSendRawTransaction(transaction.raw()).send());
        if (response.hasError()) {
            String message = response.getError().getMessage().toLowerCase(Locale.ROOT);
            if (message.contains("already known") || message.contains("already imported")) {
                return;
            }
            if (message.contains("nonce too low") || message.contains("nonce is too low")) {
                throw new NonceTooLow(response.getError().getMessage());
            }
        }
        checked(response);
    }

    public BigInteger pendingNonce(String address) {
        return rpc(() -> web3.ethGetTransactionCount(address, DefaultBlockParameterName.PENDING)
                        .send())
                .getTransactionCount();
    }

    /**
     * Signs a call of {@code to} (null deploys {@code data} as a contract) at {@code nonce}; the
     * node's gas estimate runs it first, so a call that would revert throws here, unsigned.
     */
    public SignedTransaction sign(TransactionSigner from, String to, String data, BigInteger nonce) {
        return sign(from, to, data, nonce, BigInteger.ZERO, BigInteger.ZERO);
    }

    /** {@link #sign(TransactionSigner, String, String, BigInteger)} with a key held here. */
    public SignedTransaction sign(Credentials from, String to, String data, BigInteger nonce) {
        return sign(TransactionSigner.local(from), to, data, nonce);
    }

    /**
     * As {@link #sign(TransactionSigner, String, String, BigInteger)}, with fees at least {@code minTip}
     * and {@code minMaxFee}: a replacement of a stuck transaction must outbid it.
     */
    public SignedTransaction sign(
            TransactionSigner from, String to, String data, BigInteger nonce, BigInteger minTip, BigInteger minMaxFee) {
        String sender = from.address();
        BigInteger estimate = checked(
                        rpc(() -> web3.ethEstimateGas(new Transaction(sender, null, null, null, to, null, data))
                                .send()))
                .getAmountUsed();
        BigInteger gasLimit = estimate.multiply(BigInteger.valueOf(100 + GAS_HEADROOM_PERCENT))
                .divide(BigInteger.valueOf(100));
        BigInteger tip = rpc(() -> web3.ethMaxPriorityFeePerGas().send())
                .getMaxPriorityFeePerGas()
                .max(minTip);
        BigInteger baseFee = rpc(() -> web3.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false)
                        .send())
                .getBlock()
                .getBaseFeePerGas();
        // Twice the base fee: the transaction stays includable through several blocks of rising fees.
        BigInteger maxFee = baseFee.shiftLeft(1).add(tip).max(minMaxFee);
        RawTransaction transaction = RawTransaction.createTransaction(
                chainId, nonce, gasLimit, to == null ? "" : to, BigInteger.ZERO, data, tip, maxFee);
        String raw = Numeric.toHexString(from.signTransaction(transaction, chainId));
        return new SignedTransaction(Hash.sha3(raw), raw, sender, nonce, tip, maxFee);
    }

    /**
     * {@code raw} (a transaction {@code from} signed) signed again with fees {@code tip} and
     * {@code maxFee}: the same call, nonce and gas limit, and no estimate, so the replacement of a
     * stuck transaction is that transaction whatever the chain's state meanwhile.
     */
    public SignedTransaction resign(TransactionSigner from, String raw, BigInteger tip, BigInteger maxFee) {
        RawTransaction stuck = TransactionDecoder.decode(raw);
        RawTransaction transaction = RawTransaction.createTransaction(
                chainId,
                stuck.getNonce(),
                stuck.getGasLimit(),
                stuck.getTo(),
                stuck.getValue(),
                stuck.getData(),
                tip,
                maxFee);
        String signed = Numeric.toHexString(from.signTransaction(transaction, chainId));
        return new SignedTransaction(Hash.sha3(signed), signed, from.address(), stuck.getNonce(), tip, maxFee);
    }

    /** {@link #resign(TransactionSigner, String, BigInteger, BigInteger)} with a key held here. */
    public SignedTransaction resign(Credentials from, String raw, BigInteger tip, BigInteger maxFee) {
        return resign(TransactionSigner.local(from), raw, tip, maxFee);
    }

    /** Broadcasts a signed transaction and waits for its receipt; a failed receipt throws. */
    public TransactionReceipt submit(SignedTransaction transaction) {
        checked(rpc(() -> web3.ethSendRawTransaction(transaction.raw()).send()));
        TransactionReceipt receipt;
        try {
            receipt = receipts.waitForTransactionReceipt(transaction.hash());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (TransactionException e) {
            throw new IllegalStateException("No receipt for " + transaction.hash(), e);
        }
        if (!receipt.isStatusOK()) {
            throw new ChainReverted("Transaction " + transaction.hash() + " reverted", null);
        }
        return receipt;
    }

    /** Signs at the sender's next nonce (pending, or kept: withNonces), broadcasts, and waits for the receipt. */
    public TransactionReceipt send(TransactionSigner from, String to, String data) {
        BigInteger nonce =
                from.address().equalsIgnoreCase(keptNonceAddress) ? keptNonces.get() : pendingNonce(from.address());
        return submit(sign(from, to, data, nonce));
    }

    /** {@link #send(TransactionSigner, String, String)} with a key held here. */
    public TransactionReceipt send(Credentials from, String to, String data) {
        return send(TransactionSigner.local(from), to, data);
    }

    /** A read-only call at the latest block; returns the ABI-encoded result. */
    public String call(String to, String data) {
        return checked(rpc(() -> web3.ethCall(
                                Transaction.createEthCallTransaction(null, to, data), DefaultBlockParameterName.LATEST)
                        .send()))
                .getValue();
    }

    /** The logs of {@code address} in blocks {@code from} to {@code to} whose event is one of {@code topics}. */
    public List<Log> logs(String address, BigInteger from, BigInteger to, List<String> topics) {
        EthFilter filter =
                new EthFilter(DefaultBlockParameter.valueOf(from), DefaultBlockParameter.valueOf(to), address);
        filter.addOptionalTopics(topics.toArray(String[]::new));
        return checked(rpc(() -> web3.ethGetLogs(filter).send())).getLogs().stream()
                .map(result -> (Log) result.get())
                .toList();
    }

    /** JSON-RPC error code 3 is a revert (EIP-1474); its data carries the contract's error. */
    private static <T extends Response<?>> T checked(T response) {
        if (response.hasError()) {
            Response.Error error = response.getError();
            if (error.getCode() == 3 || error.getMessage().contains("revert")) {
                throw new ChainReverted(error.getMessage(), revertData(error.getData()));
            }
            throw new IllegalStateException("JSON-RPC error " + error.getCode() + ": " + error.getMessage());
        }
        return response;
    }

    /** web3j keeps the error's data as raw JSON: a quoted hex string from anvil and geth. */
    private static String revertData(String rawJson) {
        if (rawJson == null) {
            return null;
        }
        Matcher hex = HEX.matcher(rawJson);
        return hex.find() ? hex.group() : null;
    }

    private interface Rpc<T> {
        T send() throws IOException;
    }

    private static <T> T rpc(Rpc<T> request) {
        try {
            return request.send();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
