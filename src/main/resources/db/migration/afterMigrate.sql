-- Flyway runs this callback after every migrate, so it also covers tables and functions that
-- later migrations add.
--
-- Whatever holds a tenant's rows (the tenants table, and every table with a tenant_id column)
-- gets row-level security FORCED. Without FORCE the owner role bypasses the policies, and an app
-- connected as the owner (one database user configured for both) would see every tenant.
-- Superusers and BYPASSRLS roles bypass RLS regardless; PostgreSQL gives no way around that.
-- Enabling RLS and writing the tenant policy stay with each table's migration: enabling it here
-- without a policy would hide the table's rows silently. TenantIsolationIT checks both flags.
-- A data migration that must change every tenant's rows says "alter table … no force row level
-- security" first; this callback forces it again once the migration is done.
--
-- The SECURITY DEFINER look-ups (resolve_api_key, unsealed_tenants, …) run as the owner and must
-- cross tenants before the tenant is known. Policy cross_tenant_lookup lets the owner read every
-- row only inside such a function: there current_user is the function's owner while session_user
-- is the role that logged in. (A function-level SET of a custom flag would say it more plainly,
-- but PostgreSQL 15+ reserves that to superusers.) The app role cannot use this policy, and a
-- session logged in as the owner gets the tenant policies alone: an app misconfigured to log in
-- as the owner then fails closed (its look-ups find nothing) instead of seeing every tenant.
do $$
declare
  t regclass;
begin
  for t in
    select c.oid::regclass
      from pg_class c
      join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public'
       and c.relkind in ('r', 'p')
       and (c.relname = 'tenants'
            or exists (select 1 from pg_attribute a
                        where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped))
  loop
    execute format('alter table %s force row level security', t);
    if not exists (select 1 from pg_policy where polrelid = t and polname = 'cross_tenant_lookup') then
      execute format('create policy cross_tenant_lookup on %s for select to %I'
                     ' using (current_user <> session_user)', t, current_user);
    end if;
  end loop;
end $$;
