-- What every page needs besides its own document: who is signed in.

-- The user of a session (its hash), or null: name, role, CSRF token, and
-- whether pages show the curators' buttons (templates cannot compare).
create function api.session_user(p_session bytea) returns json
language plpgsql stable as $$
begin
	return (select json_build_object('name', u.name, 'role', u.role,
	    'csrf', s.csrf, 'curator', u.role in ('curator', 'admin'),
	    'admin', u.role = 'admin')
	    from sessions s join users u on u.id = s.user_id
	    where s.hash = p_session and s.expires_at > now());
end
$$;

-- A page's document with the user beside it, in one statement.
create function api.page_doc(p_session bytea, p_page json) returns json
language sql stable as $$
	select json_build_object('user', api.session_user(p_session),
	    'page', p_page)
$$;
