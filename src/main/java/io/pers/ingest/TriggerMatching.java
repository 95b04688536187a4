package io.pers.ingest;

import io.pers.api.ErrorCode;
import io.pers.api.PersException;
import io.pers.campaign.CampaignCatalog;
import io.pers.campaign.ClaimTerms;
import io.pers.expression.Expressions;
import io.pers.ingest.TriggerMappings.Mapping;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Judges a canonical event against the tenant's trigger mappings: which fire, and with which
 * multiplier. The same judgement serves the matcher (which then claims) and simulate (which
 * does not).
 */
@Component
public class TriggerMatching {

    /**
     * One mapping's verdict on one event.
     *
     * @param reason why it does not fire, or what eligibility would refuse; null when it fires cleanly
     */
    public record Verdict(UUID mappingId, UUID campaignId, boolean fires, Long multiplier, String reason) {}

    private final TriggerMappings mappings;
    private final Expressions expressions;
    private final CampaignCatalog catalog;

    TriggerMatching(TriggerMappings mappings, Expressions expressions, CampaignCatalog catalog) {
        this.mappings = mappings;
        this.expressions = expressions;
        this.catalog = catalog;
    }

    Mapping create(Mapping m) {
        if (m.condition() != null) {
            expressions.validateEventCondition("condition", m.condition());
        }
        expressions.validateEventInteger("multiplier", m.multiplier());
        if (catalog.claimTerms(m.campaignId()).isEmpty()) {
            throw PersException.notFound("Campaign");
        }
        return mappings.create(m);
    }

    List<Mapping> list() {
        return mappings.list();
    }

    /** Every active mapping of the event's connector and type, judged. */
    public List<Verdict> judge(Map<String, Object> event) {
        Object type = event.get("type");
        if (!(type instanceof String eventType)) {
            throw new PersException(ErrorCode.INVALID_EVENT, "type must be a string");
        }
        Object source = event.get("connector");
        List<Verdict> verdicts = new ArrayList<>();
        for (Mapping m : mappings.matching(source instanceof String s ? s : null, eventType)) {
            verdicts.add(judge(m, event));
        }
        return verdicts;
    }

    private Verdict judge(Mapping m, Map<String, Object> event) {
        if (m.condition() != null && !expressions.holdsOnEvent(m.condition(), event)) {
            return new Verdict(m.id(), m.campaignId(), false, null, "condition does not hold");
        }
        OptionalLong multiplier = expressions.integerOnEvent(m.multiplier(), event);
        if (multiplier.isEmpty() || multiplier.getAsLong() < 1) {
            return new Verdict(m.id(), m.campaignId(), false, null, "multiplier is not a positive integer");
        }
        String eligibility = catalog.claimTerms(m.campaignId())
                .map(terms -> eligibility(terms, multiplier.getAsLong()))
                .orElse("campaign not found");
        return new Verdict(m.id(), m.campaignId(), true, multiplier.getAsLong(), eligibility);
    }

    /** The campaign rules an event can be judged by before a user is known. */
    private static String eligibility(ClaimTerms terms, long multiplier) {
        if (!terms.active()) {
            return ErrorCode.CAMPAIGN_INACTIVE.name();
        }
        if (terms.trigger() != null && terms.trigger().type() != ClaimTerms.TriggerType.CLAIM_BY_SYSTEM) {
            return ErrorCode.CALLER_NOT_ALLOWED.name() + ": the campaign's trigger must be CLAIM_BY_SYSTEM";
        }
        int max = terms.trigger() == null ? 1 : terms.trigger().maxMultiplier();
        if (multiplier > max) {
            return ErrorCode.VALIDATION_FAILED.name() + ": multiplier above the trigger's maxMultiplier " + max;
        }
        return null;
    }
}
