-- Data that stays bounded (retention.Retention) and the ingest relay (ingest.IngestRelay).
--
-- Retention deletes, across tenants, rows older than their table's retention, in small batches:
-- one call of retention_purge deletes at most p_limit rows of one table in its own transaction.
-- Instances running it at once never wait on each other: a call that does not get the table's
-- advisory lock returns 0 at once (another instance is purging that table), and a row can be
-- deleted only once anyway. What is still needed is never deleted: an ingest event not yet on the
-- trigger topic, a webhook message still PENDING delivery. Ledger, claims and everything they
-- reference are not subject to retention. Nothing references these tables but webhook_attempts
-- (-> webhook_messages), deleted with its message.
--
-- The function runs as the owner (SECURITY DEFINER); the owner deletes only through policy
-- retention_purge, which holds only inside such a function (current_user <> session_user), as
-- cross_tenant_lookup does for reads (afterMigrate.sql). The app role gets no delete grant.

do $$
declare t text;
begin
  foreach t in array array['idempotency_keys', 'ingest_events', 'webhook_messages', 'webhook_attempts',
                           'audit_log'] loop
    execute format('create policy retention_purge on %I for delete to %I using (current_user <> session_user)',
                   t, current_user);
  end loop;
end $$;

-- The audit log stays append-only for everyone (app and owner alike), except retention's delete
-- of entries past their retention, inside retention_purge.
create or replace function audit_log_append_only() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' and current_user <> session_user
     and coalesce(current_setting('pers.retention_purge', true), '') = 'on' then
    return null;
  end if;
  raise exception 'audit_log is append-only';
end $$;

create index idempotency_keys_created on idempotency_keys (created_at);
create index ingest_events_published on ingest_events (received_at) where published_at is not null;
create index ingest_events_unpublished on ingest_events (received_at) where published_at is null;
create index webhook_messages_finished on webhook_messages (updated_at) where status <> 'PENDING';
create index audit_log_created on audit_log (created_at);

create function retention_purge(p_table text, p_keep interval, p_limit int) returns int
language plpgsql volatile security definer set search_path = public as $$
declare
  deleted int := 0;
begin
  if p_keep is null or p_keep <= interval '0' or p_limit is null or p_limit < 1 or p_limit > 10000 then
    raise exception 'retention_purge: keep must be positive and limit 1..10000';
  end if;
  if not pg_try_advisory_xact_lock(hashtext('pers.retention'), hashtext(p_table)) then
    return 0;
  end if;
  case p_table
  when 'idempotency_keys' then
    delete from idempotency_keys where ctid = any(array(
      select ctid from idempotency_keys where created_at < now() - p_keep limit p_limit));
    get diagnostics deleted = row_count;
  when 'ingest_events' then
    -- published_at null: not on the trigger topic yet; the relay still needs it.
    delete from ingest_events where ctid = any(array(
      select ctid from ingest_events
       where received_at < now() - p_keep and published_at is not null limit p_limit));
    get diagnostics deleted = row_count;
  when 'webhook_messages' then
    -- A finished message (DELIVERED or FAILED) with its attempts, in one statement, so the foreign
    -- key holds at its end; one replayed meanwhile is PENDING again and stays.
    with doomed as (
           select id from webhook_messages
            where status <> 'PENDING' and updated_at < now() - p_keep limit p_limit),
         messages as (
           delete from webhook_messages m using doomed d
            where m.id = d.id and m.status <> 'PENDING' returning m.id),
         attempts as (
           delete from webhook_attempts a using messages m where a.message_id = m.id)
    select count(*) into deleted from messages;
  when 'audit_log' then
    if p_keep < interval '90 days' then
      raise exception 'retention_purge: audit_log is kept at least 90 days';
    end if;
    perform set_config('pers.retention_purge', 'on', true);
    delete from audit_log where id = any(array(
      select id from audit_log where created_at < now() - p_keep limit p_limit));
    get diagnostics deleted = row_count;
    perform set_config('pers.retention_purge', '', true);
  else
    raise exception 'retention_purge: % is not subject to retention', p_table;
  end case;
  return deleted;
end $$;

-- The relay visits the tenants that have an event stored but not on the trigger topic for longer
-- than p_age (its process died between the two), before any tenant is known.
create function ingest_unpublished_tenants(p_age interval) returns setof uuid
language sql stable security definer set search_path = public as $$
  select distinct tenant_id from ingest_events where published_at is null and received_at < now() - p_age
$$;
