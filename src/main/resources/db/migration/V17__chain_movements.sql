-- Every ledger movement of a chain-bound token settles on chain, not only claim mints: burns for
-- what returns to the issuance account (redemptions, reversals, refunds), mints for what leaves it
-- (rewards, conversions, purchases), moves between holders for transfers. An item is still one
-- ledger entry (the key), now with a sender (null: a mint) and a recipient (null: a burn).
alter table settlement_items alter column claim_id drop not null;   -- null: no claim waits on it
alter table settlement_items alter column recipient drop not null;
alter table settlement_items add column sender text;
alter table settlement_items add constraint settlement_items_sides check (sender is not null or recipient is not null);
-- How a batch sends it: MINT (mintBatch), CUSTODIAL_MINT (to a key PERS derived: on ERC-1155
-- mintBatchToCustodial, without the acceptance call), MOVEMENT (settleBatch: mint, burn or move).
-- A batch carries items of one kind, in queue order.
alter table settlement_items add column kind text not null default 'MINT'
  check (kind in ('MINT', 'CUSTODIAL_MINT', 'MOVEMENT'));
alter table settlement_items alter column kind drop default;
-- Queue order: taken from a sequence at insert. A movement that spends a balance is posted after
-- the entry that credited it committed (ledger_post locks the balance), so it queues after it too.
alter table settlement_items add column seq bigserial;
grant usage on sequence settlement_items_seq_seq to ${appRole};
drop index settlement_items_queue;
create index settlement_items_queue on settlement_items (contract_id, seq) where status = 'PENDING';

-- Testnet and mainnet: a token may be bound once per kind of chain (the chain's testnet flag).
-- Claims of a campaign flagged testnet settle on the testnet binding, others on the mainnet one;
-- a token with one binding settles everything there.
alter table token_bindings add column testnet boolean;
update token_bindings b set testnet = c.testnet
  from chain_contracts k join chains c on c.id = k.chain_id where k.id = b.contract_id;
alter table token_bindings alter column testnet set not null;
alter table token_bindings drop constraint token_bindings_pkey;
alter table token_bindings add primary key (token_id, testnet);

-- Settlement metrics read the queue of every tenant (a gauge has no tenant): counts only.
create function settlement_queue_depths() returns table (chain_id bigint, depth bigint)
language sql stable security definer set search_path = public as $$
  select c.chain_id, count(i.entry_id) from chain_contracts c
    left join settlement_items i on i.contract_id = c.id and i.status in ('PENDING', 'BATCHED')
   group by c.chain_id
$$;

-- The sweeper wakes the settlers of contracts whose items have waited (a wake lost in a crash
-- between an entry's commit and its settler's signal); it learns them before their tenants.
create function settlement_waiting_contracts(p_older_than interval) returns table (tenant_id uuid, contract_id uuid)
language sql stable security definer set search_path = public as $$
  select distinct i.tenant_id, i.contract_id from settlement_items i
   where i.status = 'PENDING' and i.created_at < now() - p_older_than
$$;

-- The reconciliation command learns which contracts live on a chain before it knows their tenants.
create function chain_contracts_on(p_chain bigint) returns setof uuid
language sql stable security definer set search_path = public as $$
  select c.id from chain_contracts c where c.chain_id = p_chain
$$;
