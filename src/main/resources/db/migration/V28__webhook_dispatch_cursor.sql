-- The webhook dispatcher reads domain events in the order their transactions started, behind a
-- cursor, instead of re-reading a two-minute window and anti-joining a row per dispatched event.
-- An event is read only once the transaction that wrote it is older than every transaction still
-- running (pg_snapshot_xmin of the reader's snapshot): no event can later appear behind the
-- cursor, so nothing is skipped and nothing is read twice. A long-running writer delays dispatch;
-- it cannot lose an event. Events that match no subscription now cost nothing beyond their row.
alter table domain_events no force row level security;             -- every tenant's rows;
alter table webhook_dispatched_events no force row level security; -- afterMigrate forces it again

-- Events written before this migration get the lowest transaction id there is, so one written by a
-- transaction that began before the migration and commits after it still sorts after the cursor.
alter table domain_events add column txid xid8 not null default '1'::xid8;
alter table domain_events alter column txid set default pg_current_xact_id();
alter table domain_events add column seq bigint generated always as identity;

-- Those not dispatched yet are renumbered after every dispatched one; the cursor starts between.
update domain_events e set seq = default
 where not exists (select 1 from webhook_dispatched_events d where d.event_id = e.id);

create table webhook_dispatch_cursor (
  singleton boolean primary key default true check (singleton),
  txid      xid8 not null,
  seq       bigint not null
);
insert into webhook_dispatch_cursor (txid, seq)
select '1'::xid8,
       coalesce((select max(e.seq) from domain_events e
                  where exists (select 1 from webhook_dispatched_events d where d.event_id = e.id)), 0);
grant select, update on webhook_dispatch_cursor to ${appRole};

create index domain_events_dispatch_order on domain_events (txid, seq);

drop function webhook_undispatched_events(interval, int);
drop table webhook_dispatched_events;

-- The dispatcher reads the events of every tenant before it knows the tenant.
create function webhook_events_after(p_txid xid8, p_seq bigint, p_limit int)
returns table (id uuid, tenant_id uuid, type text, payload text, created_at timestamptz, txid xid8, seq bigint)
language sql stable security definer set search_path = public as $$
  select e.id, e.tenant_id, e.type, e.payload::text, e.created_at, e.txid, e.seq from domain_events e
   where (e.txid, e.seq) > (p_txid, p_seq)
     and e.txid < pg_snapshot_xmin(pg_current_snapshot())
   order by e.txid, e.seq limit p_limit
$$;
