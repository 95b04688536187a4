package io.pers.redemption;

import static org.assertj.core.api.Assertions.assertThat;

import io.pers.redemption.StatusTiers.Discount;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class DiscountTest {

    @Test
    void theDiscountIsRoundedDownSoTheProgramKeepsTheFraction() {
        assertThat(new Discount("GOLD", 250).apply(BigInteger.valueOf(99))).isEqualTo(BigInteger.valueOf(97));
        assertThat(new Discount("GOLD", 2_500).apply(BigInteger.valueOf(99))).isEqualTo(BigInteger.valueOf(75));
        assertThat(new Discount("GOLD", 9_999).apply(BigInteger.ONE))
                .as("never free below 100%")
                .isEqualTo(BigInteger.ONE);
        assertThat(new Discount("ALL", 10_000).apply(BigInteger.valueOf(99))).isZero();
        assertThat(Discount.NONE.apply(BigInteger.valueOf(99))).isEqualTo(BigInteger.valueOf(99));
        BigInteger max = BigInteger.TWO.pow(256).subtract(BigInteger.ONE);
        assertThat(new Discount("GOLD", 5_000).apply(max))
                .as("no overflow: BigInteger")
                .isEqualTo(max.subtract(max.divide(BigInteger.TWO)));
    }
}
