-- Helpers shared by the read and write functions of the api schema.
--
-- Every function of the api schema answers a whole document as json, built
-- here so that numeric values keep their exact digits.  Errors are raised
-- with an SQLSTATE of the form FWnnn, where nnn is the HTTP status the
-- server answers with; the message is the problem's detail.

-- A fact value as JSON: a number with the stored digits, or the same digits
-- as a string for the pages and CSV, whose JSON parser would round numbers.
-- Stable as to_json() is, so that it is inlined: an immutable function whose
-- body is not is called anew for every value.
create function api.num(v numeric, as_text boolean) returns json
language sql stable parallel safe as $$
	select case when as_text then to_json(v::text) else to_json(v) end
$$;

create function api.fail(status integer, message text) returns void
language plpgsql as $$
begin
	raise exception using errcode = 'FW' || status::text, message = message;
end
$$;


-- Cursors are opaque to clients: base64url of a JSON array of sort keys.
create function api.cursor_encode(keys json) returns text
language sql immutable as $$
	select rtrim(translate(encode(convert_to(keys::text, 'UTF8'), 'base64'),
	    E'+/\n', '-_'), '=')
$$;

create function api.cursor_decode(cursor text) returns json
language plpgsql immutable as $$
declare
	keys json;
begin
	if cursor is null then
		return null;
	end if;
	keys := convert_from(decode(translate(cursor, '-_', '+/') ||
	    repeat('=', (4 - length(cursor) % 4) % 4), 'base64'), 'UTF8')::json;
	if json_typeof(keys) <> 'array' then
		raise exception 'not an array';
	end if;
	return keys;
exception when others then
	perform api.fail(400, 'cursor: not a cursor given out by this API');
end
$$;

-- A page of a list from its rows, fetched in order with one more than the
-- limit and numbered from 1 (n): the documents of the first lim (docs) and
-- the sort keys of rows lim and lim + 1 (tail).  The extra row only says
-- that there is more; the next page's cursor holds the keys of the last row
-- of this one.  A list builds its documents for the page's rows alone:
--   api.page(json_agg(doc order by n) filter (where n <= lim),
--       json_agg(keys order by n) filter (where n >= lim))
create function api.page(docs json, tail json) returns json
language sql immutable as $$
	select json_build_object('data', coalesce(docs, '[]'),
	    'next', case when json_array_length(tail) > 1
		then api.cursor_encode(tail -> 0) end)
$$;

create function api.user_name(id bigint) returns text
language sql stable as $$
	select name from users where users.id = user_name.id
$$;

-- bytea as base64 on one line (encode() breaks lines at 76 characters).
create function api.b64(b bytea) returns text
language sql immutable as $$
	select translate(encode(b, 'base64'), E'\n', '')
$$;

-- base64 of exactly n bytes, or 422 naming the member.
create function api.b64_bytes(p_text text, p_len integer, p_member text)
returns bytea
language plpgsql immutable as $$
declare
	b bytea;
begin
	begin
		b := decode(p_text, 'base64');
	exception when others then
		b := null;
	end;
	if b is null or octet_length(b) <> p_len then
		perform api.fail(422, format('%s: base64 of %s bytes', p_member,
		    p_len));
	end if;
	return b;
end
$$;
