-- Partner webhooks (Standard Webhooks): subscriptions, one message per (domain event,
-- subscription), and every delivery attempt. A message's id is its webhook-id: made once, when
-- the message is recorded, and sent unchanged on every retry and replay.

create table webhook_subscriptions (
  id                          uuid primary key,
  tenant_id                   uuid not null references tenants (id),
  business_id                 uuid references businesses (id), -- null: every event of the tenant
  url                         text not null,
  description                 text,
  event_types                 text[] not null default '{}',    -- empty: every type; 'claim.*' a family
  enabled                     boolean not null default true,
  disabled_reason             text,
  secret_enc                  bytea not null,                  -- crypto.SecretBox-sealed signing key
  previous_secret_enc         bytea,                           -- still signed with until it expires
  previous_secret_expires_at  timestamptz,
  failing_since               timestamptz,                     -- first failure since the last success
  deleted_at                  timestamptz,
  created_at                  timestamptz not null default now(),
  updated_at                  timestamptz not null default now()
);
create index webhook_subscriptions_tenant on webhook_subscriptions (tenant_id, created_at desc, id) where deleted_at is null;

create table webhook_messages (
  id               uuid primary key,                 -- the webhook-id
  tenant_id        uuid not null references tenants (id),
  subscription_id  uuid not null references webhook_subscriptions (id),
  event_id         uuid references domain_events (id), -- null for a test send
  event_type       text not null,
  body             text not null,                    -- {type, timestamp, data}: the same bytes on every attempt
  status           text not null check (status in ('PENDING', 'DELIVERED', 'FAILED')),
  replays          int not null default 0,           -- each replay runs a workflow of its own id
  next_attempt_at  timestamptz,
  last_error       text,
  delivered_at     timestamptz,
  created_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now(),
  unique (event_id, subscription_id)                 -- exactly one message per event and subscription
);
create index webhook_messages_subscription on webhook_messages (subscription_id, created_at desc, id);
create index webhook_messages_pending on webhook_messages (next_attempt_at) where status = 'PENDING';

create table webhook_attempts (
  message_id        uuid not null references webhook_messages (id),
  tenant_id         uuid not null references tenants (id),
  attempt           int not null,
  status_code       int,                              -- null: no answer (refused, timeout, blocked target)
  latency_ms        int not null,
  response_excerpt  text,
  error             text,
  at                timestamptz not null default clock_timestamp(),
  primary key (message_id, attempt)
);

-- Which domain events the dispatcher has turned into messages. Its newest row is the dispatcher's
-- persisted cursor; the scan re-reads a window before it, so an event whose transaction committed
-- after a later one is not skipped, and this table makes that re-read a no-op.
create table webhook_dispatched_events (
  event_id          uuid primary key references domain_events (id),
  tenant_id         uuid not null references tenants (id),
  event_created_at  timestamptz not null,
  dispatched_at     timestamptz not null default now()
);
create index webhook_dispatched_events_created on webhook_dispatched_events (event_created_at);
create index domain_events_created on domain_events (created_at, id);

-- The dispatcher reads the events of every tenant before it knows the tenant.
create function webhook_undispatched_events(p_overlap interval, p_limit int)
returns table (id uuid, tenant_id uuid, type text, payload text, created_at timestamptz)
language sql stable security definer set search_path = public as $$
  select e.id, e.tenant_id, e.type, e.payload::text, e.created_at from domain_events e
   where e.created_at > coalesce((select max(event_created_at) from webhook_dispatched_events), '-infinity') - p_overlap
     and not exists (select 1 from webhook_dispatched_events d where d.event_id = e.id)
   order by e.created_at, e.id limit p_limit
$$;

-- The sweeper re-drives messages whose delivery workflow was lost (e.g. the embedded Temporal
-- server restarted): pending, and overdue for their next attempt.
create function webhook_overdue_messages(p_grace interval, p_limit int)
returns table (id uuid, tenant_id uuid, replays int)
language sql stable security definer set search_path = public as $$
  select id, tenant_id, replays from webhook_messages
   where status = 'PENDING' and coalesce(next_attempt_at, updated_at) < now() - p_grace
   order by coalesce(next_attempt_at, updated_at) limit p_limit
$$;

do $$
declare t text;
begin
  foreach t in array array['webhook_subscriptions', 'webhook_messages', 'webhook_attempts',
                           'webhook_dispatched_events'] loop
    execute format('alter table %I enable row level security', t);
    execute format('create policy tenant_rows on %I using (tenant_id = pers_tenant())', t);
    execute format('grant select, insert on %I to ${appRole}', t);
  end loop;
end $$;
grant update on webhook_subscriptions, webhook_messages to ${appRole};
