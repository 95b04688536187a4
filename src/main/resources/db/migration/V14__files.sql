-- Images of tokens, campaigns, redemptions, businesses, tenants and users, behind signed URLs
-- (file.Files). A row is made when an upload URL is signed and marked stored once the bytes have
-- arrived and checked out; the bytes live in the configured store under tenant/id.

create table files (
  id             uuid primary key,
  tenant_id      uuid not null references tenants (id),
  owner_type     text not null check (owner_type in ('TOKEN', 'CAMPAIGN', 'REDEMPTION', 'BUSINESS', 'TENANT', 'USER')),
  owner_id       uuid not null,
  content_type   text not null,
  declared_size  bigint not null check (declared_size > 0),
  size           bigint check (size > 0),
  status         text not null check (status in ('PENDING', 'STORED')),
  created_by     text not null,
  created_at     timestamptz not null default now(),
  stored_at      timestamptz
);
create index files_owner on files (tenant_id, owner_type, owner_id, created_at desc);

alter table files enable row level security;
create policy tenant_rows on files using (tenant_id = pers_tenant());
grant select, insert, update on files to ${appRole};
