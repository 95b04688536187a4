-- A claim's workflow records claim.completed in its last step, after the claim is COMPLETED or
-- SETTLED. A workflow lost between the two (the embedded Temporal server dies with the process)
-- left a final claim whose partners were never told, and the sweeper only looked at PENDING and
-- PENDING_SETTLEMENT claims. completed_recorded_at marks the step done; a final claim without it
-- is unfinished too, and the small partial index keeps the sweeper's look cheap.
alter table claims add column completed_recorded_at timestamptz;

alter table claims no force row level security;      -- afterMigrate forces both again
alter table domain_events no force row level security;
update claims c set completed_recorded_at = e.created_at
  from domain_events e
 where e.type = 'claim.completed' and e.subject_id = c.id;

create index claims_completion_unrecorded on claims (updated_at)
  where status in ('COMPLETED', 'SETTLED') and completed_recorded_at is null;

create or replace function unfinished_claims(p_older_than interval, p_limit int)
returns table (id uuid, tenant_id uuid, workflow_id text, campaign_id uuid)
language sql stable security definer set search_path = public as $$
  select id, tenant_id, workflow_id, campaign_id from (
    (select id, tenant_id, workflow_id, campaign_id, updated_at from claims
      where status in ('PENDING', 'PENDING_SETTLEMENT') and updated_at < now() - p_older_than
      order by updated_at limit p_limit)
    union all
    (select id, tenant_id, workflow_id, campaign_id, updated_at from claims
      where status in ('COMPLETED', 'SETTLED') and completed_recorded_at is null
        and updated_at < now() - p_older_than
      order by updated_at limit p_limit)
  ) unfinished
  order by updated_at limit p_limit
$$;
