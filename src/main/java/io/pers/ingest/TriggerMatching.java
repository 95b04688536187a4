package io.pers.ingest;

import com.fasterxml.jackson.annotation.JsonFormat;
import io.pers.api.ErrorCode;
import io.pers.api.PersException;
import io.pers.campaign.CampaignCatalog;
import io.pers.campaign.ClaimTerms;
import io.pers.expression.Expressions;
import io.pers.ingest.TriggerMappings.Action;
import io.pers.ingest.TriggerMappings.Mapping;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Judges a canonical event against the tenant's trigger mappings: which fire, with which
 * multiplier, order reference and amount. The same judgement serves the matcher (which then
 * claims or reverses) and simulate (which does not).
 */
@Component
public class TriggerMatching {

    /**
     * One mapping's verdict on one event.
     *
     * @param reference the order the event is about, when the mapping names one
     * @param amount CLAIM: the order's total; REVERSE: the refunded sum; null: none named (the whole order)
     * @param reason why it does not fire, or (simulate only) what eligibility would refuse; null when it fires cleanly
     */
    public record Verdict(
            UUID mappingId,
            UUID campaignId,
            Action action,
            boolean fires,
            Long multiplier,
            String reference,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal amount,
            String reason) {

        static Verdict not(Mapping m, String reason) {
            return new Verdict(m.id(), m.campaignId(), m.action(), false, null, null, null, reason);
        }
    }

    private final TriggerMappings mappings;
    private final Expressions expressions;
    private final CampaignCatalog catalog;
    private final Connectors connectors;

    TriggerMatching(TriggerMappings mappings, Expressions expressions, CampaignCatalog catalog, Connectors connectors) {
        this.mappings = mappings;
        this.expressions = expressions;
        this.catalog = catalog;
        this.connectors = connectors;
    }

    Mapping create(Mapping m) {
        if (connectors.find(m.source()).isEmpty()) {
            // A mapping of a source no connector delivers would be stored and never fire.
            throw new PersException(ErrorCode.VALIDATION_FAILED, "source must be a connector, e.g. shopify");
        }
        if (m.condition() != null) {
            expressions.validateEventCondition("condition", m.condition());
        }
        expressions.validateEventInteger("multiplier", m.multiplier());
        if (m.reference() != null) {
            expressions.validateEventValue("reference", m.reference());
        } else if (m.action() == Action.REVERSE) {
            throw new PersException(
                    ErrorCode.VALIDATION_FAILED, "reference is required to REVERSE: it names the order refunded");
        }
        if (m.amount() != null) {
            expressions.validateEventValue("amount", m.amount());
        }
        if (catalog.claimTerms(m.campaignId()).isEmpty()) {
            throw PersException.notFound("Campaign");
        }
        return mappings.create(m);
    }

    List<Mapping> list() {
        return mappings.list();
    }

    /** Every active mapping of the event's connector and type, judged (what the matcher acts on). */
    public List<Verdict> judge(Map<String, Object> event) {
        return judge(event, false);
    }

    /**
     * The same, each firing verdict also saying what the campaign would refuse: for simulate only,
     * since reading the campaign's terms per mapping is work the matcher leaves to the workflow's
     * own eligibility step.
     */
    List<Verdict> simulate(Map<String, Object> event) {
        return judge(event, true);
    }

    private List<Verdict> judge(Map<String, Object> event, boolean withEligibility) {
        Object type = event.get("type");
        if (!(type instanceof String eventType)) {
            throw new PersException(ErrorCode.INVALID_EVENT, "type must be a string");
        }
        Object source = event.get("connector");
        List<Verdict> verdicts = new ArrayList<>();
        for (Mapping m : mappings.matching(source instanceof String s ? s : null, eventType)) {
            verdicts.add(judge(m, event, withEligibility));
        }
        return verdicts;
    }

    private Verdict judge(Mapping m, Map<String, Object> event, boolean withEligibility) {
        if (m.condition() != null && !expressions.holdsOnEvent(m.condition(), event)) {
            return Verdict.not(m, "condition does not hold");
        }
        Optional<String> reference = Optional.empty();
        if (m.reference() != null) {
            reference = expressions.textOnEvent(m.reference(), event);
            if (reference.isEmpty()) {
                return Verdict.not(m, "reference gives no string or integer");
            }
        }
        Optional<BigDecimal> amount = Optional.empty();
        if (m.amount() != null) {
            amount = expressions.decimalOnEvent(m.amount(), event).filter(a -> a.signum() > 0);
            if (amount.isEmpty()) {
                return Verdict.not(m, "amount is not a positive decimal");
            }
        }
        if (m.action() == Action.REVERSE) {
            return new Verdict(
                    m.id(), m.campaignId(), m.action(), true, null, reference.get(), amount.orElse(null), null);
        }
        OptionalLong multiplier = expressions.integerOnEvent(m.multiplier(), event);
        if (multiplier.isEmpty() || multiplier.getAsLong() < 1) {
            return Verdict.not(m, "multiplier is not a positive integer");
        }
        Instant at = eventTime(event).orElseGet(Instant::now);
        // Not Optional.map: an eligible campaign's null verdict would read as "campaign not found".
        String eligibility = null;
        if (withEligibility) {
            Optional<ClaimTerms> terms = catalog.claimTerms(m.campaignId());
            eligibility = terms.isEmpty() ? "campaign not found" : eligibility(terms.get(), multiplier.getAsLong(), at);
        }
        return new Verdict(
                m.id(),
                m.campaignId(),
                m.action(),
                true,
                multiplier.getAsLong(),
                reference.orElse(null),
                amount.orElse(null),
                eligibility);
    }

    /** The event's {@code time} (CloudEvents: RFC 3339), when it has a readable one. */
    static Optional<Instant> eventTime(Map<String, Object> event) {
        if (!(event.get("time") instanceof String time)) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(time).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** The campaign rules an event can be judged by before a user is known. */
    private static String eligibility(ClaimTerms terms, long multiplier, Instant at) {
        if (!terms.active()) {
            return ErrorCode.CAMPAIGN_INACTIVE.name();
        }
        if (!terms.runsAt(at)) {
            return ErrorCode.OUTSIDE_WINDOW.name() + ": the event's time is outside the campaign's dates";
        }
        if (terms.trigger() != null && terms.trigger().type() != ClaimTerms.TriggerType.CLAIM_BY_SYSTEM) {
            return ErrorCode.CALLER_NOT_ALLOWED.name() + ": the campaign's trigger must be CLAIM_BY_SYSTEM";
        }
        return terms.multiplierRefusal(multiplier)
                .map(refusal -> ErrorCode.VALIDATION_FAILED.name() + ": " + refusal)
                .orElse(null);
    }
}
