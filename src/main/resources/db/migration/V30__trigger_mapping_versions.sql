-- Trigger mappings get a lifecycle: read one by one, edited, switched off and on, deleted; every
-- change is a new immutable version, and a claim records the mapping and version that decided it.
--
-- trigger_mappings stays the live head that ingest judges by (one indexed read per event, as
-- before); trigger_mapping_versions keeps every version ever live, written in the same transaction
-- as the head. A deleted mapping is archived, not removed: claims and claim reversals point at it,
-- and "which rule decided this claim" must still have an answer after the rule is gone.

alter table trigger_mappings no force row level security; -- every tenant's rows; afterMigrate forces it again

alter table trigger_mappings
  add column version    integer not null default 1 check (version > 0), -- the live version
  add column updated_at timestamptz not null default now(),             -- when the live version was made
  add column deleted_at timestamptz,                                    -- archived: never fires again
  add check (deleted_at is null or not active);
update trigger_mappings set updated_at = created_at;

create table trigger_mapping_versions (
  mapping_id  uuid not null references trigger_mappings (id),
  version     integer not null check (version > 0),
  tenant_id   uuid not null references tenants (id),
  source      text not null,
  event_type  text not null,
  action      text not null check (action in ('CLAIM', 'REVERSE')),
  condition   text,
  multiplier  text not null,
  reference   text,
  amount      text,
  campaign_id uuid not null references campaigns (id),
  active      boolean not null,
  deleted     boolean not null default false, -- the version a delete made
  created_by  text not null,                  -- the caller's key, e.g. ADMIN:<admin id>
  created_at  timestamptz not null default now(),
  primary key (mapping_id, version),
  check (action = 'CLAIM' or reference is not null)
);

-- The mappings made before versions existed: each is its version 1, by a caller not recorded.
insert into trigger_mapping_versions (mapping_id, version, tenant_id, source, event_type, action, condition,
                                      multiplier, reference, amount, campaign_id, active, created_by, created_at)
select id, 1, tenant_id, source, event_type, action, condition, multiplier, reference, amount, campaign_id,
       active, 'unknown', created_at
  from trigger_mappings;

alter table trigger_mapping_versions enable row level security;
create policy tenant_rows on trigger_mapping_versions using (tenant_id = pers_tenant());
-- Versions are immutable: the app role may add them, never change or remove one.
grant select, insert on trigger_mapping_versions to ${appRole};

-- The decision a connector's claim was made by (null for claims made through the API, and for
-- those made before this migration: which mapping made them was not recorded).
alter table claims
  add column mapping_id      uuid,
  add column mapping_version integer,
  add foreign key (mapping_id, mapping_version) references trigger_mapping_versions (mapping_id, version);

-- A refund's reversal names its REVERSE mapping already; now its version too. Until now every
-- mapping was at its version 1.
alter table claim_reversals no force row level security; -- every tenant's rows; afterMigrate forces it again
alter table claim_reversals add column mapping_version integer;
update claim_reversals set mapping_version = 1;
alter table claim_reversals
  alter column mapping_version set not null,
  add foreign key (mapping_id, mapping_version) references trigger_mapping_versions (mapping_id, version);
