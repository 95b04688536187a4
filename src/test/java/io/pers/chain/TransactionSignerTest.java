package io.pers.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.Sign;
import org.web3j.crypto.SignedRawTransaction;
import org.web3j.crypto.TransactionDecoder;
import org.web3j.crypto.TransactionEncoder;

/**
 * A signer that only signs digests, as a KMS does, makes the very bytes the local key store makes
 * (RFC 6979 signatures are deterministic), and they recover to its address.
 */
class TransactionSignerTest {

    private static final Credentials KEY = Credentials.create(
            ECKeyPair.create(new BigInteger("4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318", 16)));

    /** Holds the key as a KMS would, out of reach: only digests go in. */
    private static final TransactionSigner KMS_STYLE = new TransactionSigner() {
        @Override
        public String address() {
            return KEY.getAddress();
        }

        @Override
        public Sign.SignatureData signHash(byte[] digest) {
            assertThat(digest).hasSize(32);
            return Sign.signMessage(digest, KEY.getEcKeyPair(), false);
        }
    };

    @Test
    void anEip1559TransactionSignedFromItsDigestIsTheLocalStoresTransaction() throws Exception {
        RawTransaction batch = RawTransaction.createTransaction(
                31337L,
                BigInteger.valueOf(7),
                BigInteger.valueOf(210_000),
                "0x5fbdb2315678afecb367f032d93f642f64180aa3",
                BigInteger.ZERO,
                "0xa9059cbb",
                BigInteger.valueOf(1_000_000_000),
                BigInteger.valueOf(3_000_000_000L));

        byte[] local = TransactionSigner.local(KEY).signTransaction(batch, 31337L);
        byte[] kms = KMS_STYLE.signTransaction(batch, 31337L);

        assertThat(kms).isEqualTo(local).isEqualTo(TransactionEncoder.signMessage(batch, 31337L, KEY));
        assertThat(((SignedRawTransaction) TransactionDecoder.decode(org.web3j.utils.Numeric.toHexString(kms)))
                        .getFrom())
                .isEqualToIgnoringCase(KEY.getAddress());
    }

    @Test
    void aLegacyTransactionGetsEip155ReplayProtection() throws Exception {
        RawTransaction legacy = RawTransaction.createTransaction(
                BigInteger.ONE, BigInteger.TEN, BigInteger.valueOf(21_000), KEY.getAddress(), BigInteger.ONE, "");

        byte[] kms = KMS_STYLE.signTransaction(legacy, 1L);

        assertThat(kms).isEqualTo(TransactionEncoder.signMessage(legacy, 1L, KEY));
        SignedRawTransaction decoded =
                (SignedRawTransaction) TransactionDecoder.decode(org.web3j.utils.Numeric.toHexString(kms));
        assertThat(decoded.getChainId()).isEqualTo(1L);
        assertThat(decoded.getFrom()).isEqualToIgnoringCase(KEY.getAddress());
    }

    @Test
    void theLocalSignerNeverShowsItsKey() {
        assertThat(TransactionSigner.local(KEY).toString())
                .contains(KEY.getAddress())
                .doesNotContain(KEY.getEcKeyPair().getPrivateKey().toString(16));
    }
}
