-- Polled connectors (connectors/<name>/connector.yaml with a polling block, e.g. cloudbeds): per
-- connection, where PERS reads the source system's API, with which credential, and how far it
-- has read. A polled connection has no signing secret: nothing is delivered to PERS.

alter table connector_connections alter column secret_enc drop not null;

create table ingest_polling (
  connection_id  uuid primary key references connector_connections (id),
  tenant_id      uuid not null references tenants (id),
  base_url       text not null,                 -- the API's base URL, e.g. https://api.cloudbeds.com/api/v1.2
  account_id     text,                          -- the account within it (Cloudbeds: propertyID)
  credential_enc bytea not null,                -- crypto.SecretBox-sealed API key; never returned
  -- The cursor. Everything modified before watermark has been read (the next window starts at
  -- watermark minus the connector's overlap, so a change exactly at the boundary is read twice
  -- and deduplicated, never skipped). A window being paged keeps its bounds and next page here,
  -- so a restart resumes it with the same filter; both are written only after the page's events
  -- are stored and published.
  watermark      timestamptz not null,
  window_from    timestamptz,
  window_to      timestamptz,
  next_page      int check (next_page >= 1),
  status         text not null default 'OK' check (status in ('OK', 'FAILING')),  -- FAILING: the API refused the credential
  last_polled_at timestamptz,
  last_success_at timestamptz,
  last_error     text,
  last_error_at  timestamptz,
  check ((window_from is null) = (window_to is null) and (window_to is null) = (next_page is null))
);

-- The poller learns which connections are due before it knows their tenants. A FAILING one is
-- tried at its slower interval, so it recovers by itself once the credential works again.
create function due_polling_connections(p_connector text, p_interval interval, p_failing_interval interval)
returns table (connection_id uuid, tenant_id uuid)
language sql stable security definer set search_path = public as $$
  select p.connection_id, p.tenant_id from ingest_polling p
    join connector_connections c on c.id = p.connection_id
   where c.connector = p_connector and c.active
     and (p.last_polled_at is null
          or p.last_polled_at <= now() - case p.status when 'FAILING' then p_failing_interval else p_interval end)
   order by p.last_polled_at nulls first
$$;

alter table ingest_polling enable row level security;
create policy tenant_rows on ingest_polling using (tenant_id = pers_tenant());
grant select, insert, update on ingest_polling to ${appRole};
