-- The head of each tenant's seal chain, signed outside the tables it protects (ledger.LedgerSealer).
-- The chain alone cannot show its own tail cut off: delete the last entries together with their
-- seals and what is left still chains. The sealer writes the head it just sealed here, with an
-- HMAC-SHA256 under a key derived from the master key, which the database never holds; the
-- verification then finds a chain that ends before its signed head, and a forged head fails the MAC.
create table ledger_checkpoints (
  tenant_id  uuid primary key references tenants (id),
  seq        bigint not null,
  hash       bytea not null,
  mac        bytea not null,
  signed_at  timestamptz not null default now()
);

alter table ledger_checkpoints enable row level security;
create policy tenant_rows on ledger_checkpoints using (tenant_id = pers_tenant());

grant select, insert, update on ledger_checkpoints to ${appRole};
