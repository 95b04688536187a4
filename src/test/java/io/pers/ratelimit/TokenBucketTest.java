package io.pers.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class TokenBucketTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void aBurstOfCapacityPassesThenTheWaitIsUntilTheNextToken() {
        TokenBucket bucket = new TokenBucket(new RateLimitProperties.Limit(3, 0.5), 0);
        assertThat(bucket.take(0)).isZero();
        assertThat(bucket.take(0)).isZero();
        assertThat(bucket.take(0)).isZero();
        assertThat(bucket.take(0)).isCloseTo(2 * SECOND, within(10L));
        assertThat(bucket.take(SECOND)).isCloseTo(SECOND, within(10L));
        assertThat(bucket.take(2 * SECOND)).isZero();
    }

    @Test
    void refillNeverExceedsCapacity() {
        TokenBucket bucket = new TokenBucket(new RateLimitProperties.Limit(2, 10), 0);
        long later = 3600 * SECOND;
        assertThat(bucket.take(later)).isZero();
        assertThat(bucket.take(later)).isZero();
        assertThat(bucket.take(later)).isPositive();
    }

    @Test
    void refusesALimitThatCouldNeverPass() {
        assertThatThrownBy(() -> new TokenBucket(new RateLimitProperties.Limit(0, 1), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
