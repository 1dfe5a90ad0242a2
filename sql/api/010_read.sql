-- Read functions behind GET /api/v1/... and the pages.  Each takes validated
-- parameters (the server checks their syntax first) and answers one json
-- document.  Lists are ordered by a unique key and paged by keyset cursors.

-- The place or variable a path names, or 404 (as api.proposal_find()).
-- The row of a slug, or 404.  In plpgsql, whose plans are kept for the
-- session: a SQL function that is not inlined is planned at every call.
create function api.place_find(p_slug text) returns places
language plpgsql stable as $$
declare
	p places;
begin
	select * into p from places where slug = p_slug;
	if not found then
		perform api.fail(404, format('no place %L', p_slug));
	end if;
	return p;
end
$$;

create function api.variable_find(p_slug text) returns variables
language plpgsql stable as $$
declare
	v variables;
begin
	select * into v from variables where slug = p_slug;
	if not found then
		perform api.fail(404, format('no variable %L', p_slug));
	end if;
	return v;
end
$$;

-- A document with more members: what pages add to the API's documents.
create function api.with(doc json, extra json) returns json
language sql immutable as $$
	select json_object_agg(key, value) from (
	    select * from json_each(doc)
	    union all select * from json_each(extra)) kv
$$;

-- A moment as pages show it, the same for every reader.  Stable, as
-- to_char() is: a function marked more than what it calls is not inlined.
create function api.when(t timestamptz) returns text
language sql stable as $$
	select to_char(t at time zone 'UTC', 'YYYY-MM-DD HH24:MI "UTC"')
$$;

create function api.places(p_q text, p_kind text, p_limit integer,
    p_cursor text, p_text boolean) returns json
language plpgsql stable as $$
declare
	after text := api.cursor_decode(p_cursor) ->> 0;
	page json;
begin
	select api.page(json_agg(json_build_object('slug', p.slug,
	    'name', p.name, 'kind', p.kind, 'parent', pp.slug) order by p.n)
	    filter (where p.n <= p_limit),
	    json_agg(json_build_array(p.slug) order by p.n)
	    filter (where p.n >= p_limit))
	into page
	from (select *, row_number() over (order by slug) as n from places
	    where (after is null or slug > after)
	    and (p_kind is null or kind = p_kind)
	    and (p_q is null or strpos(lower(name), lower(p_q)) > 0
		or strpos(slug, lower(p_q)) > 0)
	    order by slug limit p_limit + 1) p
	left join places pp on pp.id = p.parent_id;
	if not p_text then
		return page;
	end if;
	-- The page's kind filter: each kind, how many, which is chosen.
	return api.with(page, json_build_object('kinds', (select json_agg(
	    json_build_object('kind', k, 'selected', k is not distinct from p_kind,
		'count', (select count(*) from places where kind = k))
	    order by n)
	    from unnest(array['country', 'region', 'city', 'world',
		'other']) with ordinality u(k, n))));
end
$$;

create function api.place(p_slug text, p_text boolean) returns json
language plpgsql stable as $$
declare
	doc json;
begin
	select json_build_object('slug', p.slug, 'name', p.name,
	    'kind', p.kind,
	    'parent', (select json_build_object('slug', pp.slug,
		'name', pp.name) from places pp where pp.id = p.parent_id),
	    'description', p.description,
	    'updated_at', p.updated_at,
	    'variables', coalesce((select json_agg(json_build_object(
		'slug', v.slug, 'name', v.name, 'unit', v.unit,
		'first_year', s.first_year, 'last_year', s.last_year,
		'count', s.n,
		'latest', json_build_object('year', s.last_year,
		    'value', api.num(s.latest, p_text)),
		-- For the page's sparklines: the series, values as text.
		'series', case when p_text then json_build_object(
		    'place', json_build_object('slug', p.slug, 'name', p.name),
		    'variable', json_build_object('slug', v.slug,
			'name', v.name, 'unit', v.unit),
		    'observations', s.observations) end)
		order by v.slug)
		from (select f.variable_id, min(f.year) as first_year,
		    max(f.year) as last_year, count(*) as n,
		    (array_agg(f.value order by f.year desc))[1] as latest,
		    json_agg(json_build_object('year', f.year,
			'value', f.value::text) order by f.year)
			filter (where p_text) as observations
		    from facts f where f.place_id = p.id
		    group by f.variable_id) s
		join variables v on v.id = s.variable_id), '[]'))
	into doc
	from places p where p.slug = p_slug;
	if doc is null then
		perform api.fail(404, format('no place %L', p_slug));
	end if;
	return doc;
end
$$;

create function api.variables(p_q text, p_limit integer, p_cursor text)
returns json
language plpgsql stable as $$
declare
	after text := api.cursor_decode(p_cursor) ->> 0;
begin
	return (select api.page(json_agg(json_build_object('slug', v.slug,
	    'name', v.name, 'unit', v.unit) order by v.n)
	    filter (where v.n <= p_limit),
	    json_agg(json_build_array(v.slug) order by v.n)
	    filter (where v.n >= p_limit))
	    from (select *, row_number() over (order by slug) as n
		from variables
		where (after is null or slug > after)
		and (p_q is null or strpos(lower(name), lower(p_q)) > 0
		    or strpos(slug, lower(p_q)) > 0)
		order by slug limit p_limit + 1) v);
end
$$;

create function api.variable(p_slug text) returns json
language plpgsql stable as $$
declare
	doc json;
begin
	select json_build_object('slug', v.slug, 'name', v.name,
	    'unit', v.unit, 'description', v.description,
	    'updated_at', v.updated_at,
	    'places', coalesce((select json_agg(json_build_object(
		'slug', p.slug, 'name', p.name, 'kind', p.kind,
		'first_year', s.first_year, 'last_year', s.last_year,
		'count', s.n) order by p.slug)
		from (select f.place_id, min(f.year) as first_year,
		    max(f.year) as last_year, count(*) as n
		    from facts f where f.variable_id = v.id
		    group by f.place_id) s
		join places p on p.id = s.place_id), '[]'))
	into doc
	from variables v where v.slug = p_slug;
	if doc is null then
		perform api.fail(404, format('no variable %L', p_slug));
	end if;
	return doc;
end
$$;

create function api.source_doc(s sources) returns json
language sql stable as $$
	select json_build_object('id', s.id, 'title', s.title, 'url', s.url,
	    'publisher', s.publisher, 'published', s.published,
	    'accessed', s.accessed)
$$;

create function api.sources(p_q text, p_limit integer, p_cursor text)
returns json
language plpgsql stable as $$
declare
	after bigint := (api.cursor_decode(p_cursor) ->> 0)::bigint;
begin
	return (select api.page(json_agg(api.source_doc(r.s) order by r.n)
	    filter (where r.n <= p_limit),
	    json_agg(json_build_array((r.s).id) order by r.n)
	    filter (where r.n >= p_limit))
	    from (select s, row_number() over (order by s.id) as n
		from sources s
		where (after is null or id > after)
		and (p_q is null or strpos(lower(title), lower(p_q)) > 0
		    or strpos(lower(url), lower(p_q)) > 0)
		order by id limit p_limit + 1) r);
end
$$;

create function api.source(p_id bigint, p_limit integer, p_cursor text,
    p_text boolean) returns json
language plpgsql stable as $$
declare
	src sources;
	backed json;
begin
	select * into src from sources where id = p_id;
	if not found then
		perform api.fail(404, format('no source %s', p_id));
	end if;
	backed := api.facts(null, null, null, null, p_id, p_limit, p_cursor,
	    p_text);
	return (select json_object_agg(key, value) from (
	    select * from json_each(api.source_doc(src))
	    union all values ('notes', to_json(src.notes)),
		('facts_count', (select to_json(count(*)) from facts
		    where source_id = p_id)),
		('facts', backed -> 'data'), ('next', backed -> 'next')) kv);
end
$$;

-- One fact as the API shows it, from its row, its place's and variable's
-- slugs, the variable's unit, its source's reference (api.source_ref())
-- and when and by whom it was last changed, as JSON: a list makes these
-- once per source and change.  Of scalars, not rows, so that it is inlined:
-- a call per fact took most of a list's time.
create function api.fact_doc(p_place text, p_variable text, p_year smallint,
    p_value numeric, p_unit text, p_source json, p_note text,
    p_revision integer, p_at json, p_by json, p_text boolean) returns json
language sql stable as $$
	select json_build_object('place', p_place, 'variable', p_variable,
	    'year', p_year, 'value', api.num(p_value, p_text), 'unit', p_unit,
	    'source', p_source, 'note', p_note, 'revision', p_revision,
	    'updated_at', p_at, 'updated_by', p_by)
$$;

create function api.source_ref(s sources) returns json
language sql stable as $$
	select json_build_object('id', s.id, 'title', s.title, 'url', s.url)
$$;

-- Planned with each call's values (plan_cache_mode): the one plan for
-- every filter that plpgsql would keep after five calls scanned all facts.
create function api.facts(p_places text[], p_variables text[], p_from integer,
    p_to integer, p_source bigint, p_limit integer, p_cursor text,
    p_text boolean) returns json
language plpgsql stable set plan_cache_mode = force_custom_plan as $$
declare
	after json := api.cursor_decode(p_cursor);
	a_place text := after ->> 0;
	a_variable text := after ->> 1;
	a_year integer := (after ->> 2)::integer;
	place_ids bigint[];
	variable_ids bigint[];
	missing text;
begin
	if p_places is not null then
		select array_agg(p.id), (array_agg(w.slug)
		    filter (where p.id is null))[1]
		into place_ids, missing
		from unnest(p_places) w(slug)
		left join places p on p.slug = w.slug;
		if missing is not null then
			perform api.fail(404, format('no place %L', missing));
		end if;
	end if;
	if p_variables is not null then
		select array_agg(v.id), (array_agg(w.slug)
		    filter (where v.id is null))[1]
		into variable_ids, missing
		from unnest(p_variables) w(slug)
		left join variables v on v.slug = w.slug;
		if missing is not null then
			perform api.fail(404,
			    format('no variable %L', missing));
		end if;
	end if;
	if p_source is not null and
	    not exists (select 1 from sources where id = p_source) then
		perform api.fail(404, format('no source %s', p_source));
	end if;

	-- Sort and cut on the keys alone, then number the rows (a bounded
	-- sort); build documents for one page only, and what a source and a
	-- change give once for each.
	return (
	    with cut as (select f.*, p.slug::text as place,
		v.slug::text as variable, v.unit
		from facts f
		join places p on p.id = f.place_id
		join variables v on v.id = f.variable_id
		where (place_ids is null or f.place_id = any (place_ids))
		and (variable_ids is null or
		    f.variable_id = any (variable_ids))
		and (p_from is null or f.year >= p_from)
		and (p_to is null or f.year <= p_to)
		and (p_source is null or f.source_id = p_source)
		and (after is null or (p.slug, v.slug, f.year) >
		    (a_place, a_variable, a_year))
		order by p.slug, v.slug, f.year
		limit p_limit + 1),
	    k as (select *, row_number() over (order by place, variable,
		year) as n from cut),
	    src as materialized (select s.id, api.source_ref(s) as ref
		from sources s where s.id in (select source_id from k)),
	    chg as materialized (select c.id, to_json(c.at) as at,
		to_json(u.name) as by
		from changes c join users u on u.id = c.user_id
		where c.id in (select change_id from k))
	    select api.page(json_agg(api.fact_doc(k.place, k.variable, k.year,
		k.value, k.unit, s.ref, k.note, k.revision, c.at, c.by,
		p_text) order by k.n) filter (where k.n <= p_limit),
		json_agg(json_build_array(k.place, k.variable, k.year)
		order by k.n) filter (where k.n >= p_limit))
	    from k
	    join src s on s.id = k.source_id
	    join chg c on c.id = k.change_id);
end
$$;

-- The observations of a series, now or as they stood after change p_as_of:
-- then each year's latest revision up to that change, unless it deleted
-- the fact.  Inlined where it is called: a generic plan keeps both
-- branches, and runs the one that as_of chooses.
create function api.series_obs(p_place bigint, p_variable bigint,
    p_from integer, p_to integer, p_as_of bigint)
returns table (year smallint, value numeric, source_id bigint, note text,
    revision integer, change_id bigint)
language sql stable as $$
	select f.year, f.value, f.source_id, f.note, f.revision, f.change_id
	from facts f
	where p_as_of is null
	and f.place_id = p_place and f.variable_id = p_variable
	and (p_from is null or f.year >= p_from)
	and (p_to is null or f.year <= p_to)
	union all
	select r.year, r.new_value, r.new_source_id, r.new_note, r.revision,
	    r.change_id
	from (select distinct on (r.year) r.* from fact_revisions r
	    where p_as_of is not null
	    and r.place_id = p_place and r.variable_id = p_variable
	    and r.change_id <= p_as_of
	    and (p_from is null or r.year >= p_from)
	    and (p_to is null or r.year <= p_to)
	    order by r.year, r.revision desc) r
	where r.new_value is not null
$$;

-- What a series' path or as_of names and is not there: 404, the place
-- first; else null, and the caller builds the series.
create function api.series_absent(p_place text, p_variable text,
    p_as_of bigint, p_has_place boolean, p_has_variable boolean)
returns json
language plpgsql stable as $$
begin
	if not p_has_place then
		perform api.fail(404, format('no place %L', p_place));
	end if;
	if not p_has_variable then
		perform api.fail(404, format('no variable %L', p_variable));
	end if;
	if p_as_of is not null and
	    not exists (select 1 from changes where id = p_as_of) then
		perform api.fail(404, format('no change %s', p_as_of));
	end if;
	return null;
end
$$;

-- The observations of a series and their sources, as its JSON gives them:
-- one pass over its rows.  A series document keeps them as they stand now
-- (090_series_docs.sql).
create function api.series_parts(p_place bigint, p_variable bigint,
    p_from integer, p_to integer, p_as_of bigint, p_text boolean)
returns table (observations json, sources json)
language sql stable as $$
	select json_agg(json_build_object(
		'year', o.year, 'value', api.num(o.value, p_text),
		'source', o.source_id, 'note', o.note,
		'revision', o.revision, 'updated_at', c.at)
		order by o.year),
	    (select json_agg(json_build_object('id', s.id,
		'title', s.title, 'url', s.url) order by s.id)
		from sources s
		where s.id = any (array_agg(o.source_id)))
	from api.series_obs(p_place, p_variable, p_from, p_to, p_as_of) o
	join changes c on c.id = o.change_id
$$;

-- The same, called rather than inlined: a plan that holds it inlined sets
-- up all its joins at every run, when most runs read a document instead.
create function api.series_parts_called(p_place bigint, p_variable bigint,
    p_from integer, p_to integer, p_as_of bigint, p_text boolean)
returns table (observations text, sources text)
language plpgsql stable rows 1 as $$
begin
	return query select a.observations::text, a.sources::text
	    from api.series_parts(p_place, p_variable, p_from, p_to,
	    p_as_of, p_text) a;
end
$$;

-- A series now or as of a change.  One SQL statement that returns a row:
-- called in FROM, it is inlined into the calling statement, and the
-- server's prepared statement plans it once (the page's too).  Place and
-- variable are looked up once; the whole series now, as numbers, is its
-- document when it has one, else one pass over its rows;
-- api.series_absent runs only when something may be missing.  Its JSON is
-- written as json_build_object() writes it, around parts that are JSON
-- already: a document's text is never parsed again.
create function api.series(p_place text, p_variable text, p_from integer,
    p_to integer, p_as_of bigint, p_text boolean) returns setof text
language sql stable as $$
	select coalesce(case when p.id is null or v.id is null or
	    p_as_of is not null then api.series_absent(p_place, p_variable,
	    p_as_of, p.id is not null, v.id is not null)::text end,
	    concat('{"place" : ', json_build_object('slug', p.slug,
		'name', p.name),
	    ', "variable" : ', json_build_object('slug', v.slug,
		'name', v.name, 'unit', v.unit),
	    ', "observations" : ', coalesce(o.observations, '[]'),
	    ', "sources" : ', coalesce(o.sources, '[]'), '}'))
	from (values (1)) one
	left join places p on p.slug = p_place
	left join variables v on v.slug = p_variable
	left join series_docs d on not p_text and p_from is null and
	    p_to is null and p_as_of is null and d.place_id = p.id and
	    d.variable_id = v.id
	left join lateral (select d.observations, d.sources
		where d.place_id is not null
		union all
		select * from api.series_parts_called(p.id, v.id, p_from,
		    p_to, p_as_of, p_text)
		where d.place_id is null) o on true
$$;

create function api.fact_history(p_place text, p_variable text,
    p_year integer, p_text boolean) returns json
language plpgsql stable as $$
declare
	doc json;
begin
	select json_build_object('place', p.slug, 'variable', v.slug,
	    'year', p_year, 'unit', v.unit,
	    'revisions', json_agg(json_build_object(
		'revision', r.revision, 'action', r.action,
		'change', c.id, 'at', c.at,
		'user', api.user_name(c.user_id), 'comment', c.comment,
		'old', case when r.old_value is not null then
		    json_build_object('value', api.num(r.old_value, p_text),
			'source', r.old_source_id, 'note', r.old_note) end,
		'new', case when r.new_value is not null then
		    json_build_object('value', api.num(r.new_value, p_text),
			'source', r.new_source_id, 'note', r.new_note) end)
		order by r.revision desc))
	into doc
	from places p
	join variables v on v.slug = p_variable
	join fact_revisions r on r.place_id = p.id and r.variable_id = v.id
	    and r.year = p_year
	join changes c on c.id = r.change_id
	where p.slug = p_place
	group by p.slug, v.slug, v.unit;
	if doc is null then
		perform api.fail(404, format('no fact %s/%s/%s', p_place,
		    p_variable, p_year));
	end if;
	return doc;
end
$$;

-- Changes, newest first: of kind p_kind, by user p_user, when given.  For
-- the pages (p_text), the kinds to filter by, the one chosen selected.
create function api.changes(p_limit integer, p_cursor text, p_text boolean,
    p_kind text default null, p_user text default null)
returns json
language plpgsql stable as $$
declare
	after bigint := (api.cursor_decode(p_cursor) ->> 0)::bigint;
	uid bigint;
	page json;
begin
	if p_user is not null then
		select id into uid from users where name = p_user;
		if not found then
			perform api.fail(404, format('no user %L', p_user));
		end if;
	end if;
	select api.page(json_agg(case when not p_text then d.doc
	    -- Pages: a readable time, a title and where to read more.
	    else api.with(d.doc, json_build_object('when', api.when(c.at),
		'title', coalesce(one.title, d.doc -> 'subject' ->> 'title',
		    initcap(c.kind) || coalesce(': ' ||
		    to_char(nullif(c.facts_added + c.facts_updated +
		    c.facts_deleted, 0), 'FM999,999,999,990') || ' facts', '')),
		'href', coalesce(d.doc -> 'subject' ->> 'href',
		    case when one.place is not null then
		    format('/facts/%s/%s/%s/history',
		    one.place, one.variable, one.year) end, '/changes/' || c.id)))
	    end order by c.n) filter (where c.n <= p_limit),
	    json_agg(json_build_array(c.id) order by c.n)
	    filter (where c.n >= p_limit))
	into page
	from (select *, row_number() over (order by id desc) as n from changes
	    where (after is null or id < after)
	    and (p_kind is null or kind = p_kind)
	    and (uid is null or user_id = uid)
	    order by id desc limit p_limit + 1) c
	-- A change of a single fact names it, so a reader sees what changed.
	left join lateral (select p.slug as place, v.slug as variable, r.year,
		format('%s, %s, %s', p.name, v.name, r.year) as title,
		json_build_object('place', p.slug,
		'variable', v.slug, 'year', r.year, 'revision', r.revision,
		'action', r.action,
		'old', api.num(r.old_value, p_text),
		'new', api.num(r.new_value, p_text)) as doc
	    from fact_revisions r
	    join places p on p.id = r.place_id
	    join variables v on v.id = r.variable_id
	    where r.change_id = c.id
	    and c.facts_added + c.facts_updated + c.facts_deleted = 1
	    -- Its one revision; the limit also keeps the planner from joining
	    -- every revision of every change (an import writes millions).
	    limit 1) one
	    on true
	cross join lateral (select json_build_object('id', c.id, 'at', c.at,
	    'user', api.user_name(c.user_id), 'kind', c.kind,
	    'comment', c.comment, 'facts_added', c.facts_added,
	    'facts_updated', c.facts_updated,
	    'facts_deleted', c.facts_deleted,
	    'fact', one.doc,
	    -- A place, variable or source edited, a series protected.
	    'subject', api.change_subject(c.id)) as doc) d;
	if not p_text then
		return page;
	end if;
	return api.with(page, json_build_object('kinds', (select json_agg(json_build_object(
		'kind', k, 'selected', k = p_kind) order by n)
		from unnest('{edit,delete,revert,import,protect,unprotect}'
		    ::text[]) with ordinality t(k, n))));
end
$$;

-- Facts in the CSV import format, ordered; `factwiki export` streams it.
-- A plain SQL function, so that it is inlined and streams too.
create function api.export_rows(p_place text, p_variable text,
    p_from integer, p_to integer)
returns table (place text, variable text, year smallint, value numeric,
    unit text, source text, source_title text, note text)
language sql stable as $$
	select p.slug, v.slug, f.year, f.value, v.unit,
	    coalesce(s.url, '#' || s.id), s.title, f.note
	from facts f
	join places p on p.id = f.place_id
	join variables v on v.id = f.variable_id
	join sources s on s.id = f.source_id
	where (p_place is null or p.slug = p_place)
	and (p_variable is null or v.slug = p_variable)
	and (p_from is null or f.year >= p_from)
	and (p_to is null or f.year <= p_to)
	order by p.slug, v.slug, f.year
$$;
