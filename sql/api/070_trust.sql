-- Trustees, the board and the parts (referenda-trust.md).
--
-- The server checks every signature, dealing and proof in C before it
-- calls a write here (the database has no ristretto255): these functions
-- check who may write what, and when, and keep each write one statement.

-- Who could open a bid before the close, in the contract's words.
create function api.readers_words(p proposals) returns text
language sql stable as $$
	select case p.readers
	    when 'operator' then 'the server''s operator (key file + database)'
	    else format('no one: only %s of its %s trustees together (%s), '
		'and they decrypt only after close', p.threshold,
		(select count(*) from proposal_trustees t
		    where t.proposal_id = p.id),
		(select string_agg(u.name, ', ' order by t.idx)
		    from proposal_trustees t join users u on u.id = t.user_id
		    where t.proposal_id = p.id)) end
$$;

-- Where a proposal's key and parts stand, for its page and its board:
-- the trustees who have not dealt, acknowledged or given parts.
create function api.trust_state(p proposals) returns json
language sql stable as $$
	select json_build_object(
	    'readers', p.readers,
	    'who_can_read', api.readers_words(p),
	    'threshold', p.threshold,
	    'key_ready', p.bid_key is not null,
	    'voided', p.voided_at is not null,
	    'voided_reason', p.voided_reason,
	    'voided_at', api.utc_iso(p.voided_at),
	    'trustees', (select json_agg(json_build_object('index', t.idx,
		'name', u.name, 'dealt', t.dealing is not null,
		'acked', t.ack is not null,
		'parts', (select case when tp.rejected is null then 'given'
		    else 'rejected' end from trustee_parts tp
		    where tp.proposal_id = p.id and tp.idx = t.idx),
		'parts_rejected', (select tp.rejected from trustee_parts tp
		    where tp.proposal_id = p.id and tp.idx = t.idx))
		order by t.idx)
		from proposal_trustees t join users u on u.id = t.user_id
		where t.proposal_id = p.id),
	    'parts_given', (select count(*) from trustee_parts tp
		where tp.proposal_id = p.id and tp.rejected is null),
	    'board_entries', (select count(*) from board_entries e
		where e.proposal_id = p.id))
$$;

-- GET /api/v1/proposals/{slug}/board: everything a verifier needs
-- (core/bulletin.h): the key set-up, the entries, and after the close the
-- parts.
create function api.board(p_slug text) returns json
language plpgsql stable as $$
declare
	p proposals := api.proposal_find(p_slug);
begin
	return json_build_object(
	    'proposal', p.slug,
	    'status', api.proposal_status(p),
	    'readers', p.readers,
	    'who_can_read', api.readers_words(p),
	    'threshold', p.threshold,
	    'trustees', coalesce((select json_agg(json_build_object(
		'index', t.idx, 'name', u.name,
		'public_key', api.b64(t.public_key),
		'dealing', api.b64(t.dealing), 'ack', api.b64(t.ack))
		order by t.idx)
		from proposal_trustees t join users u on u.id = t.user_id
		where t.proposal_id = p.id), '[]'),
	    'bid_key', api.b64(p.bid_key),
	    'board_key', (select api.b64(k.public_key) from board_keys k
		where k.id = p.board_key_id),
	    'max_bid', api.money_text(p.max_bid),
	    'electorate', p.electorate, 'roll', api.roll(p),
	    'closes_at', api.utc_iso(p.closes_at),
	    'entries', coalesce((select json_agg(json_build_object(
		'seq', e.seq, 'voter', u.name, 'at', api.utc_iso(e.at),
		'ciphertext', api.b64(e.ciphertext),
		'prev', encode(e.prev, 'hex'), 'hash', encode(e.hash, 'hex'),
		'signature', api.b64(e.signature)) order by e.seq)
		from board_entries e join users u on u.id = e.voter_id
		where e.proposal_id = p.id), '[]'),
	    'parts', coalesce((select json_agg(json_build_object(
		'index', tp.idx, 'trustee', u.name, 'parts', tp.parts,
		'rejected', tp.rejected) order by tp.idx)
		from trustee_parts tp
		left join proposal_trustees t on t.proposal_id = tp.proposal_id
		    and t.idx = tp.idx
		left join users u on u.id = t.user_id
		where tp.proposal_id = p.id), '[]'));
end
$$;

-- GET /api/v1/keys/board: the key that signs boards now, and every key
-- that has.
create function api.board_keys(p_current text) returns json
language sql stable as $$
	select json_build_object(
	    'key', (select api.b64(public_key) from board_keys
		where id = p_current),
	    'keys', coalesce((select json_agg(json_build_object('id', id,
		'key', api.b64(public_key), 'since', api.utc_iso(created_at))
		order by created_at) from board_keys), '[]'))
$$;

-- PUT /api/v1/account/trustee-key and the account page's form: the
-- server checked that it is a key.  Proposals keep the key their trustees
-- had when they were made.
create function api.trustee_key_put(p_kind text, p_hash text, p_csrf text,
    p_key text) returns json
language plpgsql as $$
declare
	u users := api.auth_user(p_kind, p_hash, p_csrf, 'editor');
begin
	update users set trustee_key = api.b64_bytes(p_key, 64, 'public_key')
	where id = u.id;
	return (api.account_doc(u.id)::jsonb || jsonb_build_object('notice',
	    'Your trustee key is saved: proposals made from now on may name '
	    'you as a trustee.'))::json;
end
$$;

-- The caller as a trustee of p_slug: its index, and what the server needs
-- to check what it sends (the trustees' keys, the dealings).
create function api.trustee_state(p_kind text, p_hash text, p_csrf text,
    p_slug text) returns json
language plpgsql as $$
declare
	u users := api.auth_user(p_kind, p_hash, p_csrf, 'editor');
	p proposals := api.proposal_find(p_slug);
	me proposal_trustees;
begin
	select * into me from proposal_trustees
	where proposal_id = p.id and user_id = u.id;
	if not found then
		perform api.fail(403, format('you are not a trustee of %s',
		    p.slug));
	end if;
	if p.voided_at is not null then
		perform api.fail(409, format('%s was voided: %s', p.slug,
		    p.voided_reason));
	end if;
	return json_build_object('slug', p.slug, 'index', me.idx,
	    'threshold', p.threshold, 'status', api.proposal_status(p),
	    'key_ready', p.bid_key is not null,
	    'dealt', me.dealing is not null, 'acked', me.ack is not null,
	    'trustees', (select json_agg(json_build_object(
		'public_key', api.b64(t.public_key),
		'dealing', api.b64(t.dealing)) order by t.idx)
		from proposal_trustees t where t.proposal_id = p.id));
end
$$;

-- POST /api/v1/proposals/{slug}/trustee-dealings: once, before bids.
create function api.trustee_deal(p_kind text, p_hash text, p_csrf text,
    p_slug text, p_index integer, p_dealing text) returns json
language plpgsql as $$
declare
	u users := api.auth_user(p_kind, p_hash, p_csrf, 'editor');
	p proposals := api.proposal_find(p_slug);
begin
	update proposal_trustees set dealing = decode(p_dealing, 'base64'),
	    dealt_at = now()
	where proposal_id = p.id and user_id = u.id and idx = p_index
	and dealing is null and p.voided_at is null;
	if not found then
		perform api.fail(409, 'you have dealt your shares of this '
		    'proposal already');
	end if;
	return api.trust_state(p);
end
$$;

-- POST /api/v1/proposals/{slug}/trustee-acks: the last acknowledgement
-- sets the bid key, in the same statement (the proposal's row is locked,
-- so two last ones cannot both miss each other).
create function api.trustee_ack(p_kind text, p_hash text, p_csrf text,
    p_slug text, p_index integer, p_ack text, p_bid_key text) returns json
language plpgsql as $$
declare
	u users := api.auth_user(p_kind, p_hash, p_csrf, 'editor');
	p proposals;
begin
	select * into p from proposals where slug = p_slug for update;
	if not found then
		perform api.proposal_find(p_slug);
	end if;
	if exists (select 1 from proposal_trustees
	    where proposal_id = p.id and dealing is null) then
		perform api.fail(409, 'not every trustee has dealt yet');
	end if;
	update proposal_trustees set ack = api.b64_bytes(p_ack, 64, 'ack'),
	    acked_at = now()
	where proposal_id = p.id and user_id = u.id and idx = p_index
	and ack is null and p.voided_at is null;
	if not found then
		perform api.fail(409, 'you have acknowledged this proposal''s '
		    'key already');
	end if;
	if not exists (select 1 from proposal_trustees
	    where proposal_id = p.id and ack is null) then
		update proposals set bid_key = api.b64_bytes(p_bid_key, 32,
		    'bid_key')
		where id = p.id;
	end if;
	return api.trust_state((select q from proposals q where q.id = p.id));
end
$$;

-- POST /api/v1/proposals/{slug}/trustee-parts: after the close, before
-- the tally; again when the tally found the last ones wrong.
create function api.trustee_parts_put(p_kind text, p_hash text,
    p_csrf text, p_slug text, p_parts json) returns json
language plpgsql as $$
declare
	u users := api.auth_user(p_kind, p_hash, p_csrf, 'editor');
	p proposals := api.proposal_find(p_slug);
	me smallint;
	bad json;
begin
	select idx into me from proposal_trustees
	where proposal_id = p.id and user_id = u.id;
	if not found then
		perform api.fail(403, format('you are not a trustee of %s',
		    p.slug));
	end if;
	if p.voided_at is not null or p.tallied_at is not null or
	    now() < p.closes_at then
		perform api.fail(409, case
		    when p.voided_at is not null then 'this proposal was voided'
		    when p.tallied_at is not null then 'this proposal is '
			'tallied: no part is needed'
		    else format('parts are given after the close, at %s',
			api.utc_iso(p.closes_at)) end);
	end if;
	if json_typeof(p_parts) <> 'array' then
		perform api.fail(422, 'parts: a list of {"seq", "part", '
		    '"proof"}');
	end if;
	select e into bad from json_array_elements(p_parts) e
	where json_typeof(e) <> 'object'
	or json_typeof(e -> 'seq') <> 'number'
	or (e ->> 'seq')::numeric not between 1 and 2147483647
	or (e ->> 'seq')::numeric <> trunc((e ->> 'seq')::numeric)
	or coalesce(length(e ->> 'part'), 0) <> 44
	or coalesce(length(e ->> 'proof'), 0) <> 88
	or (select count(*) from json_object_keys(e)) <> 3
	limit 1;
	if found then
		perform api.fail(422, format('parts: %s is not {"seq", "part": '
		    'base64 of 32 bytes, "proof": base64 of 64 bytes}',
		    left(bad::text, 200)));
	end if;
	-- Kept as the tally reads them: seq an integer, whatever its form.
	insert into trustee_parts (proposal_id, idx, parts)
	values (p.id, me, (select coalesce(jsonb_agg(jsonb_build_object(
	    'seq', (e ->> 'seq')::numeric::integer, 'part', e ->> 'part',
	    'proof', e ->> 'proof') order by i), '[]')
	    from json_array_elements(p_parts) with ordinality as t(e, i)))
	on conflict (proposal_id, idx) do update
	set parts = excluded.parts, posted_at = now(), rejected = null
	where trustee_parts.rejected is not null;
	if not found then
		perform api.fail(409, 'you have given your parts already');
	end if;
	return api.trust_state(p);
end
$$;

-- POST /api/v1/proposals/{slug}/void (admins): the proposal is not
-- tallied, its bids never opened; the reason is shown on its page.
create function api.proposal_void(p_kind text, p_hash text, p_csrf text,
    p_slug text, p_reason text) returns json
language plpgsql as $$
declare
	u users := api.auth_user(p_kind, p_hash, p_csrf, 'admin');
	p proposals := api.proposal_find(p_slug);
begin
	if length(coalesce(trim(p_reason), '')) not between 1 and 1000 then
		perform api.fail(422, 'reason: say why, in 1 to 1000 '
		    'characters');
	end if;
	update proposals set voided_at = now(), voided_reason = trim(p_reason),
	    voided_by = u.id, tally_started_at = coalesce(tally_started_at,
	    now())
	where id = p.id and voided_at is null and tallied_at is null;
	if not found then
		perform api.fail(409, case when p.tallied_at is not null
		    then 'a tallied proposal cannot be voided'
		    else 'this proposal was voided already' end);
	end if;
	perform api.release_all(p);
	return api.proposal(p.slug);
end
$$;

-- Why the result of a closed proposal is not out yet.
create function api.tally_waits(p proposals) returns text
language sql stable as $$
	select case when p.readers = 'operator' or (select count(*)
	    from trustee_parts tp where tp.proposal_id = p.id and
	    tp.rejected is null) >= p.threshold
	then 'the bids are being tallied: the result is out in a moment'
	else format('the tally waits for the trustees'' parts: %s of the %s '
	    'needed are in; not yet given by %s',
	    (select count(*) from trustee_parts tp where tp.proposal_id = p.id
		and tp.rejected is null), p.threshold,
	    (select string_agg(u.name || case when tp.rejected is not null
		then ' (their parts did not check: ' || tp.rejected || ')'
		else '' end, ', ' order by t.idx)
		from proposal_trustees t join users u on u.id = t.user_id
		left join trustee_parts tp on tp.proposal_id = t.proposal_id
		    and tp.idx = t.idx
		where t.proposal_id = p.id and
		(tp.idx is null or tp.rejected is not null))) end
$$;

-- The voter's entry that counts on p, or null: its receipt, and for a
-- proposal its operator reads, what the server needs to open it for the
-- voter alone ('sealed', which it never sends on).
create function api.own_entry(p proposals, p_voter bigint) returns json
language sql stable as $$
	select json_build_object('receipt', json_build_object('seq', e.seq,
	    'hash', encode(e.hash, 'hex'), 'signature', api.b64(e.signature)),
	    'placed_at', api.utc_iso(e.at), 'placed', api.when(e.at),
	    'sealed', case when p.readers = 'operator' then json_build_object(
		'voter', u.name, 'ciphertext', api.b64(e.ciphertext),
		'bid_key', api.b64(p.bid_key),
		'wrapped_key', api.b64(p.wrapped_key),
		'master_key_id', p.master_key_id, 'max_bid', p.max_bid) end)
	from board_entries e join users u on u.id = e.voter_id
	where e.proposal_id = p.id and e.voter_id = p_voter
	order by e.seq desc limit 1
$$;

-- GET /api/v1/proposals/{slug}/bid: the caller's bid that counts, and
-- its receipt.
create function api.own_bid(p_kind text, p_hash text, p_csrf text,
    p_slug text) returns json
language plpgsql as $$
declare
	u users := api.voter(p_kind, p_hash, p_csrf);
	bid json := api.own_entry(api.proposal_find(p_slug), u.id);
begin
	if bid is null then
		perform api.fail(404, 'you have not bid on this proposal');
	end if;
	return (bid::jsonb - 'placed')::json;
end
$$;

-- Whether p takes bids now: open, not voided, not claimed by a tally, and
-- with its bid key set.
create function api.takes_bids(p proposals) returns boolean
language sql stable as $$
	select p.voided_at is null and now() >= p.opens_at and
	    now() < p.closes_at and p.tally_started_at is null and
	    p.bid_key is not null
$$;

-- Why p takes no bid now: 409, saying why and when.
create function api.bid_refused(p proposals) returns void
language plpgsql as $$
begin
	perform api.fail(409, case
	    when p.voided_at is not null then format('this proposal was '
		'voided: %s', p.voided_reason)
	    when now() < p.opens_at then format('bidding on this proposal '
		'opens at %s', api.utc_iso(p.opens_at))
	    when now() >= p.closes_at or p.tally_started_at is not null then
		format('bidding on this proposal closed at %s',
		api.utc_iso(p.closes_at))
	    else format('bidding opens once every trustee has set up the bid '
		'key; not yet: %s', (select string_agg(u.name || case
		    when t.dealing is null then ' (to deal)'
		    else ' (to acknowledge)' end, ', ' order by t.idx)
		    from proposal_trustees t join users u on u.id = t.user_id
		    where t.proposal_id = p.id and t.ack is null)) end);
end
$$;

-- Before a bid is sealed and signed: who bids (the name goes into the
-- seal), the key to seal to, what the proposal's context is made of, and
-- where the board stands (the next seq, the hash it follows, the time the
-- entry will name).
create function api.bid_prepare(p_kind text, p_hash text, p_csrf text,
    p_slug text) returns json
language plpgsql as $$
declare
	u users := api.auth_user(p_kind, p_hash, p_csrf, 'editor');
	p proposals := api.proposal_find(p_slug);
	head board_entries;
begin
	if not api.takes_bids(p) then
		perform api.bid_refused(p);
	end if;
	if not api.on_roll(p, u.id) then
		perform api.bid_admit(p, u);
	end if;
	select * into head from board_entries where proposal_id = p.id
	order by seq desc limit 1;
	return json_build_object('voter', u.id, 'name', u.name,
	    'slug', p.slug, 'bid_key', api.b64(p.bid_key),
	    'threshold', p.threshold, 'max_bid', p.max_bid,
	    'board_key_id', p.board_key_id,
	    'trustee_keys', coalesce((select json_agg(api.b64(t.public_key)
		order by t.idx) from proposal_trustees t
		where t.proposal_id = p.id), '[]'),
	    'seq', coalesce(head.seq, 0) + 1,
	    'prev', encode(coalesce(head.hash, decode(repeat('00', 32),
		'hex')), 'hex'),
	    -- Whole seconds: the time of every entry is as long as any other.
	    'at', api.utc_iso(date_trunc('second', clock_timestamp())));
end
$$;

-- PUT /api/v1/proposals/{slug}/bid: appends the caller's sealed bid to the
-- board, as entry p_seq after the entry whose hash is p_prev, signed by
-- the board key p_board_key_id.  The proposal's row is locked: appends are
-- one at a time, and a tally, which claims a proposal by updating that
-- row, waits for those in flight; one that finds the board moved on
-- answers 409 with {"retry": true}, and the server seals and signs again.
create function api.bid_append(p_kind text, p_hash text, p_csrf text,
    p_slug text, p_voter bigint, p_seq integer, p_at text,
    p_ciphertext text, p_prev text, p_entry_hash text, p_signature text,
    p_board_key_id text) returns json
language plpgsql as $$
declare
	u users := api.auth_user(p_kind, p_hash, p_csrf, 'editor');
	p proposals;
	head board_entries;
begin
	if u.id <> p_voter then
		perform api.fail(409, 'you signed in as someone else while '
		    'bidding: bid again');
	end if;
	select * into p from proposals where slug = p_slug for update;
	if not found then
		perform api.proposal_find(p_slug);
	end if;
	if not api.takes_bids(p) then
		perform api.bid_refused(p);
	end if;
	if p.board_key_id is distinct from p_board_key_id then
		perform api.fail(409, 'this proposal''s board is signed with a '
		    'key this server does not hold now: it takes no bids until '
		    'the operator restores it');
	end if;
	select * into head from board_entries where proposal_id = p.id
	order by seq desc limit 1;
	if coalesce(head.seq, 0) + 1 <> p_seq or encode(coalesce(head.hash,
	    decode(repeat('00', 32), 'hex')), 'hex') <> p_prev then
		raise exception using errcode = 'FW409',
		    message = 'the board moved on while the bid was sealed',
		    detail = '{"retry": true}';
	end if;
	if p_at !~ '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?Z$' or
	    api.utc_iso(p_at::timestamptz) <> p_at or
	    p_at::timestamptz > now() + interval '1 second' or
	    p_at::timestamptz < now() - interval '1 minute' then
		perform api.fail(409, 'the bid took too long to seal: bid '
		    'again');
	end if;
	perform api.bid_admit(p, u);
	insert into board_entries (proposal_id, seq, voter_id, at, ciphertext,
	    prev, hash, signature)
	values (p.id, p_seq, u.id, p_at::timestamptz,
	    api.b64_bytes(p_ciphertext, 64, 'ciphertext'),
	    decode(p_prev, 'hex'), decode(p_entry_hash, 'hex'),
	    api.b64_bytes(p_signature, 64, 'signature'));
	return json_build_object('receipt', json_build_object('seq', p_seq,
	    'hash', p_entry_hash, 'signature', p_signature));
end
$$;
