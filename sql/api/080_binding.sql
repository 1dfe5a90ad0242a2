-- Voter rolls, deposits, settlement and statements (sql/012_binding.sql).
--
-- Money moves only here, and only as movements of the ledger: two rows
-- that sum to zero.  No function here sees a bid: a deposit is the same
-- for every amount, and the settlement reads the published result.

-- "-1000.00" as cents: api.money_text() read back.
create function api.cents(p_text text) returns bigint
language sql immutable as $$
	select replace(p_text, '.', '')::bigint
$$;

-- One movement: amount from one account to another, as the two rows of a
-- new txn.  Accounts are (account, user, proposal).
create function api.move(p_from text, p_from_user bigint,
    p_from_proposal bigint, p_to text, p_to_user bigint,
    p_to_proposal bigint, p_currency text, p_amount bigint, p_memo text,
    p_ref text) returns void
language sql as $$
	with t as (select nextval('ledger_txn') as txn)
	insert into ledger (txn, account, user_id, proposal_id, currency,
	    amount, memo, ref)
	select t.txn, a.account, a.user_id, a.proposal_id, p_currency, a.amount,
	    p_memo, p_ref
	from t, (values (p_from, p_from_user, p_from_proposal, -p_amount),
	    (p_to, p_to_user, p_to_proposal, p_amount))
	    as a(account, user_id, proposal_id, amount)
	where p_amount <> 0
$$;

-- A user's balance (what is theirs, not held) in a currency.
create function api.balance(p_user bigint, p_currency text) returns bigint
language sql stable as $$
	select coalesce(sum(amount), 0)::bigint from ledger
	where account = 'balance' and user_id = p_user
	and currency = p_currency
$$;

-- What a user has on deposit for a proposal.
create function api.held(p proposals, p_user bigint) returns bigint
language sql stable as $$
	select coalesce(sum(amount), 0)::bigint from ledger
	where account = 'deposit' and proposal_id = p.id and user_id = p_user
$$;

-- A voter's cost share: the cost split over the roll in name order
-- (bytewise, as the tally orders them), the first cost mod n paying one
-- unit more; for an open poll, as much as the whole cost, which a lone
-- bidder would pay.  Null for a user off the roll.
create function api.cost_share(p proposals, p_user bigint) returns bigint
language sql stable as $$
	select case when p.electorate = 'bidders' then p.cost
	    else (select p.cost / n + case when rank <= p.cost % n then 1
		else 0 end
		from (select v.user_id, count(*) over () as n,
		    row_number() over (order by u.name collate "C") as rank
		    from proposal_voters v join users u on u.id = v.user_id
		    where v.proposal_id = p.id) r
		where r.user_id = p_user) end
$$;

-- The deposit a voter holds from their first bid until the settlement:
-- the most they can owe (max_bid + cost share), whatever they bid.
create function api.deposit(p proposals, p_user bigint) returns bigint
language sql stable as $$
	select p.max_bid + api.cost_share(p, p_user)
$$;

-- Whether user may bid on p: on its roll, or p is an open poll.
create function api.on_roll(p proposals, p_user bigint) returns boolean
language sql stable as $$
	select p.electorate = 'bidders' or exists (select 1
	    from proposal_voters v where v.proposal_id = p.id and
	    v.user_id = p_user)
$$;

-- Admits a voter's bid on p, in the statement that appends it: 403 off
-- its roll; at the first bid, the deposit taken from the voter's balance,
-- or 402 when the balance is short.  The voter's row is locked, so that
-- two first bids cannot both spend one balance.
create function api.bid_admit(p proposals, u users) returns void
language plpgsql as $$
declare
	need bigint;
	have bigint;
begin
	if not api.on_roll(p, u.id) then
		perform api.fail(403, 'you are not on this proposal''s voter '
		    'roll: only its voters may bid');
	end if;
	if api.held(p, u.id) > 0 then
		return;
	end if;
	perform 1 from users where id = u.id for update;
	need := api.deposit(p, u.id);
	have := api.balance(u.id, p.currency);
	if have < need then
		perform api.fail(402, format('a bid here needs a deposit of '
		    '%s %s, held until the tally (the most a voter can owe: '
		    'max_bid %s and a cost share of %s); your balance is %s %s',
		    api.money_text(need), p.currency, api.money_text(p.max_bid),
		    api.money_text(need - p.max_bid), api.money_text(have),
		    p.currency));
	end if;
	perform api.move('balance', u.id, null, 'deposit', u.id, p.id,
	    p.currency, need, 'deposit', null);
end
$$;

-- Gives back every deposit held on p (when it is voided).
create function api.release_all(p proposals) returns void
language sql as $$
	select api.move('deposit', d.user_id, p.id, 'balance', d.user_id,
	    null::bigint, p.currency, d.held::bigint, 'release', null)
	from (select user_id, sum(amount) as held from ledger
	    where account = 'deposit' and proposal_id = p.id
	    group by user_id having sum(amount) <> 0) d
$$;

-- The settlement of tallied proposal p_id from its result p_doc, in the
-- statement that stores the result (app/store/tally.c): for each voter,
-- from their deposit, the cost share (if adopted) to surplus_to and the
-- tax to the proposal's pool; from the pool, their payout; the deposit's
-- rest back to them (a tax beyond the deposit, which only coalition-equal
-- can ask, comes from their balance); and the pool's rest to surplus_to.
create function api.settle(p_id bigint, p_doc json) returns integer
language plpgsql as $$
declare
	p proposals;
	adopt boolean := p_doc ->> 'decision' = 'adopt';
	n integer := 0;
begin
	select * into p from proposals where id = p_id;
	with v as (select u.id as user_id,
		case when adopt then api.cents(e ->> 'cost_share') else 0 end
		    as share,
		api.cents(e ->> 'tax') as tax, api.cents(e ->> 'payout') as payout
	    from json_array_elements(p_doc -> 'voters') e
	    join users u on u.name = e ->> 'voter'),
	d as (select user_id, sum(amount) as held from ledger
	    where account = 'deposit' and proposal_id = p.id group by user_id),
	moves (f, fu, fp, t, tu, tp, amount, memo) as (
	    select 'deposit', user_id, p.id, 'balance', p.surplus_to, null::bigint,
		share, 'cost share' from v where share <> 0
	    union all
	    select 'deposit', user_id, p.id, 'pool', null, p.id, tax, 'tax'
	    from v where tax <> 0
	    union all
	    select 'pool', null, p.id, 'balance', user_id, null, payout, 'payout'
	    from v where payout <> 0
	    union all
	    select 'pool', null, p.id, 'balance', p.surplus_to, null,
		sum(tax) - sum(payout), 'surplus'
	    from v having sum(tax) - sum(payout) <> 0
	    union all
	    -- What each deposit holds after the charges goes back.
	    select 'deposit', d.user_id, p.id, 'balance', d.user_id, null,
		d.held - coalesce(v.share + v.tax, 0), 'release'
	    from d left join v on v.user_id = d.user_id
	    where d.held - coalesce(v.share + v.tax, 0) <> 0),
	m as (select nextval('ledger_txn') as txn, * from moves)
	insert into ledger (txn, account, user_id, proposal_id, currency,
	    amount, memo)
	select m.txn, a.account, a.user_id, a.proposal_id, p.currency, a.amount,
	    m.memo
	from m, lateral (values (m.f, m.fu, m.fp, -m.amount),
	    (m.t, m.tu, m.tp, m.amount)) as a(account, user_id, proposal_id,
	    amount);
	get diagnostics n = row_count;
	return n / 2;
end
$$;

-- PUT /api/v1/proposals/{slug}/roll and the page's form: the roll made
-- anew, by the proposal's creator or a curator, before bidding opens.
-- Unknown names are 422, all named.
create function api.roll_put(p_kind text, p_hash text, p_csrf text,
    p_slug text, p_voters json) returns json
language plpgsql as $$
declare
	u users := api.auth_user(p_kind, p_hash, p_csrf, 'editor');
	p proposals := api.proposal_find(p_slug);
	p_names text[] := array(select json_array_elements_text(p_voters));
	unknown text;
begin
	if p.creator_id <> u.id and api.role_rank(u.role) <
	    api.role_rank('curator') then
		perform api.fail(403, 'the roll is kept by the proposal''s '
		    'creator and by curators');
	end if;
	if p.electorate <> 'roll' then
		perform api.fail(409, 'this proposal is an open poll: it has no '
		    'roll');
	end if;
	if now() >= p.opens_at then
		perform api.fail(409, format('the voter roll is fixed once '
		    'bidding opens, at %s', api.utc_iso(p.opens_at)));
	end if;
	select string_agg(n, ', ' order by n) into unknown
	from unnest(p_names) n where not exists (select 1 from users
	    where name = n and role <> 'system');
	if unknown is not null then
		raise exception using errcode = 'FW422',
		    message = 'no such users: ' || unknown,
		    detail = json_build_object('errors', json_build_array(
		    json_build_object('field', 'voters', 'message',
		    'no such users: ' || unknown)))::text;
	end if;
	delete from proposal_voters where proposal_id = p.id;
	insert into proposal_voters (proposal_id, user_id)
	select distinct p.id, id from users where name = any (p_names);
	return api.proposal(p.slug);
end
$$;

-- The roll of p, in name order (bytewise), or null for an open poll.
create function api.roll(p proposals) returns json
language sql stable as $$
	select case when p.electorate = 'roll' then coalesce((select
	    json_agg(u.name order by u.name collate "C")
	    from proposal_voters v join users u on u.id = v.user_id
	    where v.proposal_id = p.id), '[]') end
$$;

-- What a proposal says of its electorate and money, for its documents
-- and pages: the roll, the deposit the reader would hold, surplus_to.
create function api.binding_words(p proposals, p_user bigint) returns json
language sql stable as $$
	select json_build_object('electorate', p.electorate,
	    'is_roll', p.electorate = 'roll', 'roll', api.roll(p),
	    'voters_on_roll', (select count(*) from proposal_voters v
		where v.proposal_id = p.id),
	    'surplus_to', api.user_name(p.surplus_to),
	    'on_roll', case when p_user is not null
		then api.on_roll(p, p_user) end,
	    'deposit', case when p_user is not null and api.on_roll(p, p_user)
		then api.money_text(api.deposit(p, p_user)) end,
	    'held', case when p_user is not null
		then api.money_text(api.held(p, p_user)) end,
	    'balance', case when p_user is not null
		then api.money_text(api.balance(p_user, p.currency)) end)
$$;

-- GET /api/v1/account/ledger and /account/ledger: the user's balances
-- (available and held, per currency) and movements, newest first, each
-- with the balance of its account after it, and the proposal it is for
-- (either row's: a deposit's, or the pool's).
create function api.ledger_doc(p_user bigint, p_limit integer,
    p_cursor text) returns json
language plpgsql stable as $$
declare
	after text := api.cursor_decode(p_cursor) ->> 0;
begin
	if after !~ '^[0-9]{1,18}$' then
		perform api.fail(400,
		    'cursor: not a cursor given out by this API');
	end if;
	return api.with((select api.page(json_agg(json_build_object(
	    'at', api.utc_iso(l.at), 'account', l.account, 'memo', l.memo,
	    'proposal', (select p.slug from ledger m join proposals p
		on p.id = m.proposal_id where m.txn = l.txn limit 1),
	    'currency', l.currency, 'amount', api.money_text(l.amount),
	    'balance_after', api.money_text(l.balance_after),
	    'ref', l.ref) order by l.n) filter (where l.n <= p_limit),
	    json_agg(json_build_array(l.id) order by l.n)
	    filter (where l.n >= p_limit))
	    from (select *, row_number() over (order by id desc) as n
		from (select l.*, (sum(l.amount) over (
		    partition by l.account, l.proposal_id, l.currency
		    order by l.id))::bigint as balance_after
		    from ledger l where l.user_id = p_user) l
		where after is null or id < after::bigint
		order by id desc limit p_limit + 1) l),
	    json_build_object('balances', coalesce((select json_agg(
		json_build_object('currency', currency,
		'available', api.money_text(available),
		'held', api.money_text(held)) order by currency)
		from (select currency, coalesce(sum(amount) filter (where
		    account = 'balance'), 0)::bigint as available,
		    coalesce(sum(amount) filter (where account = 'deposit'),
		    0)::bigint as held
		    from ledger where user_id = p_user group by currency) b),
		'[]')));
end
$$;

create function api.ledger(p_kind text, p_hash text, p_csrf text,
    p_limit integer, p_cursor text) returns json
language plpgsql as $$
declare
	u users := api.voter(p_kind, p_hash, p_csrf);
begin
	return api.ledger_doc(u.id, p_limit, p_cursor);
end
$$;

-- `factwiki ledger credit|debit USER AMOUNT --ref TEXT`: money into a
-- balance from the world, or out to it; a debit never below zero.
create function api.ledger_admin(p_name text, p_cents bigint,
    p_currency text, p_ref text) returns json
language plpgsql as $$
declare
	uid bigint;
	have bigint;
begin
	select id into uid from users where name = p_name for update;
	if not found then
		perform api.fail(404, format('no user %L', p_name));
	end if;
	have := api.balance(uid, p_currency);
	if have + p_cents < 0 then
		perform api.fail(409, format('%s has %s %s: a debit of %s would '
		    'leave less than nothing', p_name, api.money_text(have),
		    p_currency, api.money_text(-p_cents)));
	end if;
	if p_cents > 0 then
		perform api.move('world', null, null, 'balance', uid, null,
		    p_currency, p_cents, 'credit', p_ref);
	else
		perform api.move('balance', uid, null, 'world', null, null,
		    p_currency, -p_cents, 'debit', p_ref);
	end if;
	return json_build_object('user', p_name, 'currency', p_currency,
	    'balance', api.money_text(have + p_cents));
end
$$;

-- /account/ledger: the signed-in user's statement, or null signed out.
create function api.ledger_page(p_session bytea, p_limit integer,
    p_cursor text) returns json
language sql stable as $$
	select api.ledger_doc(s.user_id, p_limit, p_cursor)
	from sessions s where s.hash = p_session and s.expires_at > now()
$$;

-- Patterns in a tallied result worth a look, from the published bids and
-- the voters' accounts alone, without claiming anything of intent:
--   together	the fewest voters of the winning side whose bids, taken out
--		together, would change the decision, when no one of them
--		alone would and they are two or three: one bid split over
--		accounts looks like this;
--   identical	voters who bid the same amount, when it has cents, or when
--		three or more did;
--   new	voters whose accounts were made in the week before bidding
--		opened, or after.
create function api.signals(p proposals) returns json
language sql stable as $$
	with r as (select doc::json as doc from results
	    where proposal_id = p.id),
	v as (select e ->> 'voter' as voter, (e ->> 'bid')::numeric as bid,
	    (e ->> 'net')::numeric as net, (e ->> 'pivotal')::boolean as pivotal
	    from r, json_array_elements(r.doc -> 'voters') e
	    where e ->> 'bid' is not null),
	total as (select (select (doc ->> 'decision') = 'adopt' from r) as adopt,
	    sum(net) as v from v),
	w as (select v.*, sum(abs(v.net)) over (order by abs(v.net) desc,
	    v.voter) as taken, row_number() over (order by abs(v.net) desc,
	    v.voter) as k
	    from v, total t where (t.adopt and v.net > 0) or
	    (not t.adopt and v.net < 0)),
	flip as (select min(k) as k from w, total t
	    where (t.adopt and t.v - taken <= 0) or
	    (not t.adopt and t.v + taken > 0)),
	together as (select json_build_object('kind', 'together',
	    'voters', json_agg(w.voter order by w.k),
	    'detail', format('%s voters of the winning side would change the '
		'decision only together: none of them alone was pivotal',
		count(*))) as s
	    from w, flip where w.k <= flip.k and flip.k between 2 and 3
	    and not exists (select 1 from v where v.pivotal)
	    having count(*) > 0),
	identical as (select json_build_object('kind', 'identical',
	    'voters', json_agg(voter order by voter),
	    'detail', format('%s voters bid exactly %s', count(*), bid)) as s
	    from v group by bid
	    having count(*) >= 3 or (count(*) = 2 and bid <> trunc(bid))),
	new as (select json_build_object('kind', 'new',
	    'voters', json_agg(u.name order by u.name collate "C"),
	    'detail', format('%s voters'' accounts were made in the week '
		'before bidding opened, or after', count(*))) as s
	    from v join users u on u.name = v.voter
	    where u.created_at > p.opens_at - interval '7 days'
	    having count(*) > 0)
	select coalesce(json_agg(s), '[]') from (select s from together
	    union all select s from identical union all select s from new) x
$$;
