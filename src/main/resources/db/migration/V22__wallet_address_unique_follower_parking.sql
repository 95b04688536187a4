-- An address is one wallet's. The chain follower maps each transfer's addresses to their owners by
-- address alone, within the tenant (custodial and registered addresses alike): a second owner of
-- one address left it two answers, and it stopped for the whole contract.

-- Owners who shared an address before this migration lose it here, so the unique index below can
-- be made; each is kept in this table for an operator to settle. The address stays with the owner
-- PERS holds the key of (a custodial one), else with the one who has had it longest. Whoever loses
-- it gets a new custodial address on their next settlement; their past on-chain movements at the
-- shared address are the kept owner's in the ledger from now on, and reconciliation shows the rest.
create table wallet_addresses_released (
  tenant_id        uuid not null references tenants (id),
  owner_type       text not null,
  owner_id         uuid not null,
  address          text not null,
  hd_index         int,
  kept_owner_type  text not null,
  kept_owner_id    uuid not null,
  released_at      timestamptz not null default now()
);

alter table wallet_addresses no force row level security; -- every tenant's rows; afterMigrate forces it again
with ranked as (
  select w.*,
         first_value(owner_type) over same_address as kept_type,
         first_value(owner_id) over same_address as kept_id,
         row_number() over same_address as rank
    from wallet_addresses w
  window same_address as (partition by tenant_id, address
                          order by hd_index is null, updated_at, owner_type, owner_id)
), released as (
  delete from wallet_addresses w using ranked r
   where r.rank > 1 and w.tenant_id = r.tenant_id and w.owner_type = r.owner_type and w.owner_id = r.owner_id
  returning r.tenant_id, r.owner_type, r.owner_id, r.address, r.hd_index, r.kept_type, r.kept_id
)
insert into wallet_addresses_released (tenant_id, owner_type, owner_id, address, hd_index, kept_owner_type, kept_owner_id)
select * from released;

create unique index wallet_addresses_address on wallet_addresses (tenant_id, address);

alter table wallet_addresses_released enable row level security;
create policy tenant_rows on wallet_addresses_released using (tenant_id = pers_tenant());
grant select on wallet_addresses_released to ${appRole};

-- Follower events (one log each) that could not be applied: written in the step that read them,
-- so the position still moves and the rest of the range applies; an operator fixes the cause and
-- retries the event (resolved_at). A re-read range parks an event once.
create table chain_parked_events (
  id            uuid primary key,
  tenant_id     uuid not null references tenants (id),
  chain_id      bigint not null references chains (id),
  contract_id   uuid not null references chain_contracts (id),
  block_number  numeric(78, 0) not null,
  tx_hash       text not null,
  log_index     bigint not null,
  reason        text not null,
  parked_at     timestamptz not null default now(),
  resolved_at   timestamptz,
  unique (tenant_id, chain_id, tx_hash, log_index)
);
create index chain_parked_events_open on chain_parked_events (contract_id) where resolved_at is null;

alter table chain_parked_events enable row level security;
create policy tenant_rows on chain_parked_events using (tenant_id = pers_tenant());
grant select, insert, update on chain_parked_events to ${appRole};

-- The follower's health and metric read every tenant's open parked events (they have no tenant): counts only.
create function chain_parked_event_counts() returns table (chain_id bigint, contract_address text, parked bigint)
language sql stable security definer set search_path = public as $$
  select c.chain_id, c.address, count(*) from chain_parked_events p join chain_contracts c on c.id = p.contract_id
   where p.resolved_at is null
   group by c.chain_id, c.address
$$;
