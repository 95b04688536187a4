package io.pers.workflow.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The schedule a first attempt made without a workflow hands over to the workflow. */
class DeliveryTest {

    private static final List<Long> STANDARD = List.of(0L, 5_000L, 300_000L, 1_800_000L);

    private final Delivery delivery = new Delivery(UUID.randomUUID(), UUID.randomUUID(), STANDARD, 86_400_000L);

    @Test
    void theFirstAttemptKnowsTheWaitBeforeTheNext() {
        Attempt first = delivery.firstAttempt(1_000L);

        assertThat(first.attemptedAtMillis()).isEqualTo(1_000L);
        assertThat(first.nextDelayMs()).isEqualTo(5_000L);
        assertThat(first.last()).isFalse();
        assertThat(delivery.firstAttemptImmediate()).isTrue();
    }

    @Test
    void theWorkflowContinuesWithTheRestOfTheSchedule() {
        Delivery rest = delivery.afterFirstAttempt(0);

        assertThat(rest.delaysMs()).containsExactly(5_000L, 300_000L, 1_800_000L);
        assertThat(rest.messageId()).isEqualTo(delivery.messageId());
        assertThat(rest.disableAfterMs()).isEqualTo(delivery.disableAfterMs());
    }

    @Test
    void aRetryAfterStretchesTheNextWaitAndNeverShortensIt() {
        assertThat(delivery.afterFirstAttempt(3_600_000L).delaysMs()).containsExactly(3_600_000L, 300_000L, 1_800_000L);
        assertThat(delivery.afterFirstAttempt(1_000L).delaysMs()).containsExactly(5_000L, 300_000L, 1_800_000L);
    }

    @Test
    void aOneAttemptScheduleMakesTheFirstAttemptTheLast() {
        Delivery once = new Delivery(UUID.randomUUID(), UUID.randomUUID(), List.of(0L), 1L);

        assertThat(once.firstAttempt(0).last()).isTrue();
    }

    @Test
    void aScheduleThatWaitsFirstIsLeftToTheWorkflow() {
        assertThat(new Delivery(UUID.randomUUID(), UUID.randomUUID(), List.of(10_000L, 60_000L), 1L)
                        .firstAttemptImmediate())
                .isFalse();
    }
}
