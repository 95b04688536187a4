-- Master key rotation (crypto.SecretBox): every sealed value now names the key it was sealed under,
-- in its own bytes: 0x01, the key id's length, the key id (ASCII), then the nonce and ciphertext as
-- before. Everything sealed until now was sealed under the one master key there was, which keeps
-- the id 'default' (pers.secrets.master-key, or .pers/master.key on a local run). A column per
-- table would say the same, but the envelope travels with the value wherever it is copied (a
-- webhook secret moved to previous_secret_enc on rotation) and cannot drift from it.
--
-- The tables are under forced row-level security, which would hide every row from this update;
-- afterMigrate.sql forces it again.
do $$
declare
  c record;
begin
  for c in select * from (values
      ('signing_keys', 'private_key_enc'),
      ('idempotency_keys', 'response_body_enc'),
      ('webhook_subscriptions', 'secret_enc'),
      ('webhook_subscriptions', 'previous_secret_enc'),
      ('connector_connections', 'secret_enc'),
      ('ingest_polling', 'credential_enc'),
      ('chain_keys', 'seed_enc')) as t (tbl, col)
  loop
    execute format('alter table %I no force row level security', c.tbl);
    execute format('update %I set %I = ''\x0107''::bytea || convert_to(''default'', ''UTF8'') || %I where %I is not null',
                   c.tbl, c.col, c.col, c.col);
  end loop;
end $$;
