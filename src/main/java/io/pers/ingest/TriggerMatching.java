package io.pers.ingest;

import com.fasterxml.jackson.annotation.JsonFormat;
import io.pers.api.ErrorCode;
import io.pers.api.PersException;
import io.pers.campaign.CampaignCatalog;
import io.pers.campaign.ClaimTerms;
import io.pers.expression.Expressions;
import io.pers.ingest.TriggerMappings.Action;
import io.pers.ingest.TriggerMappings.Mapping;
import io.pers.ingest.TriggerMappings.Rule;
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
     * @param mappingVersion the mapping's version judged; null for a draft (simulate), which has neither id nor version
     * @param reference the order the event is about, when the mapping names one
     * @param amount CLAIM: the order's total; REVERSE: the refunded sum; null: none named (the whole order)
     * @param reason why it does not fire, or (simulate only) what eligibility would refuse; null when it fires cleanly
     */
    public record Verdict(
            UUID mappingId,
            Integer mappingVersion,
            UUID campaignId,
            Action action,
            boolean fires,
            Long multiplier,
            String reference,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal amount,
            String reason) {

        static Verdict of(
                Mapping m, boolean fires, Long multiplier, String reference, BigDecimal amount, String reason) {
            Rule rule = m.rule();
            Integer version = m.id() == null ? null : m.version();
            return new Verdict(
                    m.id(), version, rule.campaignId(), rule.action(), fires, multiplier, reference, amount, reason);
        }

        static Verdict not(Mapping m, String reason) {
            return of(m, false, null, null, null, reason);
        }
    }

    private final TriggerMappings mappings;
    private final Expressions expressions;
    private final CampaignCatalog catalog;

    TriggerMatching(TriggerMappings mappings, Expressions expressions, CampaignCatalog catalog) {
        this.mappings = mappings;
        this.expressions = expressions;
        this.catalog = catalog;
    }

    /** Every active mapping of the event's connector and type, judged (what the matcher acts on). */
    public List<Verdict> judge(Map<String, Object> event) {
        return judge(event, false);
    }

    /**
     * The same, each firing verdict also saying what would stop its claim (the campaign's rules,
     * an event naming no user): for simulate only, since reading the campaign's terms per mapping
     * is work the matcher leaves to the workflow's own eligibility step.
     */
    List<Verdict> simulate(Map<String, Object> event) {
        return judge(event, true);
    }

    /** A draft (a rule not saved) judged as simulate judges the live mappings. */
    Verdict simulate(Rule draft, Map<String, Object> event) {
        Mapping m = new Mapping(null, draft, 0, null, null, null);
        String type = type(event);
        boolean otherSource = event.get("connector") instanceof String source && !source.equals(draft.source());
        if (otherSource || !type.equals(draft.eventType())) {
            return Verdict.not(m, "the mapping is about " + draft.source() + " " + draft.eventType() + " events");
        }
        if (!draft.active()) {
            return Verdict.not(m, "the mapping is switched off (active false)");
        }
        return judge(m, event, true);
    }

    private List<Verdict> judge(Map<String, Object> event, boolean simulate) {
        String type = type(event);
        Object source = event.get("connector");
        List<Verdict> verdicts = new ArrayList<>();
        for (Mapping m : mappings.matching(source instanceof String s ? s : null, type)) {
            verdicts.add(judge(m, event, simulate));
        }
        return verdicts;
    }

    private static String type(Map<String, Object> event) {
        if (!(event.get("type") instanceof String type)) {
            throw new PersException(ErrorCode.INVALID_EVENT, "type must be a string");
        }
        return type;
    }

    private Verdict judge(Mapping m, Map<String, Object> event, boolean simulate) {
        Rule rule = m.rule();
        if (rule.condition() != null && !expressions.holdsOnEvent(rule.condition(), event)) {
            return Verdict.not(m, "condition does not hold");
        }
        Optional<String> reference = Optional.empty();
        if (rule.reference() != null) {
            reference = expressions.textOnEvent(rule.reference(), event);
            if (reference.isEmpty()) {
                return Verdict.not(m, "reference gives no string or integer");
            }
        }
        Optional<BigDecimal> amount = Optional.empty();
        if (rule.amount() != null) {
            amount = expressions.decimalOnEvent(rule.amount(), event).filter(a -> a.signum() > 0);
            if (amount.isEmpty()) {
                return Verdict.not(m, "amount is not a positive decimal");
            }
        }
        if (rule.action() == Action.REVERSE) {
            return Verdict.of(m, true, null, reference.get(), amount.orElse(null), null);
        }
        OptionalLong multiplier = expressions.integerOnEvent(rule.multiplier(), event);
        if (multiplier.isEmpty() || multiplier.getAsLong() < 1) {
            return Verdict.not(m, "multiplier is not a positive integer");
        }
        String refusal = simulate ? refusal(rule, multiplier.getAsLong(), event) : null;
        return Verdict.of(m, true, multiplier.getAsLong(), reference.orElse(null), amount.orElse(null), refusal);
    }

    /** What would stop a firing CLAIM verdict's claim before a user's own history is read; null: nothing. */
    private String refusal(Rule rule, long multiplier, Map<String, Object> event) {
        Optional<ClaimTerms> terms = catalog.claimTerms(rule.campaignId());
        if (terms.isEmpty()) {
            return "campaign not found";
        }
        String refused = eligibility(terms.get(), multiplier, eventTime(event).orElseGet(Instant::now));
        if (refused == null && !(event.get("subject") instanceof String subject && !subject.isBlank())) {
            // The matcher claims for the event's subject: without one there is nobody to credit.
            return "the event names no user (subject): nothing is claimed";
        }
        return refused;
    }

    /** The event's {@code time} (CloudEvents: RFC 3339), when it has a readable one. */
    static Optional<Instant> eventTime(Map<String, Object> event) {
        return time(event.get("time"));
    }

    /** An RFC 3339 time, when {@code value} is one. */
    static Optional<Instant> time(Object value) {
        if (!(value instanceof String time)) {
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
