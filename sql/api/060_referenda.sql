-- Referenda: proposals, sealed bids, results (referenda.md).
--
-- No function here ever sees a bid amount: the server seals a bid before
-- it calls api.bid_put() and opens it after api.own_bid(), and the tally
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
	    'bids', (select count(*) from bids where proposal_id = p.id),
	    'decision', (select case when r.adopt then 'adopt' else 'reject' end
		from results r where r.proposal_id = p.id))
$$;

create function api.proposals(p_status text, p_limit integer,
    p_cursor text) returns json
language plpgsql stable as $$
declare
	after text := api.cursor_decode(p_cursor) ->> 0;
	docs json[];
	keys json[];
begin
	if after !~ '^[0-9]{1,18}$' then
		perform api.fail(400,
		    'cursor: not a cursor given out by this API');
	end if;
	select array_agg(api.proposal_item(p) order by p.id desc),
	    array_agg(json_build_array(p.id) order by p.id desc)
	into docs, keys
	from (select * from proposals p
	    where (after is null or id < after::bigint)
	    and (p_status is null or api.proposal_status(p) = p_status)
	    order by id desc limit p_limit + 1) p;
	return api.with(api.page(docs, keys[p_limit], p_limit),
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
language sql stable as $$
	select api.found((select p from proposals p where p.slug = p_slug),
	    format('no proposal %L', p_slug))
$$;

-- GET /api/v1/proposals/{slug}: the proposal, and its result once tallied.
create function api.proposal(p_slug text) returns json
language plpgsql stable as $$
declare
	p proposals := api.proposal_find(p_slug);
begin
	return api.with(api.proposal_item(p), json_build_object(
	    'description', p.description,
	    'creator', api.user_name(p.creator_id),
	    'created_at', api.utc_iso(p.created_at),
	    'result', (select r.doc::json from results r
		where r.proposal_id = p.id)));
end
$$;

-- The sealed bid of voter on p, with what it takes to open it, or null.
-- Only for the server, which opens it for that voter alone and sends on
-- the amount, never these members.
create function api.sealed_bid(p proposals, p_voter bigint) returns json
language sql stable as $$
	select json_build_object('voter', b.voter_id,
	    'ciphertext', encode(b.ciphertext, 'hex'), 'receipt', b.receipt,
	    'placed_at', api.utc_iso(b.placed_at),
	    'public_key', encode(p.public_key, 'hex'),
	    'sealed_secret_key', encode(p.sealed_secret_key, 'hex'),
	    'master_key_id', p.master_key_id)
	from bids b where b.proposal_id = p.id and b.voter_id = p_voter
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
	return api.page_doc(p_session, api.with(api.with(api.proposal_item(p),
	    api.proposal_words(p)), json_build_object(
	    'description', p.description,
	    'creator', api.user_name(p.creator_id),
	    'result', (select json_build_object(
		'decision', case when r.adopt then 'adopt' else 'reject' end,
		'adopt', r.adopt, 'voters', r.voters,
		'total_net', api.money_text(r.total_net),
		'total_tax', api.money_text(r.total_tax),
		'total_payout', api.money_text(r.total_payout))
		from results r where r.proposal_id = p.id),
	    'own', (select api.with(api.sealed_bid(p, uid),
		json_build_object('placed', api.when(b.placed_at)))
		from bids b where b.proposal_id = p.id and b.voter_id = uid),
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

-- GET /api/v1/proposals/{slug}/bid: the caller's sealed bid.
create function api.own_bid(p_kind text, p_hash text, p_csrf text,
    p_slug text) returns json
language plpgsql as $$
declare
	u users := api.voter(p_kind, p_hash, p_csrf);
	bid json := api.sealed_bid(api.proposal_find(p_slug), u.id);
begin
	if bid is null then
		perform api.fail(404, 'you have not bid on this proposal');
	end if;
	return bid;
end
$$;

-- Why p_slug takes no bid now: 404 or 409, saying when.
create function api.bid_refused(p_slug text) returns void
language plpgsql as $$
declare
	p proposals := api.proposal_find(p_slug);
begin
	if now() < p.opens_at then
		perform api.fail(409, format('bidding on this proposal opens '
		    'at %s', api.utc_iso(p.opens_at)));
	end if;
	perform api.fail(409, format('bidding on this proposal closed at %s',
	    api.utc_iso(p.closes_at)));
end
$$;

-- Before sealing a bid: who bids (the id goes inside the seal), and the
-- public key to seal it to.
create function api.bid_prepare(p_kind text, p_hash text, p_csrf text,
    p_slug text) returns json
language plpgsql as $$
declare
	u users := api.auth_user(p_kind, p_hash, p_csrf, 'editor');
	p proposals;
begin
	select * into p from proposals where slug = p_slug
	and now() >= opens_at and now() < closes_at
	and tally_started_at is null;
	if not found then
		perform api.bid_refused(p_slug);
	end if;
	return json_build_object('voter', u.id,
	    'public_key', encode(p.public_key, 'hex'));
end
$$;

-- PUT /api/v1/proposals/{slug}/bid: places or replaces the caller's bid.
-- The window is checked in the statement that writes the bid, on a
-- share-locked proposal row: a tally claims a proposal by updating that
-- row, so the claim waits for every bid in flight, and a bid that comes
-- after it finds the proposal claimed.  No bid lands after the tally read
-- them.
create function api.bid_put(p_kind text, p_hash text, p_csrf text,
    p_slug text, p_voter bigint, p_ciphertext text, p_receipt text)
returns json
language plpgsql as $$
declare
	u users := api.auth_user(p_kind, p_hash, p_csrf, 'editor');
	pid bigint;
begin
	if u.id <> p_voter then
		perform api.fail(409, 'you signed in as someone else while '
		    'bidding: bid again');
	end if;
	select id into pid from proposals where slug = p_slug
	and now() >= opens_at and now() < closes_at
	and tally_started_at is null
	for share;
	if not found then
		perform api.bid_refused(p_slug);
	end if;
	insert into bids (proposal_id, voter_id, ciphertext, receipt)
	values (pid, u.id, decode(p_ciphertext, 'hex'), p_receipt)
	on conflict (proposal_id, voter_id) do update
	set ciphertext = excluded.ciphertext, receipt = excluded.receipt,
	    placed_at = excluded.placed_at;
	return json_build_object('receipt', p_receipt);
end
$$;

-- POST /api/v1/proposals and /proposals/new.  p_fields holds what the
-- server checked: slug (and slug_derived when it came from the title),
-- title, project, description, cost (cents), currency, opens_at (may be
-- null: now), closes_at, tax_rule, payout_rule.  The key pair was made by
-- the server, its secret key wrapped under the master key p_master_key_id.
create function api.proposal_create(p_kind text, p_hash text, p_csrf text,
    p_fields json, p_public_key text, p_sealed_secret_key text,
    p_master_key_id text) returns json
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
begin
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
	    public_key, sealed_secret_key, master_key_id)
	values (s, f ->> 'title', f ->> 'project', f ->> 'description',
	    (f ->> 'cost')::bigint, f ->> 'currency', opens, closes,
	    f ->> 'tax_rule', f ->> 'payout_rule', u.id,
	    decode(p_public_key, 'hex'), decode(p_sealed_secret_key, 'hex'),
	    p_master_key_id)
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
		perform api.fail(404, case api.proposal_status(p)
		    when 'closed' then 'the bids are being tallied: the result '
			'is out in a moment'
		    else format('no result before the close, at %s',
			api.utc_iso(p.closes_at)) end);
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
	select u.name into me from sessions s join users u on u.id = s.user_id
	where s.hash = p_session and s.expires_at > now();
	select i into mine from json_array_elements(doc -> 'voters')
	    with ordinality as e(v, i) where v ->> 'voter' = me;
	return api.page_doc(p_session, api.with(api.with(api.proposal_item(p),
	    api.proposal_words(p)), json_build_object(
	    'adopt', r.adopt,
	    'tie', r.voters > 0 and r.total_net = 0,
	    'voters', r.voters,
	    'total_bid', api.money_text(case when r.voters > 0
		then r.total_net + p.cost else 0 end),
	    'total_cost', api.money_text(case when r.voters > 0
		then p.cost else 0 end),
	    'total_net', api.money_text(r.total_net),
	    'total_tax', api.money_text(r.total_tax),
	    'total_payout', api.money_text(r.total_payout),
	    'tallied', api.when(r.tallied_at),
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
