-- Token expiry and tier discounts on redeems.
--
-- Expiry: a token may carry a policy. Its lots are derived from the journal, never stored: a lot
-- is an entry crediting a USER or BUSINESS wallet (not a REVERSAL), less the reversal of that
-- entry if any; spending consumes lots oldest first (io.pers.expiry.Lots). The expiry job burns
-- the unspent rest of a lot once it expires, with an entry whose id is derived from the lot's.
--   DAYS_AFTER_EARN: expires `period` days after earning.
--   END_OF_MONTH:    expires at the end of the month of earning plus `period` months (UTC).
-- A lot earned before the policy was set counts as earned when it was set (expiry_since), so a
-- new policy never expires what users hold at once.
alter table tokens
  add column expiry_policy text check (expiry_policy in ('DAYS_AFTER_EARN', 'END_OF_MONTH')),
  add column expiry_period int,
  add column expiry_since  timestamptz,
  add constraint tokens_expiry_complete check (
    (expiry_policy is null and expiry_period is null and expiry_since is null)
    or (expiry_policy is not null and expiry_since is not null
        and ((expiry_policy = 'DAYS_AFTER_EARN' and expiry_period between 1 and 36500)
             or (expiry_policy = 'END_OF_MONTH' and expiry_period between 0 and 1200))));

-- When a lot earned at p_earned expires under the policy: the first instant it is no longer
-- spendable. Computed in UTC whatever the session's time zone, so months and days are calendar ones.
create function lot_expires_at(p_policy text, p_period int, p_since timestamptz, p_earned timestamptz)
returns timestamptz language sql immutable as $$
  select case p_policy
    when 'DAYS_AFTER_EARN' then
      ((greatest(p_earned, p_since) at time zone 'UTC') + make_interval(days => p_period)) at time zone 'UTC'
    when 'END_OF_MONTH' then
      (date_trunc('month', greatest(p_earned, p_since) at time zone 'UTC') + make_interval(months => p_period + 1))
        at time zone 'UTC'
  end
$$;

-- The tenants the expiry job visits, before any tenant is known (as unsealed_tenants).
create function expiry_tenants() returns setof uuid
language sql stable security definer set search_path = public as $$
  select distinct tenant_id from tokens where expiry_policy is not null and active
$$;

-- Tier discounts: what a redeem's cost was before the user's tier discount, and the discount.
-- cost_amount stays the amount actually taken.
alter table redemption_redeems
  add column list_cost_amount uint256,
  add column discount_bps     int not null default 0 check (discount_bps between 0 and 10000),
  add column status_tier_name text;
alter table redemption_redeems no force row level security; -- afterMigrate forces it again
update redemption_redeems set list_cost_amount = cost_amount;
alter table redemption_redeems alter column list_cost_amount set not null;
