-- PERS foundation: tenants, people, auth, idempotency and the token ledger.
--
-- Isolation: every table holding a tenant's rows has row-level security keyed on the
-- session setting pers.tenant_id, which the app sets on every connection it hands out.
-- The app connects as ${appRole}: not a superuser, not the owner, so the policies bind it.
-- The few look-ups that must cross tenants before the tenant is known (a project key, an
-- API key, a refresh token) are SECURITY DEFINER functions that return one row by a secret.

create function pers_tenant() returns uuid language sql stable as
$$ select nullif(current_setting('pers.tenant_id', true), '')::uuid $$;

-- A platform admin's request (tenant management) runs without a tenant but with this flag.
create function pers_platform() returns boolean language sql stable as
$$ select coalesce(current_setting('pers.platform', true), '') = 'on' $$;

create table tenants (
  id               uuid primary key,
  name             text not null,
  project_key_test text not null unique,
  project_key_live text not null unique,
  idp_jwks_url     text,
  idp_issuer       text,
  idp_audience     text,
  created_at       timestamptz not null default now()
);

create table admins (
  id            uuid primary key,
  tenant_id     uuid references tenants (id), -- null: a platform admin
  email         text not null,
  password_hash text not null,
  created_at    timestamptz not null default now(),
  unique nulls not distinct (tenant_id, email)
);

create table api_keys (
  id           uuid primary key,
  tenant_id    uuid not null references tenants (id),
  name         text not null,
  key_hash     bytea not null unique,
  key_preview  text not null,
  created_at   timestamptz not null default now(),
  expires_at   timestamptz,
  last_used_at timestamptz,
  revoked_at   timestamptz
);

-- Platform-wide signing keys for access tokens; the private half is encrypted (crypto.SecretBox).
create table signing_keys (
  kid             text primary key,
  algorithm       text not null,
  public_jwk      text not null,
  private_key_enc bytea not null,
  created_at      timestamptz not null default now(),
  retired_at      timestamptz
);

create table refresh_tokens (
  id         uuid primary key,
  tenant_id  uuid references tenants (id),
  token_hash bytea not null unique,
  family_id  uuid not null,
  claims     jsonb not null,
  expires_at timestamptz not null,
  used_at    timestamptz,
  revoked_at timestamptz
);
create index refresh_tokens_family on refresh_tokens (family_id);

create table users (
  id          uuid primary key,
  tenant_id   uuid not null references tenants (id),
  email       text,
  external_id text,
  first_name  text,
  last_name   text,
  custom_data jsonb not null default '{}',
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now(),
  unique (tenant_id, email),
  unique (tenant_id, external_id)
);

create table business_types (
  id        uuid primary key,
  tenant_id uuid not null references tenants (id),
  name      text not null,
  unique (tenant_id, name)
);

create table businesses (
  id               uuid primary key,
  tenant_id        uuid not null references tenants (id),
  name             text not null,
  business_type_id uuid references business_types (id),
  email            text,
  description      text,
  active           boolean not null default true,
  created_at       timestamptz not null default now()
);

create table business_members (
  tenant_id   uuid not null references tenants (id),
  business_id uuid not null references businesses (id),
  user_id     uuid not null references users (id),
  primary key (business_id, user_id)
);
create index business_members_user on business_members (user_id);

create table idempotency_keys (
  tenant_id             uuid references tenants (id),
  caller                text not null,
  key                   text not null,
  request_hash          bytea not null,
  response_status       int,
  response_content_type text,
  response_body_enc     bytea, -- crypto.SecretBox: a response may carry a secret shown once
  created_at            timestamptz not null default now(),
  unique nulls not distinct (tenant_id, caller, key)
);

-- Ledger ------------------------------------------------------------------------------

create domain uint256 as numeric(78, 0)
  check (value >= 0 and value <= 115792089237316195423570985008687907853269984665640564039457584007913129639935);

create table tokens (
  id         uuid primary key,
  tenant_id  uuid not null references tenants (id),
  type       text not null check (type in ('CREDIT', 'REWARD', 'STATUS')),
  name       text not null,
  symbol     text not null,
  decimals   int not null check (decimals between 0 and 36),
  active     boolean not null default true,
  created_at timestamptz not null default now(),
  unique (tenant_id, symbol)
);

-- One wallet per owner. The TENANT wallet is the issuance account: mints draw on it and burns
-- return to it, so its balance is minus the outstanding supply. It keeps no balance row (it
-- would be a hot row every mint updates); its balance is derived from its postings.
create table wallets (
  id         uuid primary key,
  tenant_id  uuid not null references tenants (id),
  owner_type text not null check (owner_type in ('USER', 'BUSINESS', 'TENANT')),
  owner_id   uuid not null,
  created_at timestamptz not null default now(),
  unique (tenant_id, owner_type, owner_id)
);

-- Balances of USER and BUSINESS wallets: never negative, never above uint256 (the domain).
create table balances (
  tenant_id  uuid not null references tenants (id),
  wallet_id  uuid not null references wallets (id),
  token_id   uuid not null references tokens (id),
  amount     uint256 not null,
  updated_at timestamptz not null,
  primary key (wallet_id, token_id)
);

create table journal_entries (
  id                uuid primary key,
  tenant_id         uuid not null references tenants (id),
  kind              text not null check (kind in ('MINT', 'TRANSFER', 'BURN', 'REVERSAL')),
  token_id          uuid not null references tokens (id),
  reason_type       text not null,
  reason_ref        text,
  actor_type        text not null,
  actor_id          text not null,
  reverses_entry_id uuid unique references journal_entries (id),
  memo              text,
  created_at        timestamptz not null
);
create index journal_entries_tenant_created on journal_entries (tenant_id, created_at desc, id);
create index journal_entries_reason on journal_entries (tenant_id, reason_type, reason_ref);

create table postings (
  entry_id  uuid not null references journal_entries (id),
  tenant_id uuid not null references tenants (id),
  wallet_id uuid not null references wallets (id),
  amount    numeric(79, 0) not null check (amount <> 0),
  primary key (entry_id, wallet_id)
);
create index postings_wallet on postings (wallet_id, entry_id);

-- Entries waiting for the sealer, which chains them per tenant (ledger.LedgerSealer).
-- Chaining at write time would serialise every ledger write of a tenant on one row.
create table ledger_unsealed (
  entry_id  uuid primary key references journal_entries (id),
  tenant_id uuid not null references tenants (id)
);

create table ledger_seals (
  entry_id  uuid primary key references journal_entries (id),
  tenant_id uuid not null references tenants (id),
  seq       bigint not null,
  prev_hash bytea not null,
  hash      bytea not null,
  sealed_at timestamptz not null default now(),
  unique (tenant_id, seq)
);

-- Invariant 2: every entry's postings sum to zero, checked at commit.
create function check_entry_balanced() returns trigger language plpgsql as $$
begin
  if (select coalesce(sum(amount), 0) from postings where entry_id = new.entry_id) <> 0 then
    raise exception 'journal entry % does not balance', new.entry_id using errcode = 'PE100';
  end if;
  return null;
end $$;
create constraint trigger postings_balanced after insert on postings
  deferrable initially deferred for each row execute function check_entry_balanced();

-- Invariant 2: the journal is append-only; corrections are REVERSAL entries.
create function reject_change() returns trigger language plpgsql as $$
begin
  raise exception '% is append-only', tg_table_name using errcode = 'PE101';
end $$;
create trigger journal_entries_append_only before update or delete on journal_entries
  for each row execute function reject_change();
create trigger postings_append_only before update or delete on postings
  for each row execute function reject_change();
create trigger ledger_seals_append_only before update or delete on ledger_seals
  for each row execute function reject_change();

-- Posts one entry moving p_amount of p_token from p_from to p_to. Balance rows are touched in
-- wallet-id order so that opposite transfers cannot deadlock. Runs as the caller, under RLS.
-- Returns null, changing nothing, when an entry with this id exists: callers that derive the id
-- from a business key retry safely. Errors: PE001 insufficient balance, PE002 token unknown or inactive, PE003 wallet unknown,
-- 23514 (check violation) a balance over uint256, 23505 on reverses_entry_id: already reversed.
create function ledger_post(p_entry uuid, p_kind text, p_token uuid, p_from uuid, p_to uuid,
                            p_amount numeric, p_reason_type text, p_reason_ref text,
                            p_actor_type text, p_actor_id text, p_reverses uuid, p_memo text)
returns timestamptz language plpgsql as $$
declare
  v_tenant uuid := pers_tenant();
  v_now timestamptz := clock_timestamp();
  v_wallet uuid;
  v_owner text;
begin
  if v_tenant is null then
    raise exception 'no tenant context' using errcode = 'PE000';
  end if;
  perform 1 from journal_entries where id = p_entry;
  if found then
    return null;
  end if;
  if p_amount <= 0 then
    raise exception 'amount must be positive' using errcode = 'PE004';
  end if;
  perform 1 from tokens where id = p_token and active;
  if not found then
    raise exception 'token % is unknown or inactive', p_token using errcode = 'PE002';
  end if;
  for v_wallet in select unnest(array[p_from, p_to]) order by 1 loop
    select owner_type into v_owner from wallets where id = v_wallet;
    if not found then
      raise exception 'wallet % is unknown', v_wallet using errcode = 'PE003';
    end if;
    continue when v_owner = 'TENANT';
    if v_wallet = p_from then
      update balances set amount = amount - p_amount, updated_at = v_now
       where wallet_id = v_wallet and token_id = p_token and amount >= p_amount;
      if not found then
        raise exception 'insufficient balance' using errcode = 'PE001';
      end if;
    else
      insert into balances (tenant_id, wallet_id, token_id, amount, updated_at)
      values (v_tenant, v_wallet, p_token, p_amount, v_now)
      on conflict (wallet_id, token_id)
      do update set amount = balances.amount + excluded.amount, updated_at = v_now;
    end if;
  end loop;
  insert into journal_entries (id, tenant_id, kind, token_id, reason_type, reason_ref,
                               actor_type, actor_id, reverses_entry_id, memo, created_at)
  values (p_entry, v_tenant, p_kind, p_token, p_reason_type, p_reason_ref,
          p_actor_type, p_actor_id, p_reverses, p_memo, v_now);
  insert into postings (entry_id, tenant_id, wallet_id, amount)
  values (p_entry, v_tenant, p_from, -p_amount), (p_entry, v_tenant, p_to, p_amount);
  insert into ledger_unsealed (entry_id, tenant_id) values (p_entry, v_tenant);
  return v_now;
end $$;

-- Cross-tenant look-ups by secret, before the tenant is known. -------------------------

create function resolve_project_key(p_key text) returns table (tenant_id uuid, live boolean)
language sql stable security definer set search_path = public as $$
  select id, project_key_live = p_key from tenants
   where project_key_test = p_key or project_key_live = p_key
$$;

create function resolve_api_key(p_hash bytea)
returns table (id uuid, tenant_id uuid, expires_at timestamptz, revoked_at timestamptz)
language sql stable security definer set search_path = public as $$
  select id, tenant_id, expires_at, revoked_at from api_keys where key_hash = p_hash
$$;

create function resolve_refresh_token(p_hash bytea) returns uuid
language sql stable security definer set search_path = public as $$
  select tenant_id from refresh_tokens where token_hash = p_hash
$$;

create function unsealed_tenants() returns setof uuid
language sql stable security definer set search_path = public as $$
  select distinct tenant_id from ledger_unsealed
$$;

-- Row-level security ----------------------------------------------------------------------

alter table tenants enable row level security;
create policy tenant_rows on tenants using (id = pers_tenant() or pers_platform());

alter table admins enable row level security;
create policy tenant_rows on admins
  using (tenant_id = pers_tenant() or pers_platform());

alter table refresh_tokens enable row level security;
create policy tenant_rows on refresh_tokens
  using (tenant_id is not distinct from pers_tenant() or (tenant_id is null and pers_platform()));

alter table idempotency_keys enable row level security;
create policy tenant_rows on idempotency_keys
  using (tenant_id is not distinct from pers_tenant());

do $$
declare t text;
begin
  foreach t in array array['api_keys', 'users', 'business_types', 'businesses', 'business_members',
                           'tokens', 'wallets', 'balances', 'journal_entries', 'postings',
                           'ledger_unsealed', 'ledger_seals'] loop
    execute format('alter table %I enable row level security', t);
    execute format('create policy tenant_rows on %I using (tenant_id = pers_tenant())', t);
  end loop;
end $$;

-- Grants: the app may read and append; only what must change may be updated or deleted. ----

grant select, insert on tenants, admins, users, business_types, businesses, business_members,
  tokens, wallets, balances, journal_entries, postings, ledger_unsealed, ledger_seals,
  api_keys, signing_keys, refresh_tokens, idempotency_keys to ${appRole};
grant update on tenants, admins, users, business_types, businesses, tokens, balances,
  api_keys, signing_keys, refresh_tokens, idempotency_keys to ${appRole};
grant delete on business_members, ledger_unsealed, idempotency_keys to ${appRole};
