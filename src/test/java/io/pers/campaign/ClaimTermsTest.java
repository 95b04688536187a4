package io.pers.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A refused multiplier names the limit it is above and how to raise it, or why it cannot be. */
class ClaimTermsTest {

    private static final UUID TRIGGER = UUID.fromString("00000000-0000-0000-0000-00000000000a");

    @Test
    void aMultiplierWithinTheTriggersMaximumIsAllowed() {
        assertThat(terms(trigger(1)).multiplierRefusal(1)).isEmpty();
        assertThat(terms(trigger(1000)).multiplierRefusal(1000)).isEmpty();
    }

    @Test
    void aDefaultTriggerRefusingAnOrderTotalSaysHowToRaiseItsMaximum() {
        assertThat(terms(trigger(1)).multiplierRefusal(80))
                .hasValue("multiplier 80 is above the trigger's maxMultiplier 1: raise it with PATCH"
                        + " /v2/campaign-triggers/" + TRIGGER + " {\"maxMultiplier\": 80} (at most 1000)");
    }

    @Test
    void aMultiplierAboveTheCapCannotBeAllowedByRaisingTheMaximum() {
        assertThat(terms(trigger(1000)).multiplierRefusal(1250))
                .hasValue("multiplier 1250 is above 1000, the most a trigger's maxMultiplier allows:"
                        + " cap the multiplier, or let a token unit carry more");
    }

    @Test
    void aCampaignWithoutATriggerTakesOne() {
        assertThat(terms(null).multiplierRefusal(1)).isEmpty();
        assertThat(terms(null).multiplierRefusal(2)).hasValueSatisfying(refusal -> assertThat(refusal)
                .startsWith("multiplier 2 is above 1, the most a campaign without a trigger takes"));
    }

    private static ClaimTerms.Trigger trigger(int maxMultiplier) {
        return new ClaimTerms.Trigger(
                TRIGGER,
                ClaimTerms.TriggerType.CLAIM_BY_SYSTEM,
                null,
                null,
                null,
                null,
                null,
                null,
                List.of(),
                maxMultiplier,
                List.of());
    }

    private static ClaimTerms terms(ClaimTerms.Trigger trigger) {
        return new ClaimTerms(
                UUID.randomUUID(), true, false, null, null, List.of(), trigger, List.of(), Map.of(), List.of());
    }
}
