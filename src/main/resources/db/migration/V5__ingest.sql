-- Ingest hub: per-tenant connector connections (where a source system delivers, and the secret
-- its deliveries are signed with), every canonical event taken in (the dedup record, written
-- before the connector is answered), and the trigger mappings marketing ops configure.

create table connector_connections (
  id          uuid primary key,                 -- part of the ingest URL: /v2/ingest/{connector}/{id}
  tenant_id   uuid not null references tenants (id),
  connector   text not null,                    -- a folder of connectors/, e.g. shopify
  description text,
  secret_enc  bytea not null,                   -- crypto.SecretBox-sealed signing secret
  active      boolean not null default true,
  created_at  timestamptz not null default now()
);
create index connector_connections_tenant on connector_connections (tenant_id, created_at desc, id);

create table ingest_events (
  tenant_id     uuid not null references tenants (id),
  source        text not null,                  -- the connector name
  event_id      text not null,                  -- the canonical event's id (the vendor's delivery id)
  connection_id uuid not null references connector_connections (id),
  event         jsonb not null,                 -- the canonical trigger (CloudEvents 1.0 JSON)
  received_at   timestamptz not null default now(),
  published_at  timestamptz,                    -- on the trigger topic (acks=all)
  primary key (tenant_id, source, event_id)      -- a redelivery is a no-op
);

create table trigger_mappings (
  id          uuid primary key,
  tenant_id   uuid not null references tenants (id),
  source      text not null,                    -- the connector name
  event_type  text not null,                    -- the canonical event's type
  condition   text,                             -- CEL over event; null: always
  multiplier  text not null default '1',        -- CEL int expression over event
  campaign_id uuid not null references campaigns (id),
  active      boolean not null default true,
  created_at  timestamptz not null default now()
);
create index trigger_mappings_match on trigger_mappings (tenant_id, source, event_type) where active;

-- The ingest endpoint knows only the connection id until its signature is checked.
create function resolve_connector_connection(p_id uuid)
returns table (tenant_id uuid, connector text, secret_enc bytea, active boolean)
language sql stable security definer set search_path = public as $$
  select tenant_id, connector, secret_enc, active from connector_connections where id = p_id
$$;

do $$
declare t text;
begin
  foreach t in array array['connector_connections', 'ingest_events', 'trigger_mappings'] loop
    execute format('alter table %I enable row level security', t);
    execute format('create policy tenant_rows on %I using (tenant_id = pers_tenant())', t);
    execute format('grant select, insert, update on %I to ${appRole}', t);
  end loop;
end $$;
