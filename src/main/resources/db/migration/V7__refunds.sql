-- Refunds and returns, and event-time date windows (issue 4).
--
-- A trigger mapping either CLAIMs (an order paid earns points) or REVERSEs (a refund takes back
-- what the order earned). Both name the order through a CEL `reference`; a CLAIM mapping's
-- `amount` is the order's total (the basis of a proportional reversal), a REVERSE mapping's the
-- refunded sum (null: the whole order).

alter table trigger_mappings
  add column action    text not null default 'CLAIM' check (action in ('CLAIM', 'REVERSE')),
  add column reference text,                    -- CEL over event: the order, e.g. string(event.data.order_id)
  add column amount    text,                    -- CEL over event: CLAIM the order total, REVERSE the refunded sum
  add check (action = 'CLAIM' or reference is not null);

-- occurred_at is the instant a claim is judged at: the triggering event's time for a connector's
-- claim, the decision time otherwise. Date windows and per-period caps count by it.
alter table claims
  add column external_ref text,                 -- the source system's order the claim was earned on
  add column basis        numeric check (basis > 0), -- that order's total
  add column occurred_at  timestamptz;

alter table claims no force row level security;
update claims set occurred_at = decided_at where decided_at is not null;

drop index claims_user_campaign;
drop index claims_business_campaign;
create index claims_user_campaign on claims (campaign_id, user_id, occurred_at) where status in ('PENDING_SETTLEMENT', 'COMPLETED', 'SETTLED');
create index claims_business_campaign on claims (campaign_id, business_id, occurred_at) where status in ('PENDING_SETTLEMENT', 'COMPLETED', 'SETTLED');
-- A refund finds the claims its order earned.
create index claims_external_ref on claims (tenant_id, caller_id, external_ref) where external_ref is not null;

-- One reversal per (refund event, REVERSE mapping): the refund's idempotency key. Written before
-- its workflow starts; the workflow fills in its lines and its outcome.
create table claim_reversals (
  id           uuid primary key,
  tenant_id    uuid not null references tenants (id),
  workflow_id  text not null unique,
  mapping_id   uuid not null references trigger_mappings (id),
  source       text not null,                   -- who made the order's claims, e.g. connector:shopify
  event_id     text not null,                   -- the refund event's id
  external_ref text not null,                   -- the order refunded
  campaign_id  uuid not null references campaigns (id),
  refunded     numeric check (refunded > 0),    -- this refund's sum; null: the whole order
  status       text not null check (status in ('PENDING', 'REVERSED', 'PARTIALLY_REVERSED', 'NOTHING_TO_REVERSE')),
  occurred_at  timestamptz,                     -- the refund event's time
  decided_at   timestamptz,
  created_at   timestamptz not null default now(),
  updated_at   timestamptz not null default now(),
  unique (tenant_id, source, event_id, mapping_id)
);
create index claim_reversals_tenant_created on claim_reversals (tenant_id, created_at desc, id);
create index claim_reversals_unfinished on claim_reversals (updated_at) where status = 'PENDING';

-- What a reversal took back of one claim's minted token unit. due: what the refund calls for;
-- reversed: what the user's balance allowed (policy "floor": balances never go negative, the
-- shortfall due - reversed is recorded, not collected).
create table claim_reversal_lines (
  reversal_id   uuid not null references claim_reversals (id),
  claim_id      uuid not null references claims (id),
  token_unit_id uuid not null references campaign_token_units (id),
  tenant_id     uuid not null references tenants (id),
  refunded      numeric,                        -- the refund's share of the claim's basis; null: all
  due           uint256 not null,
  reversed      uint256 not null check (reversed <= due),
  entry_id      uuid references journal_entries (id), -- null when nothing could be reversed
  primary key (reversal_id, claim_id, token_unit_id)
);
create index claim_reversal_lines_claim on claim_reversal_lines (claim_id, token_unit_id);

-- The sweeper re-drives reversals of every tenant left PENDING (their workflow was lost).
create function unfinished_claim_reversals(p_older_than interval, p_limit int)
returns table (id uuid, tenant_id uuid, workflow_id text)
language sql stable security definer set search_path = public as $$
  select id, tenant_id, workflow_id from claim_reversals
   where status = 'PENDING' and updated_at < now() - p_older_than
   order by updated_at limit p_limit
$$;

do $$
declare t text;
begin
  foreach t in array array['claim_reversals', 'claim_reversal_lines'] loop
    execute format('alter table %I enable row level security', t);
    execute format('create policy tenant_rows on %I using (tenant_id = pers_tenant())', t);
    execute format('grant select, insert, update on %I to ${appRole}', t);
  end loop;
end $$;
