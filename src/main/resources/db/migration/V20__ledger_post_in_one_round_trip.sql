-- ledger_post answers with what the caller needs next, so a transfer's transaction is one round
-- trip for the entry and one for its outbox events: the balance rows it locks are held for two
-- round trips and the commit instead of six (measured: under load most of a transfer's time was
-- other transfers waiting on those locks). Same checks, same errors, same effect as before.
-- Returns no row, changing nothing, when an entry with this id exists.
-- New rule: status tokens are earned, never handed on: a TRANSFER of one is PE005 (the contracts
-- refuse such transfers on chain too, so the ledger would otherwise diverge from the chain).
drop function ledger_post(uuid, text, uuid, uuid, uuid, numeric, text, text, text, text, uuid, text);

create function ledger_post(p_entry uuid, p_kind text, p_token uuid, p_from uuid, p_to uuid,
                            p_amount numeric, p_reason_type text, p_reason_ref text,
                            p_actor_type text, p_actor_id text, p_reverses uuid, p_memo text)
returns table (created_at timestamptz,
               sender_type text, sender_id uuid, sender_balance numeric,
               recipient_type text, recipient_id uuid, recipient_balance numeric,
               tier_counted boolean)
language plpgsql as $$
declare
  v_tenant uuid := pers_tenant();
  v_now timestamptz := clock_timestamp();
  v_wallet uuid;
  v_owner text;
  v_owner_id uuid;
  v_balance numeric;
  v_token_type text;
begin
  if v_tenant is null then
    raise exception 'no tenant context' using errcode = 'PE000';
  end if;
  perform 1 from journal_entries e where e.id = p_entry;
  if found then
    return;
  end if;
  if p_amount <= 0 then
    raise exception 'amount must be positive' using errcode = 'PE004';
  end if;
  select t.type into v_token_type from tokens t where t.id = p_token and t.active;
  if not found then
    raise exception 'token % is unknown or inactive', p_token using errcode = 'PE002';
  end if;
  if p_kind = 'TRANSFER' and v_token_type = 'STATUS' then
    raise exception 'status token % is not transferable', p_token using errcode = 'PE005';
  end if;
  -- Balance rows are touched in wallet-id order so that opposite transfers cannot deadlock.
  for v_wallet in select unnest(array[p_from, p_to]) order by 1 loop
    select w.owner_type, w.owner_id into v_owner, v_owner_id from wallets w where w.id = v_wallet;
    if not found then
      raise exception 'wallet % is unknown', v_wallet using errcode = 'PE003';
    end if;
    v_balance := null; -- the issuance (TENANT) account keeps no balance row
    if v_owner <> 'TENANT' and v_wallet = p_from then
      update balances b set amount = b.amount - p_amount, updated_at = v_now
       where b.wallet_id = v_wallet and b.token_id = p_token and b.amount >= p_amount
      returning b.amount into v_balance;
      if not found then
        raise exception 'insufficient balance' using errcode = 'PE001';
      end if;
    elsif v_owner <> 'TENANT' then
      insert into balances as b (tenant_id, wallet_id, token_id, amount, updated_at)
      values (v_tenant, v_wallet, p_token, p_amount, v_now)
      on conflict (wallet_id, token_id)
      do update set amount = b.amount + excluded.amount, updated_at = v_now
      returning b.amount into v_balance;
    end if;
    if v_wallet = p_from then
      sender_type := v_owner; sender_id := v_owner_id; sender_balance := v_balance;
    else
      recipient_type := v_owner; recipient_id := v_owner_id; recipient_balance := v_balance;
    end if;
  end loop;
  insert into journal_entries (id, tenant_id, kind, token_id, reason_type, reason_ref,
                               actor_type, actor_id, reverses_entry_id, memo, created_at)
  values (p_entry, v_tenant, p_kind, p_token, p_reason_type, p_reason_ref,
          p_actor_type, p_actor_id, p_reverses, p_memo, v_now);
  insert into postings (entry_id, tenant_id, wallet_id, amount)
  values (p_entry, v_tenant, p_from, -p_amount), (p_entry, v_tenant, p_to, p_amount);
  insert into ledger_unsealed (entry_id, tenant_id) values (p_entry, v_tenant);
  created_at := v_now;
  -- Whether a status tier counts this token: only then can the entry move a user's tier.
  tier_counted := exists (select 1 from status_tier_tokens s where s.token_id = p_token);
  return next;
end $$;
