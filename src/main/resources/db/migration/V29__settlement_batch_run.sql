-- A settler run keeps several batches on their way at once (workflows/settlement.yaml in-flight):
-- the run that owns an OPEN batch, so another run adopts it only when its owner is gone.
alter table settlement_batches add column run_id text;
