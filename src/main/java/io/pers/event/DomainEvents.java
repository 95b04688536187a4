package io.pers.event;

import io.pers.tenant.TenantContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * The outbox of what partners hear about ({@code claim.completed}, {@code transaction.created}, …):
 * written in the transaction that makes the event true, delivered by the webhook capability. One
 * event per (type, subject): recording it again, as a retried step does, changes nothing.
 */
@Component
public class DomainEvents {

    private final JdbcClient db;
    private final ObjectMapper json;
    private final List<WokenJob> readers = new CopyOnWriteArrayList<>();

    DomainEvents(JdbcClient db, ObjectMapper json) {
        this.db = db;
        this.json = json;
    }

    /** Wakes a job that reads the outbox (the webhook dispatcher) whenever a transaction records events. */
    public void wakeOnCommit(WokenJob reader) {
        readers.add(reader);
    }

    /** One event; its {@code payload} is serialised as the event's {@code data}, with the API's own JSON shapes. */
    public record Event(String type, UUID subjectId, Object payload) {}

    /** @param payload serialised as the event's {@code data}, with the API's own JSON shapes */
    public void record(String type, UUID subjectId, Object payload) {
        record(List.of(new Event(type, subjectId, payload)));
    }

    /** Several events in one statement (one round trip inside the caller's transaction). */
    public void record(List<Event> events) {
        List<Object> params = new ArrayList<>();
        UUID tenant = TenantContext.requireTenantId();
        for (Event event : events) {
            params.addAll(List.of(
                    UUID.randomUUID(),
                    tenant,
                    event.type(),
                    event.subjectId(),
                    json.writeValueAsString(event.payload())));
        }
        db.sql("insert into domain_events (id, tenant_id, type, subject_id, payload) values "
                        + String.join(", ", Collections.nCopies(events.size(), "(?, ?, ?, ?, ?::jsonb)"))
                        + " on conflict (type, subject_id) do nothing")
                .params(params)
                .update();
        readers.forEach(WokenJob::wakeAfterCommit);
    }
}
