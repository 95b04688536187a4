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
