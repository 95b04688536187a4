-- A claim's settle step no longer holds a worker slot polling its items: it leaves its activity's
-- task token here and returns without completing; the settler that decides the claim's items
-- (all SETTLED, or one FAILED) takes the row and completes the step (asynchronous completion).
-- A later attempt of the step replaces the token of an earlier one.
create table settlement_waiters (
  claim_id    uuid primary key,
  tenant_id   uuid not null references tenants (id),
  task_token  bytea not null,
  created_at  timestamptz not null default now()
);

alter table settlement_waiters enable row level security;
create policy tenant_rows on settlement_waiters using (tenant_id = pers_tenant());
grant select, insert, update, delete on settlement_waiters to ${appRole};

-- Every batch outcome (settled, failed, split, its items read back) finds its items by batch: without
-- this index each was a scan of every item ever queued, a cost growing with the ledger's age.
create index settlement_items_batch on settlement_items (batch_id) where batch_id is not null;
