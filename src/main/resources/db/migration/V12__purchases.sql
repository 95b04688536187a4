-- Purchases (issue 7): tokens users may buy with money through the payment provider (Stripe's
-- PaymentIntents), the top-ups, and what refunds and disputes took back of them.

-- The catalogue: one price per token. unit_price is in the currency's minor units (cents).
create table purchasable_tokens (
  id           uuid primary key,
  tenant_id    uuid not null references tenants (id),
  token_id     uuid not null references tokens (id),
  currency     text not null check (currency ~ '^[a-z]{3}$'),   -- ISO 4217, as Stripe writes it
  unit_price   bigint not null check (unit_price > 0),
  min_quantity bigint not null check (min_quantity > 0),
  max_quantity bigint not null check (max_quantity >= min_quantity),
  active       boolean not null default true,
  created_at   timestamptz not null default now(),
  unique (tenant_id, token_id)
);

-- A top-up: written with the PaymentIntent it created; minted once the provider says paid. The
-- amounts refunded and disputed are the provider's cumulative figures; reversed_due is what they
-- called for in all so far (floor(quantity x min(refunded + disputed, amount) / amount)).
create table purchases (
  id                uuid primary key,            -- derived from the caller's Idempotency-Key
  tenant_id         uuid not null references tenants (id),
  user_id           uuid not null references users (id),
  purchasable_id    uuid not null references purchasable_tokens (id),
  token_id          uuid not null references tokens (id),
  quantity          uint256 not null check (quantity > 0),
  currency          text not null,
  amount            bigint not null check (amount > 0), -- minor units charged
  payment_intent_id text not null unique,
  status            text not null check (status in ('PENDING_PAYMENT', 'COMPLETED', 'REFUNDED', 'PARTIALLY_REFUNDED')),
  mint_entry_id     uuid references journal_entries (id),
  refunded_amount   bigint not null default 0 check (refunded_amount >= 0),
  disputed_amount   bigint not null default 0 check (disputed_amount >= 0),
  reversed_due      uint256 not null default 0,
  created_at        timestamptz not null default now(),
  completed_at      timestamptz,
  updated_at        timestamptz not null default now()
);
create index purchases_user on purchases (tenant_id, user_id, created_at desc, id);

-- One line per provider event that took tokens back. due: what the event called for; reversed:
-- what the balance allowed (policy "floor", as claim reversals: the shortfall is recorded, not
-- collected).
create table purchase_reversals (
  purchase_id uuid not null references purchases (id),
  event_id    text not null,                    -- the provider's event id
  tenant_id   uuid not null references tenants (id),
  event_type  text not null,
  due         uint256 not null,
  reversed    uint256 not null check (reversed <= due),
  entry_id    uuid references journal_entries (id), -- null when nothing could be reversed
  created_at  timestamptz not null default now(),
  primary key (purchase_id, event_id)
);

-- The provider's webhook names a PaymentIntent, not a tenant: found before the tenant is known.
create function resolve_purchase_tenant(p_payment_intent text)
returns uuid
language sql stable security definer set search_path = public as $$
  select tenant_id from purchases where payment_intent_id = p_payment_intent
$$;

do $$
declare t text;
begin
  foreach t in array array['purchasable_tokens', 'purchases', 'purchase_reversals'] loop
    execute format('alter table %I enable row level security', t);
    execute format('create policy tenant_rows on %I using (tenant_id = pers_tenant())', t);
    execute format('grant select, insert, update on %I to ${appRole}', t);
  end loop;
end $$;
grant delete on purchasable_tokens to ${appRole};
