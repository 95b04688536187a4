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
