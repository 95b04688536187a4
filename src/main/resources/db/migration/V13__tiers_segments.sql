-- Status tiers and segments.
--
-- Status tiers: ordered levels (rank 1 is the lowest) a user reaches by holding at least a
-- threshold of the tier's eligible tokens, summed in base units. The current balance counts, not
-- lifetime earnings, so that spending, reversals and expiry move a user down as well as up.
create table status_tiers (
  id           uuid primary key,
  tenant_id    uuid not null references tenants (id),
  name         text not null,
  rank         int not null check (rank > 0),
  threshold    uint256 not null check (threshold > 0),
  discount_bps int not null check (discount_bps between 0 and 10000),
  created_at   timestamptz not null default now(),
  updated_at   timestamptz not null default now(),
  unique (tenant_id, name),
  unique (tenant_id, rank)
);

create table status_tier_tokens (
  tenant_id uuid not null references tenants (id),
  tier_id   uuid not null references status_tiers (id) on delete cascade,
  token_id  uuid not null references tokens (id),
  primary key (tier_id, token_id)
);
create index status_tier_tokens_token on status_tier_tokens (token_id);

-- A user's tier as last computed; the row is also the lock that orders recomputations of one
-- user. No foreign key to status_tiers: a deleted tier's holders are recomputed after the delete.
create table user_statuses (
  user_id    uuid primary key references users (id),
  tenant_id  uuid not null references tenants (id),
  tier_id    uuid,
  tier_name  text,
  tier_rank  int not null default 0,            -- 0: no tier
  updated_at timestamptz not null default now()
);
create index user_statuses_tier on user_statuses (tenant_id, tier_id);

create table user_status_history (
  id             uuid primary key,              -- the subject of the status.* domain event
  tenant_id      uuid not null references tenants (id),
  user_id        uuid not null references users (id),
  direction      text not null check (direction in ('UPGRADED', 'DOWNGRADED')),
  from_tier_id   uuid,
  from_tier_name text,
  to_tier_id     uuid,
  to_tier_name   text,
  created_at     timestamptz not null default now()
);
create index user_status_history_user on user_status_history (user_id, created_at desc, id);

-- A redemption's minimum is now a tier, not an amount of a STATUS token.
alter table redemptions drop column min_status_token_id, drop column min_status_amount,
  add column min_status_tier_id uuid references status_tiers (id);

-- Segments: a CEL condition over a user (profile, tier, activity), evaluated when asked. A
-- campaign that targets segments is seen and claimed only by users in at least one of them.
create table segments (
  id          uuid primary key,
  tenant_id   uuid not null references tenants (id),
  name        text not null,
  description text,
  expression  text not null,
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now(),
  unique (tenant_id, name)
);

create table campaign_segments (
  tenant_id   uuid not null references tenants (id),
  campaign_id uuid not null references campaigns (id) on delete cascade,
  segment_id  uuid not null references segments (id),  -- a targeted segment cannot be deleted
  primary key (campaign_id, segment_id)
);
create index campaign_segments_segment on campaign_segments (segment_id);

do $$
declare t text;
begin
  foreach t in array array['status_tiers', 'status_tier_tokens', 'user_statuses', 'user_status_history',
                          'segments', 'campaign_segments'] loop
    execute format('alter table %I enable row level security', t);
    execute format('create policy tenant_rows on %I using (tenant_id = pers_tenant())', t);
    execute format('grant select, insert, update, delete on %I to ${appRole}', t);
  end loop;
end $$;
