-- Security pass (issue 17).
--
-- A tenant's opt-in to webhook, polling and JWKS targets on loopback and private networks, for
-- local development: honoured only while pers.outbound.local-targets-opt-in is on (never in
-- production), and set only through the tenant's test project key (README "Outbound requests").
alter table tenants add column local_targets boolean not null default false;

-- Failed password sign-ins, per account ("account:<tenant or platform>:<email>") and per client
-- address ("address:<ip>"), shared by every instance. After free_failures failures a key is blocked
-- for a doubling time, capped (auth.SignInThrottle); a key quiet for an hour starts over, and a
-- successful sign-in clears its account's row. "known:<account>:<ip>" rows remember where an
-- account last signed in, so a blocked account still lets its admin in from there: an attacker
-- elsewhere cannot lock the admin out. No tenant_id: sign-in happens before a tenant is entered,
-- and the keys are not tenant data.
create table sign_in_throttle (
  key           text primary key,
  failures      integer not null,
  free_failures integer not null,
  blocked_until timestamptz,
  last_at       timestamptz not null
);
grant select, insert, update, delete on sign_in_throttle to ${appRole};

-- Rate-limit token buckets shared by every instance (ratelimit.RateLimitFilter): one row per
-- API key or project key. rate_limit_take refills, takes and answers in one statement, one round
-- trip per limited request. A changed limit starts the key on a fresh, full bucket. No tenant_id:
-- read before the tenant matters, keyed by ids that name no tenant data.
create table rate_limit_buckets (
  key               text primary key,
  capacity          double precision not null,
  refill_per_second double precision not null,
  tokens            double precision not null,
  refilled_at       timestamptz not null,
  taken             boolean not null
);
grant select, insert, update on rate_limit_buckets to ${appRole};

-- The bucket's level at n_at: refilled since its last take, at most its capacity; full when the
-- limit changed.
create function rate_limit_level(capacity double precision, refill_per_second double precision,
                                 tokens double precision, refilled_at timestamptz,
                                 n_capacity double precision, n_refill_per_second double precision,
                                 n_at timestamptz) returns double precision
language sql immutable as $$
  select case when capacity = n_capacity and refill_per_second = n_refill_per_second
              then least(n_capacity, tokens + greatest(0, extract(epoch from n_at - refilled_at)::double precision)
                                              * n_refill_per_second)
              else n_capacity end
$$;

-- Takes a token from p_key's bucket. taken: whether one was there; wait_seconds: until the next
-- one, when not.
create function rate_limit_take(p_key text, p_capacity double precision, p_refill_per_second double precision,
                                out taken boolean, out wait_seconds double precision)
language sql as $$
  insert into rate_limit_buckets as b (key, capacity, refill_per_second, tokens, refilled_at, taken)
  values (p_key, p_capacity, p_refill_per_second, p_capacity - 1, clock_timestamp(), true)
  on conflict (key) do update set
    tokens = rate_limit_level(b.capacity, b.refill_per_second, b.tokens, b.refilled_at,
                              excluded.capacity, excluded.refill_per_second, excluded.refilled_at)
             - case when rate_limit_level(b.capacity, b.refill_per_second, b.tokens, b.refilled_at,
                                          excluded.capacity, excluded.refill_per_second, excluded.refilled_at) >= 1
                    then 1 else 0 end,
    taken = rate_limit_level(b.capacity, b.refill_per_second, b.tokens, b.refilled_at,
                             excluded.capacity, excluded.refill_per_second, excluded.refilled_at) >= 1,
    refilled_at = excluded.refilled_at,
    capacity = excluded.capacity,
    refill_per_second = excluded.refill_per_second
  returning b.taken, case when b.taken then 0 else (1 - b.tokens) / b.refill_per_second end
$$;
