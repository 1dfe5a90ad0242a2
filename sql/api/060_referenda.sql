-- Referenda: proposals, sealed bids, results (referenda.md).
--
-- No function here ever sees a bid amount: bids are sealed before they
-- reach the database (sql/api/070_trust.sql), and the tally
-- (app/store/tally.c) stores a result that it computed itself.  Amounts
-- that are public (costs, results) are bigint cents, written "-1000.00".

create function api.money_text(cents bigint) returns text
language sql immutable as $$
	select case when cents < 0 then '-' else '' end ||
	    (abs(cents) / 100)::text || '.' ||
	    lpad((abs(cents) % 100)::text, 2, '0')
$$;

-- ISO 8601 in UTC, as the API takes it: fractions only when there are some.
create function api.utc_iso(t timestamptz) returns text
language sql immutable as $$
	select rtrim(rtrim(to_char(t at time zone 'UTC',
	    'YYYY-MM-DD"T"HH24:MI:SS.US'), '0'), '.') || 'Z'
$$;

-- "3 days 4 hours", "12 minutes": how long until t, for pages.
create function api.time_left(t timestamptz) returns text
language plpgsql stable as $$
declare
	s bigint := greatest(0, floor(extract(epoch from t - now())));
	days bigint := s / 86400;
	hours bigint := s % 86400 / 3600;
	minutes bigint := s % 3600 / 60;
begin
	return case
	    when days > 0 then api.count_of(days, 'day') ||
		case when hours > 0 then ' ' || api.count_of(hours, 'hour')
		else '' end
	    when hours > 0 then api.count_of(hours, 'hour') ||
		case when minutes > 0 then ' ' ||
		api.count_of(minutes, 'minute') else '' end
	    when minutes > 0 then api.count_of(minutes, 'minute')
	    else api.count_of(s, 'second') end;
end
$$;

create function api.count_of(n bigint, noun text) returns text
language sql immutable as $$
	select n || ' ' || noun || case when n = 1 then '' else 's' end
$$;

create function api.proposal_status(p proposals) returns text
language sql stable as $$
	select case when p.tallied_at is not null then 'tallied'
	    when now() < p.opens_at then 'draft'
	    when now() < p.closes_at then 'open'
	    else 'closed' end
$$;

-- What lists show of a proposal, and every document starts with.
create function api.proposal_item(p proposals) returns json
language sql stable as $$
	select json_build_object('slug', p.slug, 'title', p.title,
	    'project', p.project, 'cost', api.money_text(p.cost),
	    'currency', p.currency, 'opens_at', api.utc_iso(p.opens_at),
	    'closes_at', api.utc_iso(p.closes_at), 'tax_rule', p.tax_rule,
	    'payout_rule', p.payout_rule, 'status', api.proposal_status(p),
	    'readers', p.readers, 'threshold', p.threshold,
	    'max_bid', api.money_text(p.max_bid), 'electorate', p.electorate,
	    'voided', p.voided_at is not null,
	    'bids', (select count(distinct voter_id) from board_entries
		where proposal_id = p.id) +
		(select count(*) from legacy_bids where proposal_id = p.id),
	    'decision', (select case when r.adopt then 'adopt' else 'reject' end
		from results r where r.proposal_id = p.id))
$$;

create function api.proposals(p_status text, p_limit integer,
    p_cursor text) returns json
language plpgsql stable as $$
declare
	after text := api.cursor_decode(p_cursor) ->> 0;
begin
	if after !~ '^[0-9]{1,18}$' then
		perform api.fail(400,
		    'cursor: not a cursor given out by this API');
	end if;
	return api.with((select api.page(json_agg(api.proposal_item(r.p)
	    order by r.n) filter (where r.n <= p_limit),
	    json_agg(json_build_array((r.p).id) order by r.n)
	    filter (where r.n >= p_limit))
	    from (select p, row_number() over (order by p.id desc) as n
		from proposals p
		where (after is null or id < after::bigint)
		and (p_status is null or api.proposal_status(p) = p_status)
		order by id desc limit p_limit + 1) r),
	    json_build_object('status', p_status, 'statuses',
	    (select json_agg(json_build_object('status', s,
		'count', (select count(*) from proposals p
		    where api.proposal_status(p) = s),
		'selected', s = p_status) order by n)
	    from unnest(array['open', 'draft', 'closed', 'tallied'])
		with ordinality as t(s, n))));
end
$$;

create function api.proposal_find(p_slug text) returns proposals
language plpgsql stable as $$
declare
	p proposals;
begin
	select * into p from proposals where slug = p_slug;
	if not found then
		perform api.fail(404, format('no proposal %L', p_slug));
	end if;
	return p;
end
$$;

-- GET /api/v1/proposals/{slug}: the proposal, who could read its bids,
-- where its trustees stand, and its result once tallied.
create function api.proposal(p_slug text) returns json
language plpgsql stable as $$
declare
	p proposals := api.proposal_find(p_slug);
begin
	return api.with(api.with(api.with(api.proposal_item(p),
	    api.trust_state(p)), api.binding_words(p, null)), json_build_object(
	    'description', p.description,
	    'creator', api.user_name(p.creator_id),
	    'created_at', api.utc_iso(p.created_at),
	    'result', (select r.doc::json from results r
		where r.proposal_id = p.id),
	    'signals', case when p.tallied_at is not null
		then api.signals(p) end));
end
$$;

-- What pages add to a proposal: times in words, and its rules explained.
create function api.proposal_words(p proposals) returns json
language sql stable as $$
	select json_build_object(
	    'is_' || api.proposal_status(p), true,
	    'tax', (select row_to_json(r) from tax_rules r
		where r.name = p.tax_rule),
	    'payout', (select row_to_json(r) from payout_rules r
		where r.name = p.payout_rule),
	    'opens', api.when(p.opens_at), 'closes', api.when(p.closes_at),
	    'opens_in', case when now() < p.opens_at
		then api.time_left(p.opens_at) end,
	    'closes_in', case when now() < p.closes_at
		then api.time_left(p.closes_at) end)
$$;

-- The proposal page: the proposal in words, its result's summary, and the
-- signed-in voter's own sealed bid (which the server opens for them).
-- p_bid_error: what was wrong with the bid just posted, or null.
create function api.proposal_page(p_slug text, p_session bytea,
    p_bid_error text) returns json
language plpgsql stable as $$
declare
	p proposals := api.proposal_find(p_slug);
	uid bigint;
begin
	select user_id into uid from sessions
	where hash = p_session and expires_at > now();
	return api.page_doc(p_session, api.with(api.with(api.with(api.with(
	    api.proposal_item(p), api.proposal_words(p)), api.trust_state(p)),
	    api.binding_words(p, uid)), json_build_object(
	    'description', p.description,
	    'creator', api.user_name(p.creator_id),
	    'result', (select json_build_object(
		'decision', case when r.adopt then 'adopt' else 'reject' end,
		'adopt', r.adopt, 'voters', r.voters,
		'total_net', api.money_text(r.total_net),
		'total_tax', api.money_text(r.total_tax),
		'total_payout', api.money_text(r.total_payout))
		from results r where r.proposal_id = p.id),
	    'own', api.own_entry(p, uid),
	    'waits', case when api.proposal_status(p) = 'closed' and
		p.voided_at is null then api.tally_waits(p) end,
	    'operator_reads', p.readers = 'operator',
	    'roll_form', p.electorate = 'roll' and now() < p.opens_at and
		(uid = p.creator_id or exists (select 1 from users r
		where r.id = uid and api.role_rank(r.role) >=
		api.role_rank('curator'))),
	    'roll_text', array_to_string(array(select json_array_elements_text(
		api.roll(p))), E'\n'),
	    'board', (select json_build_object('entries', count(*),
		'head', encode((array_agg(e.hash order by e.seq desc))[1],
		'hex')) from board_entries e where e.proposal_id = p.id),
	    'bid_error', p_bid_error)));
end
$$;

-- Who is reading: a session needs no CSRF token to read.
create function api.voter(p_kind text, p_hash text, p_csrf text)
returns users
language plpgsql as $$
declare
	u users;
begin
	if p_kind = 'session' then
		select users.* into u from sessions s
		join users on users.id = s.user_id
		where s.hash = decode(p_hash, 'hex') and s.expires_at > now();
		if not found then
			perform api.fail(401,
			    'sign in first: your session has ended');
		end if;
		return u;
	end if;
	return api.auth_user(p_kind, p_hash, p_csrf, 'editor');
end
$$;

-- POST /api/v1/proposals and /proposals/new.  p_fields holds what the
-- server checked: slug (and slug_derived when it came from the title),
-- title, project, description, cost (cents), currency, opens_at (may be
-- null: now), closes_at, tax_rule, payout_rule, max_bid (cents), and
-- trustees (user names) with threshold, or neither; electorate, 'bidders'
-- or a roll of user names; surplus_to, a user name (null: the creator).  p_keys is what the server made: the board
-- key's id (board_key_id) and, without trustees, the bid key (bid_key,
-- base64) with its scalar wrapped under the master key (wrapped_key,
-- base64; master_key_id).  Trustees are fixed here, with the keys they
-- have now, in the order given.
create function api.proposal_create(p_kind text, p_hash text, p_csrf text,
    p_fields json, p_keys json) returns json
language plpgsql as $$
declare
	u users := api.auth_user(p_kind, p_hash, p_csrf, 'editor');
	f json := p_fields;
	opens timestamptz := coalesce((f ->> 'opens_at')::timestamptz,
	    date_trunc('second', now()));
	closes timestamptz := (f ->> 'closes_at')::timestamptz;
	base text := f ->> 'slug';
	s text := base;
	n integer := 1;
	errors json[];
	p proposals;
	names text[] := array(select json_array_elements_text(
	    coalesce(f -> 'trustees', '[]')));
	k integer := coalesce((f ->> 'threshold')::integer, 1);
	roll text[] := case when json_typeof(f -> 'electorate') = 'array'
	    then array(select json_array_elements_text(f -> 'electorate')) end;
	surplus bigint := u.id;
	missing text;
begin
	if f ->> 'surplus_to' is not null then
		select id into surplus from users where name = f ->> 'surplus_to'
		and role <> 'system';
		if not found then
			errors := errors || json_build_object('field',
			    'surplus_to', 'message', format('no user %L',
			    f ->> 'surplus_to'));
		end if;
	end if;
	if roll is not null then
		select string_agg(l.nm, ', ' order by l.nm) into missing
		from unnest(roll) l(nm) where not exists (select 1 from users t
		    where t.name = l.nm and t.role <> 'system');
		if missing is not null then
			errors := errors || json_build_object('field',
			    'electorate', 'message', 'no such users: ' || missing);
		end if;
		missing := null;
	end if;
	if cardinality(names) > 0 then
		select string_agg(format('%s (%s)', l.nm, case when t.id is
		    null then 'no such user' else 'no trustee key on the '
		    'account' end), ', ') into missing
		from unnest(names) l(nm) left join users t on t.name = l.nm
		where t.trustee_key is null;
		if missing is not null then
			errors := errors || json_build_object('field',
			    'trustees', 'message', 'a trustee is a user with a '
			    'trustee key (made with `factwiki trustee keygen`, '
			    'put on their account page): not ' || missing);
		elsif cardinality(names) <> (select count(distinct l.nm)
		    from unnest(names) l(nm)) then
			errors := errors || json_build_object('field',
			    'trustees', 'message', 'a trustee is named twice');
		end if;
		if k < 1 or k > cardinality(names) then
			errors := errors || json_build_object('field',
			    'threshold', 'message', format('the threshold is '
			    'from 1 to the number of trustees (%s)',
			    cardinality(names)));
		end if;
	end if;
	if closes <= opens then
		errors := errors || json_build_object('field', 'closes_at',
		    'message', 'closes_at must be after opens_at');
	elsif closes <= now() then
		errors := errors || json_build_object('field', 'closes_at',
		    'message', format('closes_at must be in the future (it is '
		    '%s now)', api.utc_iso(now())));
	end if;
	if errors is not null then
		raise exception using errcode = 'FW422',
		    message = errors[1] ->> 'message',
		    detail = json_build_object('errors', errors)::text;
	end if;
	-- A slug made from a title may be taken: "title-2", "title-3"...
	while (f ->> 'slug_derived')::boolean and (s = 'new' or
	    exists (select 1 from proposals where slug = s)) loop
		n := n + 1;
		s := rtrim(left(base, 64 - length(n::text) - 1), '-') ||
		    '-' || n;
	end loop;
	insert into proposals (slug, title, project, description, cost,
	    currency, opens_at, closes_at, tax_rule, payout_rule, creator_id,
	    readers, threshold, bid_key, wrapped_key, master_key_id,
	    board_key_id, max_bid, electorate, surplus_to)
	values (s, f ->> 'title', f ->> 'project', f ->> 'description',
	    (f ->> 'cost')::bigint, f ->> 'currency', opens, closes,
	    f ->> 'tax_rule', f ->> 'payout_rule', u.id,
	    case when cardinality(names) > 0 then 'trustees'
		else 'operator' end, k,
	    case when cardinality(names) = 0
		then decode(p_keys ->> 'bid_key', 'base64') end,
	    case when cardinality(names) = 0
		then decode(p_keys ->> 'wrapped_key', 'base64') end,
	    case when cardinality(names) = 0 then p_keys ->> 'master_key_id'
		end,
	    p_keys ->> 'board_key_id', (f ->> 'max_bid')::bigint,
	    case when roll is null then 'bidders' else 'roll' end, surplus)
	on conflict (slug) do nothing
	returning * into p;
	if not found then
		raise exception using errcode = 'FW409',
		    message = format('a proposal with the slug %L exists '
		    'already: choose another', s),
		    detail = json_build_object('errors', json_build_array(
		    json_build_object('field', 'slug', 'message',
		    'that slug is taken')))::text;
	end if;
	insert into proposal_trustees (proposal_id, idx, user_id, public_key)
	select p.id, l.i, t.id, t.trustee_key
	from unnest(names) with ordinality as l(n, i)
	join users t on t.name = l.n;
	insert into proposal_voters (proposal_id, user_id)
	select distinct p.id, t.id from users t where t.name = any (roll);
	return api.proposal(p.slug);
end
$$;

-- GET /api/v1/proposals/{slug}/result: the stored JSON, or CSV.
create function api.result(p_slug text, p_csv boolean) returns text
language plpgsql stable as $$
declare
	p proposals := api.proposal_find(p_slug);
	r results;
begin
	select * into r from results where proposal_id = p.id;
	if not found then
		perform api.fail(404, case
		    when p.voided_at is not null then format('this proposal '
			'was voided: %s', p.voided_reason)
		    when api.proposal_status(p) <> 'closed' then
			format('no result before the close, at %s',
			api.utc_iso(p.closes_at))
		    else api.tally_waits(p) end);
	end if;
	return case when p_csv then r.csv else r.doc end;
end
$$;

-- The result page: a page of the table (p_page, from 1; a thousand voters
-- a page, in the result's order) with the reader's own row marked, and
-- which page it is on when it is on another; the bars of the net values
-- (of the 100 voters with the largest, when there are more).
create function api.result_page(p_slug text, p_session bytea,
    p_page integer) returns json
language plpgsql stable as $$
declare
	per constant integer := 1000;
	p proposals := api.proposal_find(p_slug);
	page integer := coalesce(p_page, 1);
	pages integer;
	r results;
	doc json;
	shares bigint;
	me text;
	mine bigint;
begin
	select * into r from results where proposal_id = p.id;
	if not found then
		perform api.result(p_slug, false);
	end if;
	pages := greatest(1, (r.voters + per - 1) / per);
	if page > pages then
		perform api.fail(404, format('the result has %s voters: %s '
		    'page%s of %s', r.voters, pages,
		    case when pages = 1 then '' else 's' end, per));
	end if;
	doc := r.doc::json;
	-- The cost the voters share: less than the cost when some on the
	-- roll did not bid.
	select coalesce(sum(api.cents(e ->> 'cost_share')), 0) into shares
	from json_array_elements(doc -> 'voters') e;
	select u.name into me from sessions s join users u on u.id = s.user_id
	where s.hash = p_session and s.expires_at > now();
	select i into mine from json_array_elements(doc -> 'voters')
	    with ordinality as e(v, i) where v ->> 'voter' = me;
	return api.page_doc(p_session, api.with(api.with(api.proposal_item(p),
	    api.proposal_words(p)), json_build_object(
	    'adopt', r.adopt,
	    'tie', r.voters > 0 and r.total_net = 0,
	    'voters', r.voters,
	    'is_roll', p.electorate = 'roll',
	    'total_bid', api.money_text(r.total_net + shares),
	    'total_cost', api.money_text(shares),
	    'total_net', api.money_text(r.total_net),
	    'total_tax', api.money_text(r.total_tax),
	    'total_payout', api.money_text(r.total_payout),
	    'tallied', api.when(r.tallied_at),
	    'signals', api.signals(p),
	    'signal_count', json_array_length(api.signals(p)),
	    'invalid', doc -> 'invalid',
	    'invalid_count', coalesce(json_array_length(doc -> 'invalid'), 0),
	    'board_problems', doc -> 'board' -> 'problems',
	    'problem_count', coalesce(json_array_length(
		doc -> 'board' -> 'problems'), 0),
	    'rows', (select json_agg(v::jsonb || jsonb_build_object('you',
		v ->> 'voter' = me) order by i)
		from json_array_elements(doc -> 'voters')
		with ordinality as e(v, i)
		where i > (page - 1) * per and i <= page * per),
	    'pager', case when pages > 1 then json_build_object(
		'first', (page - 1) * per + 1,
		'last', least(page * per, r.voters),
		'prev', nullif(page - 1, 0),
		'next', case when page < pages then page + 1 end,
		'mine', case when (mine - 1) / per + 1 <> page
		    then (mine - 1) / per + 1 end) end,
	    'bars', json_build_object('title', case when r.voters > 100
		then 'Net values of the 100 voters with the largest'
		else 'Net value of each voter' end,
		'unit', p.currency,
		'bars', (select json_agg(json_build_object(
		    'label', v ->> 'voter', 'value', v ->> 'net') order by i)
		    from (select v, i from json_array_elements(doc -> 'voters')
			with ordinality as e(v, i)
			order by abs((v ->> 'net')::numeric) desc, i
			limit 100) top)))));
end
$$;
