-- Chain event monitoring: where the follower of each token contract has read to, and every
-- transfer it saw that PERS did not send itself, with what it made of it.
--
-- Tokens that leave for an address PERS does not know go to the token's EXTERNAL wallet (owner_id:
-- the token's id), so each on-chain transfer is one balanced ledger entry. The EXTERNAL wallet has
-- a balance row like a user's: it can never go negative, because addresses outside PERS can only
-- hold what left a known address (a mint outside PERS is flagged, not recorded).
alter table wallets drop constraint wallets_owner_type_check;
alter table wallets add constraint wallets_owner_type_check
  check (owner_type in ('USER', 'BUSINESS', 'TENANT', 'EXTERNAL'));

-- The next block to read, per contract (a contract lives on one chain); moved in the transaction
-- that records what was read, so a restart goes on exactly where the last commit left off.
create table chain_follower_positions (
  contract_id  uuid primary key references chain_contracts (id),
  tenant_id    uuid not null references tenants (id),
  next_block   numeric(78, 0) not null check (next_block >= 0),
  updated_at   timestamptz not null default now()
);

-- One row per transfer (one per id of a TransferBatch: part), written once: the key makes a
-- re-read range (a reset position, two instances) record nothing twice.
create table chain_transfers (
  tenant_id     uuid not null references tenants (id),
  chain_id      bigint not null references chains (id),
  tx_hash       text not null,
  log_index     bigint not null,
  part          int not null,              -- the position in a TransferBatch; 0 otherwise
  contract_id   uuid not null references chain_contracts (id),
  block_number  numeric(78, 0) not null,
  token_id      uuid references tokens (id), -- null: an ERC-1155 id no token is bound to
  onchain_id    numeric(78, 0),
  from_address  text not null,
  to_address    text not null,
  amount        numeric(78, 0) not null,
  -- RECORDED: a ledger entry (entry_id) moved it; UNCHANGED: both sides map to one wallet;
  -- FLAGGED: not recorded, the note says why (a mint or burn outside PERS, a ledger balance short)
  disposition   text not null check (disposition in ('RECORDED', 'UNCHANGED', 'FLAGGED')),
  entry_id      uuid references journal_entries (id),
  note          text,
  created_at    timestamptz not null default now(),
  primary key (tenant_id, chain_id, tx_hash, log_index, part),
  check ((disposition = 'RECORDED') = (entry_id is not null))
);
create index chain_transfers_flagged on chain_transfers (contract_id) where disposition = 'FLAGGED';

-- The follower learns which contracts to read before it knows their tenants.
create function followed_contracts() returns table (tenant_id uuid, contract_id uuid)
language sql stable security definer set search_path = public as $$
  select c.tenant_id, c.id from chain_contracts c
   where exists (select 1 from token_bindings b where b.contract_id = c.id)
   order by c.created_at, c.id
$$;

alter table chain_follower_positions enable row level security;
create policy tenant_rows on chain_follower_positions using (tenant_id = pers_tenant());
grant select, insert, update on chain_follower_positions to ${appRole};

alter table chain_transfers enable row level security;
create policy tenant_rows on chain_transfers using (tenant_id = pers_tenant());
grant select, insert on chain_transfers to ${appRole};
