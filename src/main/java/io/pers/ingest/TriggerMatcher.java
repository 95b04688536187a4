package io.pers.ingest;

import io.pers.api.ErrorCode;
import io.pers.api.PersException;
import io.pers.claim.ClaimIntake;
import io.pers.claim.ClaimReversalIntake;
import io.pers.crypto.Secrets;
import io.pers.ingest.TriggerMappings.Action;
import io.pers.tenant.TenantContext;
import io.pers.user.Users;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * The trigger matcher's step (routes/trigger-matcher.yaml): for each of the tenant's mappings an
 * event fires, starts a claim through {@link ClaimIntake} as the SYSTEM caller
 * {@code connector:<name>}, with the idempotency source {@code ingest:<source>:<eventId>:<mappingId>}
 * (a redelivered event finds its claims instead of making new ones), or, for a REVERSE mapping, a
 * refund's reversal through {@link ClaimReversalIntake} (idempotent by the same key); and commits
 * the offset only once every workflow start is acknowledged. The user is the event's subject
 * (email or external id), enrolled on first sight; a refund needs none: it finds the order's
 * claims by the mapping's reference. Claims carry the event's time, which date windows judge.
 */
@Component("triggerMatcher")
class TriggerMatcher {

    private static final Logger log = LoggerFactory.getLogger(TriggerMatcher.class);
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    /** Claims and reversals made for a connector's events name it as {@code connector:<name>}. */
    private static final String CALLER_PREFIX = "connector:";

    private final TriggerMatching matching;
    private final ClaimIntake intake;
    private final ClaimReversalIntake reversals;
    private final Users users;
    private final ObjectMapper json;

    TriggerMatcher(
            TriggerMatching matching,
            ClaimIntake intake,
            ClaimReversalIntake reversals,
            Users users,
            ObjectMapper json) {
        this.matching = matching;
        this.intake = intake;
        this.reversals = reversals;
        this.users = users;
        this.json = json;
    }

    /** Applies the record's event; a record that is no canonical trigger is skipped (logged). */
    public void match(Exchange exchange) {
        Map<String, Object> event;
        UUID tenant;
        try {
            event = json.readValue(exchange.getIn().getBody(byte[].class), MAP);
            tenant = UUID.fromString(String.valueOf(event.get("tenant")));
            if (!(event.get("type") instanceof String)) {
                throw new IllegalArgumentException("no type");
            }
        } catch (JacksonException | IllegalArgumentException e) {
            // Reading a record that is no canonical trigger again would not change it: skip it,
            // rather than stop its partition for good.
            log.warn("Skipped a record of {} that is not a canonical trigger: {}", TriggerLog.TOPIC, e.getMessage());
            return;
        }
        TenantContext.runAs(tenant, () -> apply(event));
    }

    /** The idempotency source of the claim a CLAIM mapping makes for an event. */
    static String claimKey(String source, String eventId, UUID mappingId) {
        return "ingest:" + source + ":" + eventId + ":" + mappingId;
    }

    static String caller(String source) {
        return CALLER_PREFIX + source;
    }

    /** Starts what every firing mapping asks for; in the event's tenant. Idempotent per (event, mapping). */
    void apply(Map<String, Object> event) {
        apply(event, matching.judge(event));
    }

    /** The same, with the event's verdicts already judged (a backfill judged them to report). */
    void apply(Map<String, Object> event, List<TriggerMatching.Verdict> verdicts) {
        String source = String.valueOf(event.get("connector"));
        String eventId = String.valueOf(event.get("id"));
        Instant occurredAt = TriggerMatching.eventTime(event).orElse(null);
        for (TriggerMatching.Verdict verdict : verdicts) {
            if (!verdict.fires()) {
                continue;
            }
            try {
                if (verdict.action() == Action.REVERSE) {
                    reversals.start(new ClaimReversalIntake.Refund(
                            verdict.mappingId(),
                            verdict.mappingVersion(),
                            caller(source),
                            eventId,
                            verdict.reference(),
                            verdict.campaignId(),
                            verdict.amount(),
                            occurredAt));
                } else {
                    claim(event, source, eventId, occurredAt, verdict);
                }
            } catch (PersException | ArithmeticException e) {
                // A claim the campaign refuses outright (e.g. a multiplier above its maximum) is not
                // retried: it would be refused again. Anything else stops the offset from committing.
                log.warn(
                        "Event {} of {}: mapping {} not applied: {}",
                        eventId,
                        source,
                        verdict.mappingId(),
                        e.getMessage());
            }
        }
    }

    private void claim(
            Map<String, Object> event,
            String source,
            String eventId,
            Instant occurredAt,
            TriggerMatching.Verdict verdict) {
        if (!(event.get("subject") instanceof String subject) || subject.isBlank()) {
            log.info("Event {} of {} names no user: mapping {} not claimed", eventId, source, verdict.mappingId());
            return;
        }
        String idempotency = claimKey(source, eventId, verdict.mappingId());
        intake.startBySystem(
                new ClaimIntake.Request(
                        verdict.campaignId(),
                        null,
                        Math.toIntExact(verdict.multiplier()),
                        null,
                        null,
                        null,
                        null,
                        null,
                        data(event)),
                caller(source),
                user(subject),
                new ClaimIntake.Origin(
                        verdict.reference(),
                        verdict.amount(),
                        occurredAt,
                        verdict.mappingId(),
                        verdict.mappingVersion()),
                idempotency,
                Secrets.sha256(idempotency));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> data(Map<String, Object> event) {
        return event.get("data") instanceof Map<?, ?> data ? (Map<String, Object>) data : Map.of();
    }

    /** The subject's user; enrolled when unknown (an email, or else an external id). */
    private UUID user(String subject) {
        return users.findByIdentifier(subject).orElseGet(() -> enroll(subject)).id();
    }

    private Users.User enroll(String subject) {
        boolean email = subject.contains("@");
        try {
            return users.create(new Users.Profile(email ? subject : null, email ? null : subject, null, null, null));
        } catch (PersException e) {
            if (e.code() != ErrorCode.ALREADY_EXISTS) {
                throw e;
            }
            return users.findByIdentifier(subject).orElseThrow(() -> e);
        }
    }
}
