package io.pers.expression;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** JSON integers reach CEL exactly or not at all: a value past 64 bits must never wrap around. */
class ExpressionsTest {

    private final Expressions expressions = new Expressions();

    @Test
    void integersWithinLongStayCelInts() {
        assertThat(holds("data.n == 42", 42)).isTrue();
        assertThat(holds("data.n == -9223372036854775808", BigInteger.valueOf(Long.MIN_VALUE)))
                .isTrue();
        assertThat(holds("data.n > 9223372036854775806", BigInteger.valueOf(Long.MAX_VALUE)))
                .isTrue();
    }

    @Test
    void integersBetweenTwoToTheSixtyThreeAndSixtyFourBecomeExactUints() {
        BigInteger twoTo63 = BigInteger.ONE.shiftLeft(63);
        BigInteger uint64Max = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
        // Before, 2^63 wrapped to -2^63 and 2^64-1 to -1: both failed "> 0".
        assertThat(holds("data.n > 0", twoTo63)).isTrue();
        assertThat(holds("data.n > 9223372036854775807", twoTo63)).isTrue();
        assertThat(holds("data.n == 9223372036854775808u", twoTo63)).isTrue();
        assertThat(holds("data.n == 18446744073709551615u", uint64Max)).isTrue();
        assertThat(holds("data.n > 18446744073709551614u", uint64Max)).isTrue();
        assertThat(holds("data.n < 0", uint64Max)).isFalse();
    }

    @Test
    void integersBeyondCelsRangeNeverHoldInsteadOfWrapping() {
        // 2^64 + 5 used to become 5 (and -2^64 - 1 became -1): these held by accident.
        BigInteger wrapsToFive = BigInteger.ONE.shiftLeft(64).add(BigInteger.valueOf(5));
        BigInteger wrapsToMinusOne = BigInteger.ONE.shiftLeft(64).negate().subtract(BigInteger.ONE);
        assertThat(holds("data.n == 5", wrapsToFive)).isFalse();
        assertThat(holds("data.n < 10", wrapsToFive)).isFalse();
        assertThat(holds("data.n > 10", wrapsToFive)).isFalse();
        assertThat(holds("data.n == -1", wrapsToMinusOne)).isFalse();
        assertThat(holds("true || data.n == 1", wrapsToFive))
                .as("a value CEL cannot hold refuses the whole evaluation")
                .isFalse();
    }

    @Test
    void nestedValuesAreConvertedToo() {
        BigInteger twoTo63 = BigInteger.ONE.shiftLeft(63);
        assertThat(expressions.holds(
                        "data.items[0].n > 0 && data.m.k == 7",
                        Map.of(
                                "user", Map.of(),
                                "claim", Map.of(),
                                "data", Map.of("items", java.util.List.of(Map.of("n", twoTo63)), "m", Map.of("k", 7)))))
                .isTrue();
        assertThat(Expressions.celValues(BigInteger.valueOf(7))).isEqualTo(7L);
    }

    private boolean holds(String expression, Object n) {
        return expressions.holds(expression, Map.of("user", Map.of(), "claim", Map.of(), "data", Map.of("n", n)));
    }

    @Test
    void triggerMappingsReadTheEventAndGiveAnIntMultiplier() {
        Map<String, Object> event = Map.of(
                "type", "com.shopify.order.paid", "data", Map.of("total_price", "60.40", "tags", "vip, loyalty"));

        assertThat(expressions.holdsOnEvent("event.data.tags.contains('vip')", event))
                .isTrue();
        assertThat(expressions.holdsOnEvent("double(event.data.total_price) >= 100.0", event))
                .isFalse();
        assertThat(expressions.holdsOnEvent("event.data.missing == 1", event)).isFalse();
        assertThat(expressions.integerOnEvent("int(double(event.data.total_price))", event))
                .hasValue(60);
        assertThat(expressions.integerOnEvent("int(event.data.missing)", event)).isEmpty();
    }

    @Test
    void eventExpressionsOfTheWrongTypeOrShapeAreRefusedWithTheirPosition() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> expressions.validateEventInteger("multiplier", "event.data.total_price == 'x'"))
                .hasMessageStartingWith("multiplier: line 1, column ");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> expressions.validateEventCondition("condition", "data.total > 1"))
                .as("only event is in scope")
                .hasMessageContaining("condition: line 1, column ");
        expressions.validateEventCondition("condition", "event.type == 'com.shopify.order.paid'");
        expressions.validateEventInteger("multiplier", "2");
    }

    /** Order totals and refunds are money: read exactly, never through binary fractions. */
    @Test
    void amountsAreExactDecimalsAndReferencesExactText() {
        Map<String, Object> event = Map.of(
                "data",
                Map.of(
                        "total",
                        "19.99",
                        "refund",
                        9.5,
                        "cents",
                        1999,
                        "negative",
                        "-1.00",
                        "word",
                        "ten",
                        "order",
                        5324830114101L,
                        "big",
                        BigInteger.ONE.shiftLeft(63)));

        assertThat(expressions.decimalOnEvent("event.data.total", event)).contains(new BigDecimal("19.99"));
        assertThat(expressions.decimalOnEvent("event.data.refund", event)).contains(new BigDecimal("9.5"));
        assertThat(expressions.decimalOnEvent("event.data.cents", event)).contains(new BigDecimal("1999"));
        assertThat(expressions.decimalOnEvent("event.data.negative", event)).isEmpty();
        assertThat(expressions.decimalOnEvent("event.data.word", event)).isEmpty();
        assertThat(expressions.decimalOnEvent("event.data.missing", event)).isEmpty();
        assertThat(expressions.textOnEvent("event.data.order", event)).contains("5324830114101");
        assertThat(expressions.textOnEvent("event.data.big", event)).contains("9223372036854775808");
        assertThat(expressions.textOnEvent("'shop:' + string(event.data.order)", event))
                .contains("shop:5324830114101");
        assertThat(expressions.textOnEvent("event.data.refund", event))
                .as("a double is no reference: 1e3 and 1000.0 would name different orders")
                .isEmpty();
    }
}
