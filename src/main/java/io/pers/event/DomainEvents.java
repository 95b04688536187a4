package io.pers.event;

import io.pers.tenant.TenantContext;
import java.util.UUID;
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

    DomainEvents(JdbcClient db, ObjectMapper json) {
        this.db = db;
        this.json = json;
    }

    /** @param payload serialised as the event's {@code data}, with the API's own JSON shapes */
    public void record(String type, UUID subjectId, Object payload) {
        db.sql("""
                        insert into domain_events (id, tenant_id, type, subject_id, payload) values (?, ?, ?, ?, ?::jsonb)
                        on conflict (type, subject_id) do nothing""")
                .params(
                        UUID.randomUUID(),
                        TenantContext.requireTenantId(),
                        type,
                        subjectId,
                        json.writeValueAsString(payload))
                .update();
    }
}
