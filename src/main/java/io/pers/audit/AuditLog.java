package io.pers.audit;

import io.pers.api.Page;
import io.pers.api.PageQuery;
import io.pers.api.Principal;
import io.pers.tenant.TenantContext;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** The append-only audit log; row-level security scopes reads to the tenant (all of it for the platform). */
@Repository
class AuditLog {

    record Entry(
            UUID id,
            UUID tenantId,
            String actorRole,
            UUID actorId,
            String method,
            String path,
            int status,
            JsonNode request,
            JsonNode response,
            String correlationId,
            OffsetDateTime createdAt) {}

    /** List filters; each null means any. {@code path} matches as a prefix. */
    record Filter(UUID actorId, String method, String path, Instant from, Instant to) {}

    private static final String COLUMNS = "id, tenant_id, actor_role, actor_id, method, path, status,"
            + " request::text as request, response::text as response, correlation_id, created_at";

    private final JdbcClient db;
    private final ObjectMapper json;

    AuditLog(JdbcClient db, ObjectMapper json) {
        this.db = db;
        this.json = json;
    }

    /** Request and response must be redacted JSON already, or null. */
    void append(
            Principal actor,
            String method,
            String path,
            int status,
            String request,
            String response,
            String correlationId) {
        db.sql("""
                        insert into audit_log (id, tenant_id, actor_role, actor_id, method, path, status,
                                               request, response, correlation_id)
                        values (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?)""")
                .params(
                        UUID.randomUUID(),
                        TenantContext.tenantId(),
                        actor.role().name(),
                        actor.subjectId(),
                        method,
                        path,
                        status,
                        request,
                        response,
                        correlationId)
                .update();
    }

    Page<Entry> list(Filter filter, PageQuery page) {
        StringBuilder where = new StringBuilder(" where true");
        List<Object> params = new ArrayList<>();
        if (filter.actorId() != null) {
            where.append(" and actor_id = ?");
            params.add(filter.actorId());
        }
        if (filter.method() != null) {
            where.append(" and method = upper(?)");
            params.add(filter.method());
        }
        if (filter.path() != null) {
            where.append(" and starts_with(path, ?)");
            params.add(filter.path());
        }
        if (filter.from() != null) {
            where.append(" and created_at >= ?");
            params.add(OffsetDateTime.ofInstant(filter.from(), ZoneOffset.UTC));
        }
        if (filter.to() != null) {
            where.append(" and created_at < ?");
            params.add(OffsetDateTime.ofInstant(filter.to(), ZoneOffset.UTC));
        }
        long total = db.sql("select count(*) from audit_log" + where)
                .params(params)
                .query(Long.class)
                .single();
        params.add(page.size());
        params.add(page.offset());
        List<Entry> items = db.sql(
                        "select " + COLUMNS + " from audit_log" + where + page.orderBy() + " limit ? offset ?")
                .params(params)
                .query((rs, i) -> new Entry(
                        rs.getObject("id", UUID.class),
                        rs.getObject("tenant_id", UUID.class),
                        rs.getString("actor_role"),
                        rs.getObject("actor_id", UUID.class),
                        rs.getString("method"),
                        rs.getString("path"),
                        rs.getInt("status"),
                        tree(rs.getString("request")),
                        tree(rs.getString("response")),
                        rs.getString("correlation_id"),
                        rs.getObject("created_at", OffsetDateTime.class)))
                .list();
        return new Page<>(items, page.page(), page.size(), total);
    }

    private JsonNode tree(String text) {
        return text == null ? null : json.readTree(text);
    }
}
