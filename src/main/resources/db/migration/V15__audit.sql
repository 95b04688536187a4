-- Audit log of admin actions: every successful mutating request of an ADMIN or PLATFORM caller,
-- who, what, when, with its request and response bodies (secrets redacted before they get here).
-- Append-only: the app role may insert and read, never update or delete, and a trigger refuses
-- both to the owner as well.

create table audit_log (
  id             uuid primary key,
  tenant_id      uuid references tenants (id),    -- null: a platform action outside any tenant
  actor_role     text not null,                   -- ADMIN or PLATFORM
  actor_id       uuid,                            -- the admin (a platform admin acting as ADMIN too)
  method         text not null,
  path           text not null,
  status         int not null,
  request        jsonb,                           -- redacted; null when not JSON
  response       jsonb,                           -- redacted; null when not JSON
  correlation_id text,
  created_at     timestamptz not null default now()
);
create index audit_log_tenant on audit_log (tenant_id, created_at desc, id);

alter table audit_log enable row level security;
-- Tenants see their own entries; the platform sees every entry.
create policy tenant_rows on audit_log
  using (tenant_id = pers_tenant() or pers_platform());
grant select, insert on audit_log to ${appRole};

create function audit_log_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'audit_log is append-only';
end $$;
create trigger audit_log_append_only before update or delete or truncate on audit_log
  for each statement execute function audit_log_append_only();
