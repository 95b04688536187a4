-- On-chain settlement: the chains PERS may settle on (platform-wide), each tenant's token
-- contracts and which ledger token each one carries, the tenant's HD seed (sealed) and the
-- addresses of its wallets, and the settlement queue: items, the batches that carry them, and
-- every signed transaction of a batch, stored before it is broadcast.

create table chains (
  id                bigint primary key,            -- the EIP-155 chain id
  name              text not null,
  rpc_url           text not null,
  confirmations     int not null check (confirmations between 1 and 1000),
  testnet           boolean not null,
  fee_bump_percent  int not null check (fee_bump_percent between 10 and 1000), -- per replacement
  max_fee_gwei      bigint check (max_fee_gwei > 0),                            -- null: no cap
  embedded          boolean not null default false, -- the anvil PERS started: settlers are funded
  created_at        timestamptz not null default now(),
  updated_at        timestamptz not null default now()
);

-- The tenant's HD seed (BIP-39 seed bytes, crypto.SecretBox-sealed): wallets at
-- m/44'/60'/0'/0/<index>, the settlement (minter) key at m/44'/60'/1'/0/0, the contracts' admin
-- key at m/44'/60'/2'/0/0. Only the addresses are kept in clear.
create table chain_keys (
  tenant_id          uuid primary key references tenants (id),
  seed_enc           bytea not null,
  settler_address    text not null,
  admin_address      text not null,
  next_wallet_index  int not null default 0,
  created_at         timestamptz not null default now()
);

create table wallet_addresses (
  tenant_id   uuid not null references tenants (id),
  owner_type  text not null check (owner_type in ('USER', 'BUSINESS')),
  owner_id    uuid not null,
  address     text not null,                 -- lower-case 0x hex
  hd_index    int,                           -- null: the owner registered an address of their own
  updated_at  timestamptz not null default now(),
  primary key (tenant_id, owner_type, owner_id),
  unique (tenant_id, hd_index)
);

create table chain_contracts (
  id          uuid primary key,
  tenant_id   uuid not null references tenants (id),
  chain_id    bigint not null references chains (id),
  address     text not null,                 -- the proxy, lower-case 0x hex
  standard    text not null check (standard in ('ERC20', 'ERC1155')),
  deployed    boolean not null,              -- false: registered, deployed elsewhere
  created_at  timestamptz not null default now(),
  unique (tenant_id, chain_id, address)
);

create table token_bindings (
  token_id     uuid primary key references tokens (id), -- a token settles on one contract
  tenant_id    uuid not null references tenants (id),
  contract_id  uuid not null references chain_contracts (id),
  onchain_id   numeric(78, 0),                          -- the ERC-1155 id; null on ERC-20
  created_at   timestamptz not null default now(),
  unique (contract_id, onchain_id)
);

-- Nonces of a settler on a chain, allocated in the transaction that stores the signed batch.
create table settler_nonces (
  tenant_id   uuid not null references tenants (id),
  chain_id    bigint not null references chains (id),
  next_nonce  numeric(78, 0) not null,
  primary key (tenant_id, chain_id)
);

create table settlement_batches (
  id           uuid primary key,
  tenant_id    uuid not null references tenants (id),
  contract_id  uuid not null references chain_contracts (id),
  status       text not null check (status in ('OPEN', 'SETTLED', 'REVERTED', 'SPLIT')),
  nonce        numeric(78, 0),
  tx_hash      text,                     -- the mined transaction, once one is
  failure      text,
  created_at   timestamptz not null default now(),
  updated_at   timestamptz not null default now()
);

-- Every signed transaction of a batch (a fee bump or a resynced nonce signs another), written
-- before its broadcast: after a crash the same bytes are looked up and sent again, never re-signed.
create table settlement_transactions (
  hash        text primary key,
  tenant_id   uuid not null references tenants (id),
  batch_id    uuid not null references settlement_batches (id),
  nonce       numeric(78, 0) not null,
  max_fee     numeric(78, 0) not null,
  tip         numeric(78, 0) not null,
  raw         text not null,             -- signed bytes: public once broadcast, no secret
  created_at  timestamptz not null default now()
);
create index settlement_transactions_batch on settlement_transactions (batch_id, created_at);

create table settlement_items (
  entry_id     uuid primary key,          -- the ledger entry it settles: one mint, once
  tenant_id    uuid not null references tenants (id),
  claim_id     uuid not null,
  contract_id  uuid not null references chain_contracts (id),
  recipient    text not null,
  onchain_id   numeric(78, 0),
  amount       numeric(78, 0) not null check (amount > 0),
  -- CANCELLED: withdrawn before any batch took it (the claim gave up waiting and was compensated)
  status       text not null check (status in ('PENDING', 'BATCHED', 'SETTLED', 'FAILED', 'CANCELLED')),
  batch_id     uuid references settlement_batches (id),
  tx_hash      text,
  failure      text,
  created_at   timestamptz not null default now(),
  updated_at   timestamptz not null default now()
);
create index settlement_items_queue on settlement_items (contract_id, created_at) where status = 'PENDING';
create index settlement_items_claim on settlement_items (claim_id);

grant select, insert, update on chains to ${appRole};

do $$
declare t text;
begin
  foreach t in array array['chain_keys', 'wallet_addresses', 'chain_contracts', 'token_bindings',
                           'settler_nonces', 'settlement_batches', 'settlement_transactions',
                           'settlement_items'] loop
    execute format('alter table %I enable row level security', t);
    execute format('create policy tenant_rows on %I using (tenant_id = pers_tenant())', t);
    execute format('grant select, insert, update on %I to ${appRole}', t);
  end loop;
end $$;
