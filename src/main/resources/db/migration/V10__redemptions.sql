-- Redemptions: a catalogue of rewards users buy with credits, and every redeem, decided by the
-- RedemptionWorkflow. The redemption_redeems table, not Temporal, is the record of a redeem.
-- Conversions: versioned exchange rates between tokens, and every conversion made at one.

create table redemption_types (
  id         uuid primary key,
  tenant_id  uuid not null references tenants (id),
  name       text not null,
  created_at timestamptz not null default now(),
  unique (tenant_id, name)
);

-- Supply is counted in redeems. reserved counts redeems holding a unit (in flight or completed);
-- a redeem takes one with a conditional update, so the check constraint is only a backstop.
create table redemptions (
  id                        uuid primary key,
  tenant_id                 uuid not null references tenants (id),
  name                      text not null,
  description               text,
  type_id                   uuid references redemption_types (id),
  cost_token_id             uuid not null references tokens (id),
  cost_amount               uint256 not null check (cost_amount > 0),
  total_supply              bigint check (total_supply > 0), -- null: unlimited
  reserved                  bigint not null default 0 check (reserved >= 0),
  max_per_user              int check (max_per_user > 0),
  min_status_token_id       uuid references tokens (id),
  min_status_amount         uint256,
  country_code_restrictions text[] not null default '{}',
  business_receives_credits boolean not null default false,
  active                    boolean not null default true,
  created_at                timestamptz not null default now(),
  updated_at                timestamptz not null default now(),
  check (total_supply is null or reserved <= total_supply),
  check ((min_status_token_id is null) = (min_status_amount is null))
);
create index redemptions_tenant_created on redemptions (tenant_id, created_at desc, id);

-- What one redeem delivers: amount units of a reward token.
create table redemption_token_units (
  id            uuid primary key,
  tenant_id     uuid not null references tenants (id),
  redemption_id uuid not null references redemptions (id) on delete cascade,
  token_id      uuid not null references tokens (id),
  amount        uint256 not null check (amount > 0),
  unique (redemption_id, token_id)
);

create table redemption_redeems (
  id              uuid primary key,
  tenant_id       uuid not null references tenants (id),
  workflow_id     text not null unique,
  redemption_id   uuid not null references redemptions (id),
  user_id         uuid not null references users (id),
  business_id     uuid references businesses (id),
  country_code    text,
  caller_role     text not null,
  caller_id       text not null,
  cost_token_id   uuid not null references tokens (id), -- the price when asked, kept for the redeem
  cost_amount     uint256 not null,
  request_hash    bytea not null, -- the same idempotency key with another request is refused
  status          text not null check (status in ('PENDING', 'COMPLETED', 'FAILED')),
  supply_reserved boolean not null default false, -- holds one unit of the redemption's supply
  failure_code    text,
  failure_reason  text,
  decided_at      timestamptz,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now()
);
create index redemption_redeems_user on redemption_redeems (redemption_id, user_id) where supply_reserved;
create index redemption_redeems_tenant_created on redemption_redeems (tenant_id, created_at desc, id);

-- The ledger entries a redeem made: its cost, its reward mints, and their reversals.
create table redemption_redeem_entries (
  redeem_id uuid not null references redemption_redeems (id),
  tenant_id uuid not null references tenants (id),
  entry_id  uuid not null references journal_entries (id),
  role      text not null check (role in ('COST', 'REWARD', 'REFUND')),
  primary key (redeem_id, entry_id)
);

-- Rates are never edited: a new version supersedes the last (append-only, enforced below).
-- amount_out = floor(amount_in * numerator / denominator).
create table conversion_rates (
  id            uuid primary key,
  tenant_id     uuid not null references tenants (id),
  from_token_id uuid not null references tokens (id),
  to_token_id   uuid not null references tokens (id),
  version       int not null check (version > 0),
  numerator     uint256 not null check (numerator > 0),
  denominator   uint256 not null check (denominator > 0),
  created_at    timestamptz not null default now(),
  unique (tenant_id, from_token_id, to_token_id, version),
  check (from_token_id <> to_token_id)
);
create trigger conversion_rates_append_only before update or delete on conversion_rates
  for each row execute function reject_change();

create table conversions (
  id             uuid primary key,
  tenant_id      uuid not null references tenants (id),
  owner_type     text not null check (owner_type in ('USER', 'BUSINESS')),
  owner_id       uuid not null,
  rate_id        uuid not null references conversion_rates (id),
  amount_in      uint256 not null check (amount_in > 0),
  amount_out     uint256 not null check (amount_out > 0),
  burn_entry_id  uuid not null references journal_entries (id),
  mint_entry_id  uuid not null references journal_entries (id),
  created_at     timestamptz not null default now()
);
create index conversions_owner on conversions (tenant_id, owner_type, owner_id, created_at desc);

do $$
declare t text;
begin
  foreach t in array array['redemption_types', 'redemptions', 'redemption_token_units', 'redemption_redeems',
                           'redemption_redeem_entries', 'conversion_rates', 'conversions'] loop
    execute format('alter table %I enable row level security', t);
    execute format('create policy tenant_rows on %I using (tenant_id = pers_tenant())', t);
    execute format('grant select, insert on %I to ${appRole}', t);
  end loop;
end $$;
grant update on redemption_types, redemptions, redemption_redeems to ${appRole};
grant delete on redemptions, redemption_token_units to ${appRole};
