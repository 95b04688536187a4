package io.pers.ingest;

import io.pers.api.ErrorCode;
import io.pers.api.PersException;
import io.pers.claim.ClaimIntake;
import io.pers.claim.ClaimReversalIntake;
import io.pers.crypto.Secrets;
import io.pers.ingest.IngestOutcomes.Outcome;
import io.pers.ingest.IngestOutcomes.State;
import io.pers.ingest.TriggerMappings.Action;
import io.pers.tenant.TenantContext;
import io.pers.user.Users;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * Every event's outcome is recorded ({@link IngestOutcomes}), an event that earns nothing included.
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
    private final IngestOutcomes outcomes;
    private final ObjectMapper json;

    TriggerMatcher(
            TriggerMatching matching,
            ClaimIntake intake,
            ClaimReversalIntake reversals,
            Users users,
            IngestOutcomes outcomes,
            ObjectMapper json) {
        this.outcomes = outcomes;
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

    /**
     * The same, with the event's verdicts already judged (a backfill judged them to report). The
     * event's outcome is recorded before any claim starts, so the claim names its event and a
     * rejection of it, however soon, finds the event to mark.
     */
    void apply(Map<String, Object> event, List<TriggerMatching.Verdict> verdicts) {
        String source = String.valueOf(event.get("connector"));
        String eventId = String.valueOf(event.get("id"));
        String subject = event.get("subject") instanceof String s && !s.isBlank() ? s : null;
        Instant occurredAt = TriggerMatching.eventTime(event).orElse(null);
        UUID ingestEventId = outcomes.record(source, eventId, subject, outcome(event, subject, verdicts))
                .orElse(null);
        for (TriggerMatching.Verdict verdict : verdicts) {
            if (!verdict.fires() || (verdict.action() == Action.CLAIM && subject == null)) {
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
                    claim(event, source, eventId, subject, ingestEventId, verdict);
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
                String code =
                        e instanceof PersException refused ? refused.code().name() : ErrorCode.VALIDATION_FAILED.name();
                outcomes.record(
                        source,
                        eventId,
                        subject,
                        Outcome.of(State.REJECTED, code, e.getMessage())
                                .by(verdict.mappingId(), verdict.mappingVersion()));
            }
        }
    }

    /**
     * What the verdicts make of the event: the first claim it starts (CLAIMED), else a refund's
     * reversal (REVERSED), else why it earns nothing (UNMATCHED), each with the deciding mapping.
     */
    private Outcome outcome(Map<String, Object> event, String subject, List<TriggerMatching.Verdict> verdicts) {
        Optional<TriggerMatching.Verdict> claiming = verdicts.stream()
                .filter(v -> v.fires() && v.action() == Action.CLAIM)
                .findFirst();
        Optional<TriggerMatching.Verdict> reversing = verdicts.stream()
                .filter(v -> v.fires() && v.action() == Action.REVERSE)
                .findFirst();
        Outcome outcome;
        TriggerMatching.Verdict decided;
        if (claiming.isPresent() && subject != null) {
            decided = claiming.get();
            String key = claimKey(
                    String.valueOf(event.get("connector")), String.valueOf(event.get("id")), decided.mappingId());
            outcome = new Outcome(State.CLAIMED, null, null, intake.claimId(key), null, null);
        } else if (reversing.isPresent()) {
            decided = reversing.get();
            outcome = Outcome.of(State.REVERSED, null, null);
        } else if (claiming.isPresent()) {
            decided = claiming.get();
            outcome = IngestOutcomes.NO_CUSTOMER;
        } else if (!verdicts.isEmpty()) {
            decided = verdicts.get(0);
            outcome = Outcome.of(State.UNMATCHED, IngestOutcomes.NO_MAPPING_FIRED, decided.reason());
        } else {
            return Outcome.of(
                    State.UNMATCHED,
                    IngestOutcomes.NO_ACTIVE_MAPPING,
                    "no active mapping for " + event.get("connector") + " " + event.get("type") + " events");
        }
        return outcome.by(decided.mappingId(), decided.mappingVersion());
    }

    private void claim(
            Map<String, Object> event,
            String source,
            String eventId,
            String subject,
            UUID ingestEventId,
            TriggerMatching.Verdict verdict) {
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
                        TriggerMatching.eventTime(event).orElse(null),
                        verdict.mappingId(),
                        verdict.mappingVersion(),
                        ingestEventId),
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
