package io.pers.ingest;

import io.pers.api.CurrentCaller;
import io.pers.api.ErrorCode;
import io.pers.api.PersException;
import io.pers.campaign.CampaignCatalog;
import io.pers.expression.Expressions;
import io.pers.ingest.TriggerMappings.Action;
import io.pers.ingest.TriggerMappings.Mapping;
import io.pers.ingest.TriggerMappings.Rule;
import io.pers.ingest.TriggerMappings.Version;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A trigger mapping's life: made, read, changed (its expressions, its campaign, switched off or
 * on), deleted. Every change is checked exactly as a new mapping is, and makes a new immutable
 * version that is live at once; a change refused stores nothing. Deleting archives: the mapping
 * never fires again, and it and its versions stay readable, because the claims it decided name
 * them (a claim records the mapping and version that decided it).
 */
@Component
class TriggerMappingLifecycle {

    private final TriggerMappings mappings;
    private final Expressions expressions;
    private final CampaignCatalog catalog;
    private final Connectors connectors;
    private final TransactionTemplate tx;

    TriggerMappingLifecycle(
            TriggerMappings mappings,
            Expressions expressions,
            CampaignCatalog catalog,
            Connectors connectors,
            TransactionTemplate tx) {
        this.mappings = mappings;
        this.expressions = expressions;
        this.catalog = catalog;
        this.connectors = connectors;
        this.tx = tx;
    }

    Mapping create(Rule rule) {
        validate(rule);
        return tx.execute(status -> mappings.create(UUID.randomUUID(), rule, changedBy()));
    }

    /** The mapping, deleted ones included (a claim may name one). */
    Mapping find(UUID id) {
        return mappings.find(id, false).orElseThrow(TriggerMappingLifecycle::notFound);
    }

    List<Mapping> list() {
        return mappings.list();
    }

    List<Version> versions(UUID id) {
        find(id);
        return mappings.versions(id);
    }

    /**
     * The mapping with {@code change} applied, as its next version; a change that changes nothing
     * makes no version. Locked while it is judged, so two changes at once make two versions in turn.
     */
    Mapping update(UUID id, UnaryOperator<Rule> change) {
        return tx.execute(status -> {
            Mapping live = editable(id);
            Rule rule = change.apply(live.rule());
            if (rule.equals(live.rule())) {
                return live;
            }
            validate(rule);
            return mappings.change(id, rule, false, changedBy());
        });
    }

    /** Archives the mapping: switched off for good, its last version the one that says so. */
    void delete(UUID id) {
        tx.executeWithoutResult(
                status -> mappings.change(id, editable(id).rule().switchedOff(), true, changedBy()));
    }

    /** Refuses, with the problem a new mapping gets, a rule that could not be saved. */
    void validate(Rule rule) {
        if (connectors.find(rule.source()).isEmpty()) {
            // A mapping of a source no connector delivers would be stored and never fire.
            throw new PersException(ErrorCode.VALIDATION_FAILED, "source must be a connector, e.g. shopify");
        }
        if (rule.condition() != null) {
            expressions.validateEventCondition("condition", rule.condition());
        }
        expressions.validateEventInteger("multiplier", rule.multiplier());
        if (rule.reference() != null) {
            expressions.validateEventValue("reference", rule.reference());
        } else if (rule.action() == Action.REVERSE) {
            throw new PersException(
                    ErrorCode.VALIDATION_FAILED, "reference is required to REVERSE: it names the order refunded");
        }
        if (rule.amount() != null) {
            expressions.validateEventValue("amount", rule.amount());
        }
        if (catalog.claimTerms(rule.campaignId()).isEmpty()) {
            throw PersException.notFound("Campaign");
        }
    }

    /** The live mapping, locked; a deleted one is history and changes no more. */
    private Mapping editable(UUID id) {
        return mappings.find(id, true)
                .filter(m -> m.deletedAt() == null)
                .orElseThrow(TriggerMappingLifecycle::notFound);
    }

    private static String changedBy() {
        return CurrentCaller.get().callerKey();
    }

    private static PersException notFound() {
        return PersException.notFound("Trigger mapping");
    }
}
