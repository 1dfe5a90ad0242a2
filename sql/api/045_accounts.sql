-- Accounts on the web: registering, signing in and out, the account page
-- and its API tokens.  The server hashes and checks passwords itself, off
-- its event loop (app/account_pw.c): only argon2id strings, and BLAKE2b
-- hashes (hex) of session and API tokens, reach these functions.

-- Signing in is limited on failed attempts in the last 15 minutes, each
-- function answering the seconds until one more attempt is allowed, or
-- null while one is:
--   from one address at one account, with growing delays: after 3
--     failures 10 s from the last, doubling with each, up to 15 minutes;
--   at one account from anywhere, 10; from one address at any, 30;
--   from a browser that holds a device cookie of the account (OWASP):
--     none of those, which a guesser could run up to lock its owner out,
--     but 10 failures of that browser's own.
-- The lim-th newest failure is the one whose expiry brings a count under
-- lim.

-- Seconds until a failure at p_at is 15 minutes old.
create function api.login_wait_from(p_at timestamptz) returns integer
language sql stable as $$
	select ceil(extract(epoch from p_at + interval '15 minutes' -
	    now()))::integer
$$;

create function api.login_wait_name(p_name text) returns integer
language sql stable as $$
	select api.login_wait_from(f.at)
	from (select a.at from login_attempts a
	    where a.name = p_name and not a.ok and a.device is null
	    and a.at > now() - interval '15 minutes'
	    -- Signing in forgives the account's failures before it.
	    and a.at > coalesce((select max(s.at) from login_attempts s
		where s.name = p_name and s.ok), '-infinity')
	    order by a.at desc offset 9 limit 1) f
$$;

create function api.login_wait_address(p_address inet) returns integer
language sql stable as $$
	select api.login_wait_from(f.at)
	from (select a.at from login_attempts a
	    where a.address = p_address and not a.ok and a.device is null
	    and a.at > now() - interval '15 minutes'
	    order by a.at desc offset 29 limit 1) f
$$;

create function api.login_wait_pair(p_name text, p_address inet)
returns integer
language sql stable as $$
	select nullif(greatest(0, ceil(extract(epoch from max(f.at) +
	    make_interval(secs => least(900, 10 * 2 ^ (count(*) - 3))) -
	    now()))::integer), 0)
	from (select a.at from login_attempts a
	    where a.name = p_name and a.address = p_address and not a.ok
	    and a.device is null
	    and a.at > now() - interval '15 minutes'
	    and a.at > coalesce((select max(s.at) from login_attempts s
		where s.name = p_name and s.ok), '-infinity')) f
	having count(*) >= 3
$$;

create function api.login_wait_device(p_device bytea) returns integer
language sql stable as $$
	select api.login_wait_from(f.at)
	from (select a.at from login_attempts a
	    where a.device = p_device and not a.ok
	    and a.at > now() - interval '15 minutes'
	    order by a.at desc offset 9 limit 1) f
$$;

-- The first step of signing in, with the hash of the browser's device
-- cookie (or null): {"wait": seconds, "limit": "device", "pair",
-- "account" or "address"} when a limit is reached (nothing is recorded
-- then), else {"attempt": id, "hash": the argon2id string, or null when
-- the name has no account (the server then spends the same time on it as
-- on a password)}.  The attempt counts as failed until api.login_finish().
create function api.login_begin(p_name text, p_address inet,
    p_device text) returns json
language plpgsql as $$
declare
	key text := lower(p_name);
	u users;
	device bytea;
	waits integer[];
	limits text[] := array['pair', 'account', 'address'];
	i integer;
	attempt bigint;
begin
	-- Counting and recording are one step per name and per address, so
	-- that guesses sent at once cannot all pass the count.
	perform pg_advisory_xact_lock(hashtextextended('login name ' || key,
	    0));
	perform pg_advisory_xact_lock(hashtextextended('login address ' ||
	    host(p_address), 0));
	select * into u from users
	where lower(name) = key and role <> 'system'
	and password_hash is not null;
	select d.hash into device from trusted_devices d
	where d.hash = decode(p_device, 'hex') and d.user_id = u.id;
	if device is not null then
		waits := array[api.login_wait_device(device)];
		limits := array['device'];
	else
		waits := array[api.login_wait_pair(key, p_address),
		    api.login_wait_name(key), api.login_wait_address(p_address)];
	end if;
	for i in 1 .. array_length(waits, 1) loop
		if waits[i] is not null then
			return json_build_object('wait', (select max(w)
			    from unnest(waits) w), 'limit', limits[i]);
		end if;
	end loop;
	delete from login_attempts where at < now() - interval '1 day';
	insert into login_attempts (name, address, user_id, device)
	values (key, p_address, u.id, device)
	returning id into attempt;
	return json_build_object('attempt', attempt, 'hash', u.password_hash);
end
$$;

-- A new session of p_seconds for a user who just signed in or registered,
-- replacing the session the browser had (p_old, or null): a session token
-- is never carried over a sign-in.  The server chose the lifetime and sent
-- the cookie with it already.  Expired sessions, anyone's, go too.
create function api.session_open(p_user bigint, p_session text,
    p_csrf text, p_old text, p_seconds integer) returns void
language sql as $$
	delete from sessions where hash = decode(p_old, 'hex')
	or expires_at <= now();
	insert into sessions (hash, user_id, csrf, expires_at)
	values (decode(p_session, 'hex'), p_user, p_csrf,
	    now() + make_interval(secs => p_seconds));
$$;

-- The password of attempt p_attempt was right: open the session, and
-- trust the browser from now on (p_device: the hash of the device cookie
-- the server just sent it).  A year on, a device is trusted no more.
create function api.login_finish(p_attempt bigint, p_session text,
    p_csrf text, p_old text, p_seconds integer, p_device text) returns void
language plpgsql as $$
declare
	uid bigint;
begin
	update login_attempts set ok = true
	where id = p_attempt and not ok and user_id is not null
	and at > now() - interval '5 minutes'
	returning user_id into uid;
	if not found then
		perform api.fail(409, 'this sign-in took too long: '
		    'sign in again');
	end if;
	perform api.session_open(uid, p_session, p_csrf, p_old, p_seconds);
	delete from trusted_devices
	where user_id = uid and created_at < now() - interval '1 year';
	insert into trusted_devices (hash, user_id)
	values (decode(p_device, 'hex'), uid)
	on conflict (hash) do nothing;
end
$$;

-- Before a new account's password is hashed: {"taken": true} when the
-- name (in any case) is someone's already.
-- Ten accounts an hour from one address (sql/008_registrations.sql).
create function api.register_wait(p_address inet) returns integer
language sql stable as $$
	select ceil(extract(epoch from r.at + interval '1 hour' -
	    now()))::integer
	from (select at from registrations
	    where address = p_address and at > now() - interval '1 hour'
	    order by at desc offset 9 limit 1) r
$$;

-- Before the password is hashed: {"taken": whether the name is, "wait":
-- seconds until the address may make another account, or null}.
create function api.register_begin(p_name text, p_address inet)
returns json
language sql stable as $$
	select json_build_object('taken', exists (select 1 from users
	    where lower(name) = lower(p_name)),
	    'wait', api.register_wait(p_address))
$$;

-- A new account, role editor, signed in.
create function api.register(p_name text, p_hash text, p_address inet,
    p_session text, p_csrf text, p_old text, p_seconds integer) returns void
language plpgsql as $$
declare
	uid bigint;
begin
	delete from registrations where at < now() - interval '1 day';
	insert into registrations (address) values (p_address);
	insert into users (name, password_hash) values (p_name, p_hash)
	on conflict do nothing
	returning id into uid;
	if uid is null then
		perform api.fail(409, format('the name %s was taken a moment '
		    'ago: choose another', p_name));
	end if;
	perform api.session_open(uid, p_session, p_csrf, p_old, p_seconds);
end
$$;

-- Signing out ends the session.  One that has ended already needs no CSRF
-- token to be forgotten; a live one does, like every other form.
create function api.logout(p_session text, p_csrf text) returns void
language plpgsql as $$
begin
	if exists (select 1 from sessions where hash = decode(p_session, 'hex')
	    and expires_at > now()) then
		perform api.auth_user('session', p_session, p_csrf, 'editor');
	end if;
	delete from sessions where hash = decode(p_session, 'hex');
end
$$;

create function api.account_time(t timestamptz) returns text
language sql stable as $$
	select to_char(t at time zone 'UTC', 'YYYY-MM-DD HH24:MI "UTC"')
$$;

-- The account page of user p_user: the API tokens in use, then the 20 last
-- revoked; admin says whether to show the form that gives roles.
create function api.account_doc(p_user bigint) returns json
language sql stable as $$
	select json_build_object('name', u.name, 'role', u.role,
	    'since', api.account_time(u.created_at),
	    'admin', u.role = 'admin', 'trustee_key', api.b64(u.trustee_key),
	    'tokens', coalesce((select json_agg(json_build_object(
		'id', t.id, 'label', t.label,
		'created', api.account_time(t.created_at),
		'last_used', api.account_time(t.last_used_at),
		'revoked', api.account_time(t.revoked_at))
		order by t.revoked_at is not null, t.revoked_at desc, t.id desc)
		from ((select * from api_tokens
		    where user_id = u.id and revoked_at is null)
		union all
		(select * from api_tokens
		    where user_id = u.id and revoked_at is not null
		    order by revoked_at desc limit 20)) t), '[]'))
	from users u where u.id = p_user
$$;

-- The account page of the session's user, with the members of p_form (a
-- form shown again: what was typed, errors) added; null when signed out.
create function api.account(p_session bytea, p_form json) returns json
language sql stable as $$
	select (api.account_doc(s.user_id)::jsonb ||
	    coalesce(p_form::jsonb, '{}'))::json
	from sessions s where s.hash = p_session and s.expires_at > now()
$$;

-- A new API token (p_token is its hash): the account page, with the new
-- token as "created": {id, label, nonce}.  The server made the token from
-- p_nonce and a key of its own, and makes it again from the nonce to show
-- it once: the token itself never reaches the database.
create function api.token_create(p_kind text, p_hash text, p_csrf text,
    p_token text, p_label text, p_nonce text) returns json
language plpgsql as $$
declare
	u users := api.auth_user(p_kind, p_hash, p_csrf, 'editor');
	id bigint;
begin
	if (select count(*) from api_tokens
	    where user_id = u.id and revoked_at is null) >= 100 then
		perform api.fail(409, 'you have 100 API tokens in use: '
		    'revoke one first');
	end if;
	insert into api_tokens (user_id, hash, label)
	values (u.id, decode(p_token, 'hex'), p_label)
	returning api_tokens.id into id;
	return (api.account_doc(u.id)::jsonb || jsonb_build_object('created',
	    jsonb_build_object('id', id, 'label', p_label,
	    'nonce', p_nonce)))::json;
end
$$;

-- Revoking is for good, and doing it twice is no error: the account page,
-- with a notice.
create function api.token_revoke(p_kind text, p_hash text, p_csrf text,
    p_id bigint) returns json
language plpgsql as $$
declare
	u users := api.auth_user(p_kind, p_hash, p_csrf, 'editor');
	label text;
begin
	update api_tokens set revoked_at = coalesce(revoked_at, now())
	where id = p_id and user_id = u.id
	returning api_tokens.label into label;
	if not found then
		perform api.fail(404, format('you have no API token number %s',
		    p_id));
	end if;
	return (api.account_doc(u.id)::jsonb || jsonb_build_object('notice',
	    format('The token %s is revoked: it opens nothing any more.',
	    case when label = '' then 'number ' || p_id
		else '“' || label || '”' end)))::json;
end
$$;

-- An admin gives user p_name role p_role: the account page, with a
-- notice.  Not to themselves: an admin who took away their own role could
-- leave the site with none.
create function api.role_set(p_kind text, p_hash text, p_csrf text,
    p_name text, p_role text) returns json
language plpgsql as $$
declare
	u users := api.auth_user(p_kind, p_hash, p_csrf, 'admin');
	target text;
begin
	if lower(p_name) = lower(u.name) then
		perform api.fail(409, 'you cannot change your own role: '
		    'ask another admin');
	end if;
	update users set role = p_role
	where lower(name) = lower(p_name) and role <> 'system'
	returning name into target;
	if not found then
		perform api.fail(404, format('there is no user named %s',
		    p_name));
	end if;
	return (api.account_doc(u.id)::jsonb || jsonb_build_object('notice',
	    format('%s is now %s %s.', target,
	    case when p_role = 'admin' then 'an' else 'a' end, p_role)))::json;
end
$$;

-- Who the credentials belong to, for GET /api/v1/me.  A read: a session
-- needs no CSRF token for it.
create function api.me(p_kind text, p_hash text, p_csrf text) returns json
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
	else
		u := api.auth_user(p_kind, p_hash, p_csrf, 'editor');
	end if;
	return json_build_object('name', u.name, 'role', u.role,
	    'credentials', p_kind);
end
$$;
