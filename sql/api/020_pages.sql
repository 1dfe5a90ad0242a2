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

-- A page's document with the user beside it, in one statement, written
-- as json_build_object() writes it around a page that is JSON already.
create function api.page_doc(p_session bytea, p_page text) returns text
language sql stable as $$
	-- Without a session, no call to look for one.
	select concat('{"user" : ', coalesce(case when p_session is not null
	    then api.session_user(p_session) end::text, 'null'),
	    ', "page" : ', coalesce(p_page, 'null'), '}')
$$;

create function api.page_doc(p_session bytea, p_page json) returns json
language sql stable as $$
	select api.page_doc(p_session, p_page::text)::json
$$;
