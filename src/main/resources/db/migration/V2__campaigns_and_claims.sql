-- Campaigns, their rules, and claims: every reward passes through a claim, decided by the
-- ClaimWorkflow. The claims table, not Temporal, is the record of a claim's status.

create table campaign_triggers (
  id                        uuid primary key,
  tenant_id                 uuid not null references tenants (id),
  name                      text not null,
  trigger_type              text not null check (trigger_type in ('CLAIM_BY_USER', 'CLAIM_BY_BUSINESS', 'CLAIM_BY_SYSTEM')),
  max_per_user              int check (max_per_user > 0),
  max_per_day               int check (max_per_day > 0),
  min_cooldown_seconds      int check (min_cooldown_seconds > 0),
  max_geo_distance_meters   int check (max_geo_distance_meters > 0),
  latitude                  double precision check (latitude between -90 and 90),
  longitude                 double precision check (longitude between -180 and 180),
  required_user_info        text[] not null default '{}',
  max_multiplier            int not null default 1 check (max_multiplier >= 1),
  conditions                text[] not null default '{}',
  created_at                timestamptz not null default now(),
  check (max_geo_distance_meters is null or (latitude is not null and longitude is not null))
);

create table campaigns (
  id                         uuid primary key,
  tenant_id                  uuid not null references tenants (id),
  name                       text not null,
  description                text,
  start_date                 timestamptz,
  end_date                   timestamptz,
  image_url                  text,
  external_url               text,
  is_active                  boolean not null default false,
  is_testnet                 boolean not null default false,
  country_code_restrictions  text[] not null default '{}',
  tags                       text[] not null default '{}',
  trigger_id                 uuid references campaign_triggers (id),
  created_at                 timestamptz not null default now(),
  updated_at                 timestamptz not null default now(),
  check (end_date is null or start_date is null or end_date > start_date)
);
create index campaigns_tags on campaigns using gin (tags);

-- What a claim mints: amount per claim (times the multiplier), and the budget of the campaign
-- in that token, taken in the same transaction as the mint.
create table campaign_token_units (
  id           uuid primary key,
  tenant_id    uuid not null references tenants (id),
  campaign_id  uuid not null references campaigns (id),
  token_id     uuid not null references tokens (id),
  amount       uint256 not null check (amount > 0),
  max_amount   uint256,
  used_amount  uint256 not null default 0,
  unique (campaign_id, token_id),
  check (max_amount is null or used_amount <= max_amount)
);

create table trigger_sources (
  id          uuid primary key,
  tenant_id   uuid not null references tenants (id),
  type        text not null check (type in ('QR_CODE', 'API_WEBHOOK', 'NFC', 'GEOFENCE', 'CONNECTOR')),
  name        text,
  business_id uuid references businesses (id),
  campaign_id uuid references campaigns (id),
  metadata    jsonb not null default '{}',
  active      boolean not null default true,
  created_at  timestamptz not null default now()
);

-- Which partner businesses may award a campaign, with their own caps.
create table campaign_engagements (
  id                uuid primary key,
  tenant_id         uuid not null references tenants (id),
  campaign_id       uuid not null references campaigns (id),
  business_id       uuid not null references businesses (id),
  short_description text,
  max_per_business  int check (max_per_business > 0),
  max_per_day       int check (max_per_day > 0),
  external_url      text,
  unique (campaign_id, business_id)
);

create table claims (
  id                 uuid primary key,
  tenant_id          uuid not null references tenants (id),
  workflow_id        text not null unique,
  campaign_id        uuid not null references campaigns (id),
  trigger_source_id  uuid references trigger_sources (id),
  user_id            uuid not null references users (id),
  business_id        uuid references businesses (id),
  caller_role        text not null,
  caller_id          text not null,
  multiplier         int not null default 1 check (multiplier >= 1),
  latitude           double precision,
  longitude          double precision,
  country_code       text,
  conditions_data    jsonb not null default '{}',
  request_hash       bytea not null, -- the same idempotency key with another request is refused
  status             text not null check (status in ('PENDING', 'REJECTED', 'PENDING_SETTLEMENT', 'COMPLETED', 'SETTLED', 'FAILED')),
  rejection_code     text,
  failure_reason     text,
  decided_at         timestamptz,
  created_at         timestamptz not null default now(),
  updated_at         timestamptz not null default now()
);
-- The counting rules (max per user / day, cooldown, business caps) read minted claims.
create index claims_user_campaign on claims (campaign_id, user_id, decided_at) where status in ('PENDING_SETTLEMENT', 'COMPLETED', 'SETTLED');
create index claims_business_campaign on claims (campaign_id, business_id, decided_at) where status in ('PENDING_SETTLEMENT', 'COMPLETED', 'SETTLED');
create index claims_unfinished on claims (updated_at) where status in ('PENDING', 'PENDING_SETTLEMENT');
create index claims_tenant_created on claims (tenant_id, created_at desc, id);

create table claim_status_history (
  claim_id  uuid not null references claims (id),
  tenant_id uuid not null references tenants (id),
  status    text not null,
  detail    text,
  at        timestamptz not null default clock_timestamp()
);
create index claim_status_history_claim on claim_status_history (claim_id, at);

-- Which ledger entries a claim made (the mint, and a reversal if it was compensated).
create table claim_transactions (
  claim_id  uuid not null references claims (id),
  tenant_id uuid not null references tenants (id),
  entry_id  uuid not null references journal_entries (id),
  token_unit_id uuid not null references campaign_token_units (id),
  amount    uint256 not null,
  primary key (claim_id, entry_id)
);

-- Domain events for partners (claim.completed, claim.failed, …), written in the transaction
-- that makes them true; the webhook capability delivers them.
create table domain_events (
  id         uuid primary key,
  tenant_id  uuid not null references tenants (id),
  type       text not null,
  subject_id uuid not null,
  payload    jsonb not null,
  created_at timestamptz not null default now(),
  unique (type, subject_id)
);

-- The sweeper re-drives unfinished claims of every tenant; it needs their ids before it knows
-- the tenant.
create function unfinished_claims(p_older_than interval, p_limit int)
returns table (id uuid, tenant_id uuid, workflow_id text, campaign_id uuid)
language sql stable security definer set search_path = public as $$
  select id, tenant_id, workflow_id, campaign_id from claims
   where status in ('PENDING', 'PENDING_SETTLEMENT') and updated_at < now() - p_older_than
   order by updated_at limit p_limit
$$;

do $$
declare t text;
begin
  foreach t in array array['campaign_triggers', 'campaigns', 'campaign_token_units', 'trigger_sources',
                           'campaign_engagements', 'claims', 'claim_status_history', 'claim_transactions',
                           'domain_events'] loop
    execute format('alter table %I enable row level security', t);
    execute format('create policy tenant_rows on %I using (tenant_id = pers_tenant())', t);
    execute format('grant select, insert on %I to ${appRole}', t);
  end loop;
end $$;
grant update on campaign_triggers, campaigns, campaign_token_units, trigger_sources, campaign_engagements, claims
  to ${appRole};
grant delete on campaign_token_units, campaign_engagements to ${appRole};
