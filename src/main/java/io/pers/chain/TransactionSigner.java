package io.pers.chain;

import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.Sign;
import org.web3j.crypto.TransactionEncoder;

/**
 * Signs transactions for one EVM address, the way a KMS or HSM does: it is given a 32-byte digest
 * and answers a secp256k1 signature, so a private key never needs to be in PERS's memory. The
 * default implementation is the local key store ({@link #local}: keys derived from the tenant's
 * sealed seed, Custody); another one (AWS KMS, GCP KMS, Vault transit, an HSM) implements
 * {@link #address()} and {@link #signHash(byte[])} and is supplied by a {@link SettlementKeys} bean.
 */
public interface TransactionSigner {

    /** The 0x address the signatures recover to. */
    String address();

    /**
     * The signature of a 32-byte digest (keccak256 of what is signed), v as 27 or 28: what
     * {@code Sign.signMessage(digest, keyPair, false)} returns.
     */
    Sign.SignatureData signHash(byte[] digest);

    /**
     * The signed, RLP-encoded transaction, ready for {@code eth_sendRawTransaction}: typed
     * transactions (EIP-1559, the settler's) sign their own encoding, which carries the chain id;
     * legacy ones are signed with EIP-155 replay protection for {@code chainId}.
     */
    default byte[] signTransaction(RawTransaction transaction, long chainId) {
        if (transaction.getType().isLegacy()) {
            Sign.SignatureData signature = signHash(Hash.sha3(TransactionEncoder.encode(transaction, chainId)));
            return TransactionEncoder.encode(
                    transaction, TransactionEncoder.createEip155SignatureData(signature, chainId));
        }
        return TransactionEncoder.encode(transaction, signHash(Hash.sha3(TransactionEncoder.encode(transaction))));
    }

    /** A key held in memory: the local key store's signer, a test's or an operator's key. */
    static TransactionSigner local(Credentials credentials) {
        return new Local(credentials);
    }

    /** Signs with web3j's own encoder, byte for byte what PERS signed before signers were pluggable. */
    record Local(Credentials credentials) implements TransactionSigner {

        @Override
        public String address() {
            return credentials.getAddress();
        }

        @Override
        public Sign.SignatureData signHash(byte[] digest) {
            return Sign.signMessage(digest, credentials.getEcKeyPair(), false);
        }

        @Override
        public byte[] signTransaction(RawTransaction transaction, long chainId) {
            return TransactionEncoder.signMessage(transaction, chainId, credentials);
        }

        @Override
        public String toString() {
            return "TransactionSigner.Local[" + address() + "]"; // never the key
        }
    }
}
