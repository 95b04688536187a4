-- No silent outcome: every ingest event ends in a state a person can see and filter.
--
-- outcome: RECEIVED (stored, not matched yet) -> CLAIMED (claim_id) | REVERSED (a refund's reversal
-- started) | REJECTED (code: the claim's rejection, or the campaign's refusal) | UNMATCHED (code and
-- reason: no customer identity, no active mapping, no mapping fired). The trigger matcher writes it
-- (one update per event, off the connector's ack path); a claim rejected later by its workflow
-- writes REJECTED in the rejection's own transaction, found through claims.ingest_event_id.
--
-- id: the event's handle in the API (/v2/ingest-events/{id}), in the connector's answer and on its
-- claims, and the subject of its partner events (trigger.unmatched, trigger.rejected).

alter table ingest_events no force row level security; -- every tenant's rows; afterMigrate forces it again

alter table ingest_events
  add column id              uuid not null default gen_random_uuid(),
  add column outcome         text not null default 'RECEIVED'
                             check (outcome in ('RECEIVED', 'CLAIMED', 'REVERSED', 'REJECTED', 'UNMATCHED')),
  add column code            text,           -- REJECTED, UNMATCHED: stable code (e.g. EVENT_TIME_OUT_OF_RANGE, NO_IDENTITY)
  add column reason          text,           -- the same for a person
  add column claim_id        uuid,           -- CLAIMED, or REJECTED by its claim (no foreign key: retention purges events, never claims)
  add column mapping_id      uuid,           -- the mapping that decided it, when one did
  add column mapping_version integer,
  add column decided_at      timestamptz;

-- Events taken in before outcomes were recorded: what became of them is in their claims.
update ingest_events set reason = 'taken in before outcomes were recorded' where published_at is not null;
create unique index ingest_events_id on ingest_events (id);
-- The API's list: a tenant's events, newest first.
create index ingest_events_received on ingest_events (tenant_id, received_at desc, id);

-- The event a connector's claim was made for (null for claims made through the API).
alter table claims add column ingest_event_id uuid;
