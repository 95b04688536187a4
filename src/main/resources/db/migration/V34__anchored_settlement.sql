-- Anchored settlement (chain.AnchorWindows): a contract in ANCHORED mode receives one Merkle root per
-- settlement window instead of a mint per claim. The mode is chosen when the token is bound, which
-- is refused once the token is issued: a token never changes mode with supply outstanding.
alter table chain_contracts add column mode text not null default 'MINTED'
  check (mode in ('MINTED', 'ANCHORED'));

-- One row per window, written with the root in the transaction that takes the window's items, before
-- anything is signed: a crash between computing and anchoring finds the same root again, and the
-- contract takes window n only after n - 1, so no window ever has two roots.
create table anchor_windows (
  contract_id  uuid not null references chain_contracts (id),
  window_no    bigint not null check (window_no > 0),
  tenant_id    uuid not null references tenants (id),
  batch_id     uuid not null references settlement_batches (id), -- moves with an adopted batch
  root         bytea not null,
  ledger_seq   bigint not null,  -- the tenant's seal chain head anchored with the root
  ledger_head  bytea not null,
  holders      integer not null,
  entries      integer not null,
  tx_hash      text,
  anchored_at  timestamptz,
  created_at   timestamptz not null default now(),
  primary key (contract_id, window_no)
);
create unique index anchor_windows_batch on anchor_windows (batch_id);

-- A holder's cumulative entitlement as of the window it last changed in: the leaves of window w are,
-- per address, the row with the greatest window_no <= w. Credits add, debits subtract; withdrawals
-- (booked by the follower from the chain) change nothing here, so cumulative = balance + withdrawn.
create table anchor_entitlements (
  contract_id  uuid not null references chain_contracts (id),
  address      text not null,
  window_no    bigint not null,
  tenant_id    uuid not null references tenants (id),
  cumulative   numeric(79, 0) not null check (cumulative >= 0),
  primary key (contract_id, address, window_no)
);

alter table anchor_windows enable row level security;
create policy tenant_rows on anchor_windows using (tenant_id = pers_tenant());
grant select, insert, update on anchor_windows to ${appRole};
alter table anchor_entitlements enable row level security;
create policy tenant_rows on anchor_entitlements using (tenant_id = pers_tenant());
grant select, insert on anchor_entitlements to ${appRole};
