package io.pers.purchase;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pers.api.ErrorCode;
import io.pers.api.PersException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Stripe-Signature parsing and checking; PurchaseIT signs with an independent implementation. */
class StripeSignaturesTest {

    private static final String SECRET = "whsec_test_secret";
    private static final byte[] PAYLOAD = "{\"id\":\"evt_1\",\"object\":\"event\"}".getBytes(StandardCharsets.UTF_8);
    private static final long T = 1_700_000_000L;
    private static final Instant NOW = Instant.ofEpochSecond(T + 60);

    private static String v1(String secret, long t) {
        return HexFormat.of().formatHex(StripeSignatures.sign(secret, t, PAYLOAD));
    }

    @Test
    void acceptsAMatchingV1AmongSeveral() {
        String header = "t=" + T + ",v1=" + v1("whsec_other", T) + ",v0=abc,v1=" + v1(SECRET, T);
        assertThatCode(() -> StripeSignatures.verify(header, PAYLOAD, SECRET, NOW))
                .doesNotThrowAnyException();
    }

    @Test
    void refusesMissingMalformedForgedAndOutOfTolerance() {
        refused(null);
        refused("");
        refused("t=" + T);
        refused("v1=" + v1(SECRET, T));
        refused("t=" + T + ",v1=zz-not-hex");
        refused("t=" + T + ",v1=" + v1("whsec_forged", T));
        refused("t=" + (T + 1) + ",v1=" + v1(SECRET, T)); // the timestamp is part of what is signed
        long stale = NOW.getEpochSecond() - 301;
        refused("t=" + stale + ",v1=" + v1(SECRET, stale));
        long future = NOW.getEpochSecond() + 301;
        refused("t=" + future + ",v1=" + v1(SECRET, future));
    }

    private static void refused(String header) {
        assertThatThrownBy(() -> StripeSignatures.verify(header, PAYLOAD, SECRET, NOW))
                .isInstanceOf(PersException.class)
                .extracting(e -> ((PersException) e).code())
                .isEqualTo(ErrorCode.PAYMENT_SIGNATURE_INVALID);
    }
}
