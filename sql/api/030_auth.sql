-- Who is writing.  Every write function starts by calling api.auth_user()
-- with the credentials the server passes on, so that checking them and the
-- write are one statement.

create function api.role_rank(role text) returns integer
language sql immutable as $$
	select case role when 'editor' then 1 when 'curator' then 2
	    when 'admin' then 3 else 0 end
$$;

-- p_kind: 'session' (a cookie; p_csrf must be that session's token, which
-- every form carries) or 'token' (Authorization: Bearer; no CSRF, since a
-- browser never sends it on its own).  p_hash: hex BLAKE2b of the cookie
-- or token.  p_role: the least role the write needs.
create function api.auth_user(p_kind text, p_hash text, p_csrf text,
    p_role text) returns users
language plpgsql as $$
declare
	u users;
	uid bigint;
	want text;
begin
	if p_kind = 'session' then
		select user_id, csrf into uid, want from sessions
		where hash = decode(p_hash, 'hex') and expires_at > now();
		if not found then
			perform api.fail(401,
			    'sign in first: your session has ended');
		end if;
		if p_csrf is null or p_csrf <> want then
			perform api.fail(403, 'this form is out of date '
			    '(its CSRF token does not match): reload the page '
			    'and try again');
		end if;
	elsif p_kind = 'token' then
		update api_tokens set last_used_at = now()
		where hash = decode(p_hash, 'hex') and revoked_at is null
		returning user_id into uid;
		if not found then
			perform api.fail(401, 'this API token is not valid '
			    '(revoked, or never made)');
		end if;
	else
		perform api.fail(401, 'sign in, or send an API token '
		    '(Authorization: Bearer ...)');
	end if;
	select * into u from users where id = uid;
	if api.role_rank(u.role) < api.role_rank(p_role) then
		perform api.fail(403, format('this needs the %s role', p_role));
	end if;
	return u;
end
$$;
