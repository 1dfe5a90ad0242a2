-- What the reading pages need beyond the API's documents: the home page,
-- search, a variable's place x year table and comparison chart, a series
-- and a fact as they stood at a change (for citations), a fact's history
-- with diffs, one change, the Atom feed and the standalone charts.  Each
-- page is one call of one of these.

-- The home page: counts, ways in, the latest changes.
create function api.home(p_text boolean) returns json
language sql stable as $$
	select json_build_object(
	    'counts', json_build_object(
		'places', (select count(*) from places),
		'variables', (select count(*) from variables),
		'sources', (select count(*) from sources),
		-- Every change counts the facts it adds (restores included)
		-- and deletes: their sum is exact and costs a scan of the
		-- changes, where count(*) would read a million facts.
		'facts', (select coalesce(sum(facts_added - facts_deleted), 0)
		    from changes)),
	    'kinds', (select coalesce(json_agg(json_build_object('kind', kind,
		'count', n) order by kind), '[]')
		from (select kind, count(*) as n from places group by kind) k),
	    'variables', (select coalesce(json_agg(json_build_object(
		'slug', slug, 'name', name, 'unit', unit) order by name), '[]')
		from (select * from variables order by name limit 12) v),
	    'more_variables', (select count(*) > 12 from variables),
	    'changes', api.changes(10, null, p_text) -> 'data')
$$;

-- Places, variables and sources whose name holds q, or is near it (a
-- typo): exact names first, then names that start with it, then the rest
-- by trigram similarity.  data[] mixes them, best first, for the suggest
-- box; the page shows each kind in its own list.
create function api.search(p_q text, p_limit integer, p_text boolean)
returns json
language plpgsql stable as $$
declare
	q text := lower(btrim(p_q));
	esc text;
	hits json;
	doc json;
begin
	if q is null or q = '' then
		return json_build_object('q', '', 'data', '[]'::json,
		    'next', null);
	end if;
	esc := replace(replace(replace(q, '\', '\\'), '%', '\%'), '_', '\_');
	with hit as (
	    (select 'place' as type, 1 as ord, p.name, '/places/' || p.slug
		as href, p.kind as detail, p.name as key
	    from places p
	    where p.name ilike '%' || esc || '%' or p.name % q
	    order by lower(p.name) <> q, p.name not ilike esc || '%',
		similarity(p.name, q) desc, p.name
	    limit p_limit)
	    union all
	    (select 'variable', 2, v.name, '/variables/' || v.slug, v.unit,
		v.name
	    from variables v
	    where v.name ilike '%' || esc || '%' or v.name % q
	    order by lower(v.name) <> q, v.name not ilike esc || '%',
		similarity(v.name, q) desc, v.name
	    limit p_limit)
	    union all
	    (select 'source', 3, s.title, '/sources/' || s.id,
		coalesce(s.url, s.publisher), s.title
	    from sources s
	    where s.title ilike '%' || esc || '%' or s.title % q
	    order by lower(s.title) <> q, s.title not ilike esc || '%',
		similarity(s.title, q) desc, s.title
	    limit p_limit)),
	ranked as (
	    select h.*, row_number() over (order by lower(h.key) <> q,
		h.key not ilike esc || '%', similarity(h.key, q) desc, h.ord,
		h.key) as n
	    from hit h)
	select json_agg(json_build_object('type', type, 'name', name,
	    'href', href, 'detail', detail) order by n)
	into hits
	from ranked;
	doc := json_build_object('q', btrim(p_q),
	    'data', coalesce((select json_agg(e.h order by e.n)
		from json_array_elements(hits) with ordinality e(h, n)
		where e.n <= p_limit), '[]'),
	    'next', null);
	if not p_text then
		return doc;
	end if;
	-- The page lists each kind apart.
	return api.with(doc, (select json_object_agg(t.list, coalesce((
	    select json_agg(e.h order by e.n)
	    from json_array_elements(hits) with ordinality e(h, n)
	    where e.h ->> 'type' = t.type), '[]'))
	    from (values ('place', 'places'), ('variable', 'variables'),
		('source', 'sources')) t(type, list)));
end
$$;

-- The points of one series that a chart draws, values as text: all that
-- core/svg.c reads of them.  One SQL statement, inlined where it is used.
create function api.chart_points(p_place bigint, p_variable bigint,
    p_from integer, p_to integer) returns setof json
language sql stable as $$
	select coalesce(json_agg(json_build_object(
	    'year', f.year, 'value', f.value::text) order by f.year), '[]')
	from facts f
	where f.place_id = p_place and f.variable_id = p_variable
	and (p_from is null or f.year >= p_from)
	and (p_to is null or f.year <= p_to)
$$;

-- Several places' series of one variable, for one chart: the document
-- that core/svg.c draws.  Places in the order given.
create function api.compare_chart(p_variable variables, p_places text[],
    p_from integer, p_to integer) returns json
language sql stable as $$
	select json_build_object('title', p_variable.name,
	    'unit', p_variable.unit,
	    'series', coalesce(json_agg(json_build_object(
		'place', json_build_object('slug', p.slug, 'name', p.name),
		'observations', (select o from api.chart_points(p.id,
		    p_variable.id, p_from, p_to) o))
		order by w.n), '[]'))
	from unnest(p_places) with ordinality w(slug, n)
	join places p on p.slug = w.slug
$$;

-- A list of place slugs for one chart, each once, in the order given:
-- 404 for a place that is unknown, 400 for more than a chart holds.
create function api.check_places(p_places text[]) returns text[]
language plpgsql stable as $$
declare
	slugs text[];
	missing text;
begin
	select coalesce(array_agg(s order by n), '{}') into slugs
	from (select s, min(n) as n
	    from unnest(p_places) with ordinality w(s, n)
	    where s is not null group by s) u;
	if cardinality(slugs) > 10 then
		perform api.fail(400, 'compare: at most 10 places on one chart');
	end if;
	select w.slug into missing
	from unnest(slugs) w(slug)
	left join places p on p.slug = w.slug
	where p.id is null
	limit 1;
	if missing is not null then
		perform api.fail(404, format('no place %L', missing));
	end if;
	return slugs;
end
$$;

-- The variable page: the places that have it as rows of a place x year
-- table (paged by place), the years in from..to as columns (without a
-- range, the last 20 years that have data), and a chart comparing the
-- places of p_compare, to which p_add adds one.
create function api.variable_page(p_slug text, p_from integer, p_to integer,
    p_compare text[], p_add text, p_limit integer, p_cursor text,
    p_text boolean) returns json
language plpgsql stable as $$
declare
	v variables;
	after text := api.cursor_decode(p_cursor) ->> 0;
	cmp text[];
	all_years integer[];
	place_ids bigint[];
	nfacts bigint;
	yrs integer[];
	page json;
begin
	v := api.variable_find(p_slug);
	if p_from > p_to then
		perform api.fail(400, 'from: the range starts after it ends');
	end if;
	cmp := api.check_places(coalesce(p_compare, '{}') || p_add);

	-- One pass over the variable's facts (an index-only scan) says which
	-- years and places have it.
	select array_agg(distinct f.year), array_agg(distinct f.place_id),
	    count(*)
	into all_years, place_ids, nfacts
	from facts f where f.variable_id = v.id;
	select coalesce(array_agg(y order by y), '{}') into yrs
	from (select y from unnest(all_years) y
	    where (p_from is null or y >= p_from)
	    and (p_to is null or y <= p_to)
	    order by y desc
	    limit case when p_from is null and p_to is null then 20
		else 100 end) y;

	select api.page(json_agg(json_build_object('slug', p.slug,
	    'name', p.name, 'cells', (select json_agg(json_build_object('year', y,
		'value', api.num(f.value, p_text)) order by y)
		from unnest(yrs) y
		left join facts f on f.place_id = p.id
		and f.variable_id = v.id and f.year = y),
	    'compared', p.slug = any (cmp),
	    -- The compare list with this place toggled, for its link.
	    'toggle', array_to_string(case when p.slug = any (cmp)
		then array_remove(cmp, p.slug::text)
		else cmp || p.slug::text end, ','))
	    order by p.n) filter (where p.n <= p_limit),
	    json_agg(json_build_array(p.slug) order by p.n)
	    filter (where p.n >= p_limit))
	into page
	from (select *, row_number() over (order by p.slug) as n
	    from places p
	    where p.id = any (place_ids)
	    and (after is null or p.slug > after)
	    order by p.slug limit p_limit + 1) p;

	return json_build_object('slug', v.slug, 'name', v.name,
	    'unit', v.unit, 'description', v.description,
	    'updated_at', v.updated_at,
	    'places_count', coalesce(cardinality(place_ids), 0),
	    'facts_count', nfacts,
	    'first_year', all_years[1],
	    'last_year', all_years[cardinality(all_years)],
	    'from', p_from, 'to', p_to,
	    'years', to_json(yrs),
	    'rows', page -> 'data', 'next', page -> 'next',
	    'compare', array_to_string(cmp, ','),
	    'can_add', cardinality(cmp) < 10,
	    'chosen', (select coalesce(json_agg(json_build_object(
		'slug', p.slug, 'name', p.name,
		'toggle', array_to_string(array_remove(cmp, p.slug::text),
		    ',')) order by w.n), '[]')
		from unnest(cmp) with ordinality w(slug, n)
		join places p on p.slug = w.slug),
	    'chart', case when cardinality(cmp) > 0 then
		api.compare_chart(v, cmp, p_from, p_to) end,
	    'chart_place', cmp[1],
	    -- The places that can still be added to the chart.
	    'options', case when cardinality(cmp) < 10 then (
		select coalesce(json_agg(json_build_object('slug', p.slug,
		    'name', p.name) order by p.name, p.slug), '[]')
		from places p
		where p.id = any (place_ids)
		and not p.slug = any (cmp)) end);
end
$$;

-- A series page's observations, each with its source, who changed it and
-- when, their sources and counts: one pass over the series' rows.
create function api.series_page_parts(p_place bigint, p_variable bigint,
    p_from integer, p_to integer, p_as_of bigint, p_text boolean)
returns table (observations json, sources json, count integer,
    first_year integer, last_year integer)
language sql stable as $$
	select json_agg(json_build_object(
		'year', o.year, 'value', api.num(o.value, p_text),
		'source', json_build_object('id', s.id,
		    'title', s.title, 'url', s.url),
		'note', o.note, 'revision', o.revision,
		'updated_at', c.at, 'when', api.when(c.at),
		'updated_by', u.name)
		order by o.year),
	    (select json_agg(json_build_object(
		'id', s.id, 'title', s.title, 'url', s.url,
		'publisher', s.publisher) order by s.id)
		from sources s
		where s.id = any (array_agg(o.source_id))),
	    count(*)::integer, min(o.year)::integer, max(o.year)::integer
	from api.series_obs(p_place, p_variable, p_from, p_to, p_as_of) o
	join sources s on s.id = o.source_id
	join changes c on c.id = o.change_id
	left join users u on u.id = c.user_id
$$;

-- The latest ten revisions of a series (up to change p_as_of), newest
-- first; the first is the last change, what a citation names.
create function api.series_history(p_place bigint, p_variable bigint,
    p_as_of bigint, p_text boolean)
returns table (history json, change bigint, at timestamptz)
language sql stable as $$
	select json_agg(json_build_object(
		'change', h.change_id, 'year', h.year,
		'revision', h.revision, 'action', h.action,
		'old', api.num(h.old_value, p_text),
		'new', api.num(h.new_value, p_text),
		'when', api.when(h.at), 'user', h.user_name,
		'comment', h.comment)
		order by h.change_id desc, h.year),
	    (array_agg(h.change_id order by h.change_id desc))[1],
	    (array_agg(h.at order by h.change_id desc))[1]
	from (select r.change_id, r.year, r.revision, r.action,
		r.old_value, r.new_value, c.at, u.name as user_name,
		c.comment
		from fact_revisions r join changes c on c.id = r.change_id
		left join users u on u.id = c.user_id
		where r.place_id = p_place and r.variable_id = p_variable
		and (p_as_of is null or r.change_id <= p_as_of)
		order by r.change_id desc, r.year limit 10) h
$$;

-- Both, called rather than inlined (as api.series_parts_called()).
create function api.series_page_parts_called(p_place bigint,
    p_variable bigint, p_from integer, p_to integer, p_as_of bigint,
    p_text boolean)
returns table (observations text, sources text, count integer,
    first_year integer, last_year integer)
language plpgsql stable rows 1 as $$
begin
	return query select o.observations::text, o.sources::text, o.count,
	    o.first_year, o.last_year
	    from api.series_page_parts(p_place, p_variable, p_from, p_to,
	    p_as_of, p_text) o;
end
$$;

create function api.series_history_called(p_place bigint, p_variable bigint,
    p_as_of bigint, p_text boolean)
returns table (history text, change bigint, at timestamptz)
language plpgsql stable rows 1 as $$
begin
	return query select h.history::text, h.change, h.at
	    from api.series_history(p_place, p_variable, p_as_of, p_text) h;
end
$$;

-- The series page: the series now or as of a change, each observation with
-- its source, the state's last change, and the latest revisions of the
-- series.  One SQL statement, as api.series(); now, its parts are the
-- series' document when it has one.
create function api.series_page(p_place text, p_variable text,
    p_from integer, p_to integer, p_as_of bigint, p_text boolean)
returns setof text
language sql stable as $$
	select coalesce(case when p.id is null or v.id is null or
	    p_as_of is not null then api.series_absent(p_place, p_variable,
	    p_as_of, p.id is not null, v.id is not null)::text end,
	    -- One concat(): each || would copy all before it again.
	    concat('{"place" : ', json_build_object('slug', p.slug,
		'name', p.name),
	    ', "variable" : ', json_build_object('slug', v.slug,
		'name', v.name, 'unit', v.unit,
		'description', v.description),
	    ', "observations" : ', coalesce(o.observations, '[]'),
	    ', "sources" : ', coalesce(o.sources, '[]'),
	    ', "count" : ', o.count,
	    ', "first_year" : ', coalesce(o.first_year::text, 'null'),
	    ', "last_year" : ', coalesce(o.last_year::text, 'null'),
	    ', "from" : ', coalesce(p_from::text, 'null'),
	    ', "to" : ', coalesce(p_to::text, 'null'),
	    ', "as_of" : ', coalesce(p_as_of::text, 'null'),
	    -- Only curators change a protected series (050_write.sql).
	    ', "protected" : ', (ps.place_id is not null)::text,
	    ', "change" : ', coalesce(h.change::text, 'null'),
	    ', "date" : ', coalesce(to_json(to_char(h.at at time zone
		'UTC', 'YYYY-MM-DD'))::text, 'null'),
	    -- Shown as it was: later changes exist.
	    ', "past" : ', (p_as_of is not null and exists (select 1
		from fact_revisions r
		where r.place_id = p.id and r.variable_id = v.id
		and r.change_id > p_as_of))::text,
	    ', "history" : ', coalesce(h.history, '[]'), '}'))
	from (values (1)) one
	left join places p on p.slug = p_place
	left join variables v on v.slug = p_variable
	left join protected_series ps on ps.place_id = p.id and
	    ps.variable_id = v.id
	left join series_docs d on p_text and p_as_of is null and
	    d.place_id = p.id and d.variable_id = v.id
	left join lateral (select d.page_observations as observations,
		d.page_sources as sources, d.count, d.first_year, d.last_year
		where d.place_id is not null and p_from is null and
		p_to is null
		union all
		select * from api.series_page_parts_called(p.id, v.id,
		    p_from, p_to, p_as_of, p_text)
		where d.place_id is null or p_from is not null or
		p_to is not null) o on true
	left join lateral (select d.history, d.change, d.at
		where d.place_id is not null
		union all
		select * from api.series_history_called(p.id, v.id, p_as_of,
		    p_text)
		where d.place_id is null) h on true
$$;

-- The fact page: one fact at its latest revision, or at p_revision.
create function api.fact_page(p_place text, p_variable text, p_year integer,
    p_revision bigint, p_text boolean) returns json
language plpgsql stable as $$
declare
	p places;
	v variables;
	latest integer;
	r fact_revisions;
	c changes;
	s sources;
begin
	select * into p from places where slug = p_place;
	select * into v from variables where slug = p_variable;
	select max(fr.revision) into latest from fact_revisions fr
	where fr.place_id = p.id and fr.variable_id = v.id
	and fr.year = p_year;
	if latest is null then
		perform api.fail(404, format('no fact %s/%s/%s', p_place,
		    p_variable, p_year));
	end if;
	select * into r from fact_revisions fr
	where fr.place_id = p.id and fr.variable_id = v.id and fr.year = p_year
	and fr.revision = coalesce(p_revision, latest);
	if not found then
		perform api.fail(404, format('fact %s/%s/%s has no revision %s',
		    p_place, p_variable, p_year, p_revision));
	end if;
	select * into c from changes where id = r.change_id;
	select * into s from sources where id = r.new_source_id;
	return json_build_object(
	    'place', json_build_object('slug', p.slug, 'name', p.name),
	    'variable', json_build_object('slug', v.slug, 'name', v.name,
		'unit', v.unit),
	    'year', p_year, 'revision', r.revision, 'latest', latest,
	    'current', r.revision = latest, 'action', r.action,
	    'deleted', r.new_value is null,
	    'value', api.num(r.new_value, p_text),
	    'source', case when s.id is not null then json_build_object(
		'id', s.id, 'title', s.title, 'url', s.url,
		'publisher', s.publisher) end,
	    'note', r.new_note,
	    'change', c.id, 'at', c.at, 'when', api.when(c.at),
	    'date', to_char(c.at at time zone 'UTC', 'YYYY-MM-DD'),
	    'by', api.user_name(c.user_id), 'comment', c.comment);
end
$$;

-- The history page: every revision, newest first, with old and new content
-- and sources named; with p_old and p_new (or p_diff, 'OLD..NEW', as
-- links write them), a diff of what the fact held at those revisions.
create function api.history_page(p_place text, p_variable text,
    p_year integer, p_old bigint, p_new bigint, p_diff text,
    p_text boolean) returns json
language plpgsql stable as $$
declare
	p places;
	v variables;
	latest integer;
	a fact_revisions;
	b fact_revisions;
	diff json;
begin
	if p_diff is not null then
		p_old := split_part(p_diff, '..', 1)::bigint;
		p_new := split_part(p_diff, '..', 2)::bigint;
	end if;
	select * into p from places where slug = p_place;
	select * into v from variables where slug = p_variable;
	select max(r.revision) into latest from fact_revisions r
	where r.place_id = p.id and r.variable_id = v.id and r.year = p_year;
	if latest is null then
		perform api.fail(404, format('no fact %s/%s/%s', p_place,
		    p_variable, p_year));
	end if;
	if p_old is not null or p_new is not null then
		select * into a from fact_revisions r
		where r.place_id = p.id and r.variable_id = v.id
		and r.year = p_year and r.revision = p_old;
		select * into b from fact_revisions r
		where r.place_id = p.id and r.variable_id = v.id
		and r.year = p_year and r.revision = p_new;
		if a.revision is null or b.revision is null then
			perform api.fail(404, format('diff: this fact has '
			    'revisions 1 to %s', latest));
		end if;
		diff := json_build_object('old', a.revision, 'new', b.revision,
		    'rows', json_build_array(
			json_build_object('field', 'Value',
			    'a', api.num(a.new_value, true),
			    'b', api.num(b.new_value, true),
			    'changed', a.new_value::text
				is distinct from b.new_value::text),
			json_build_object('field', 'Source',
			    'a', (select title from sources
				where id = a.new_source_id),
			    'a_url', (select url from sources
				where id = a.new_source_id),
			    'b', (select title from sources
				where id = b.new_source_id),
			    'b_url', (select url from sources
				where id = b.new_source_id),
			    'changed', a.new_source_id
				is distinct from b.new_source_id),
			json_build_object('field', 'Note',
			    'a', a.new_note, 'b', b.new_note,
			    'changed', a.new_note is distinct from b.new_note),
			json_build_object('field', 'State',
			    'a', case when a.new_value is null then 'deleted'
				else 'present' end,
			    'b', case when b.new_value is null then 'deleted'
				else 'present' end,
			    'changed', (a.new_value is null) <>
				(b.new_value is null))));
	end if;
	return (select json_build_object(
	    'place', json_build_object('slug', p.slug, 'name', p.name),
	    'variable', json_build_object('slug', v.slug, 'name', v.name,
		'unit', v.unit),
	    'year', p_year, 'latest', latest, 'comparable', latest > 1,
	    'deleted', not exists (select 1 from facts f
		where f.place_id = p.id and f.variable_id = v.id
		and f.year = p_year),
	    'diff', diff,
	    'revisions', json_agg(json_build_object(
		'revision', r.revision, 'action', r.action,
		'change', c.id, 'at', c.at, 'when', api.when(c.at),
		'by', api.user_name(c.user_id), 'comment', c.comment,
		'old', case when r.old_value is not null then
		    json_build_object('value', api.num(r.old_value, p_text),
			'source', (select json_build_object('id', s.id,
			    'title', s.title, 'url', s.url) from sources s
			    where s.id = r.old_source_id),
			'note', r.old_note) end,
		'new', case when r.new_value is not null then
		    json_build_object('value', api.num(r.new_value, p_text),
			'source', (select json_build_object('id', s.id,
			    'title', s.title, 'url', s.url) from sources s
			    where s.id = r.new_source_id),
			'note', r.new_note) end,
		'value_changed', r.old_value::text
		    is distinct from r.new_value::text,
		'source_changed', r.old_source_id
		    is distinct from r.new_source_id,
		'note_changed', coalesce(r.old_note, '')
		    is distinct from coalesce(r.new_note, ''),
		'previous', nullif(r.revision - 1, 0),
		'is_latest', r.revision = latest,
		-- What the form that compares two revisions has chosen.
		'pick_old', r.revision = coalesce(p_old, latest - 1),
		'pick_new', r.revision = coalesce(p_new, latest),
		-- Reverting restores content: not to a deletion, nor to
		-- what the fact holds already.
		'revertible', r.revision <> latest and r.new_value is not null)
		order by r.revision desc))
	    from fact_revisions r
	    join changes c on c.id = r.change_id
	    where r.place_id = p.id and r.variable_id = v.id
	    and r.year = p_year);
end
$$;

-- The history of a place, variable or source (p_entity) that p_key
-- names (a slug; a source's id): its edits, newest first, each with who,
-- when, why and the fields it changed, old and new.  Made by an import,
-- an entity has no revisions until a form changes it.
create function api.entity_history(p_entity text, p_key text)
returns json
language plpgsql stable as $$
declare
	ent_id bigint;
	ent_name text;
	href text;
	-- The fields of the entity's content, in the order of its form.
	fields text[];
begin
	case p_entity
	when 'place' then
		select id, name into ent_id, ent_name from places
		where slug = p_key;
		href := '/places/' || p_key;
		fields := '{slug,name,kind,parent,description}';
	when 'variable' then
		select id, name into ent_id, ent_name from variables
		where slug = p_key;
		href := '/variables/' || p_key;
		fields := '{slug,name,unit,description}';
	else
		select id, title into ent_id, ent_name from sources
		where id = p_key::bigint;
		href := '/sources/' || p_key;
		fields := '{url,title,publisher,published,accessed,notes}';
	end case;
	if ent_id is null then
		perform api.fail(404, format('no %s %L', p_entity, p_key));
	end if;
	return json_build_object('entity', p_entity, 'key', p_key,
	    'name', ent_name, 'href', href,
	    'revisions', coalesce((select json_agg(json_build_object(
		'revision', r.revision, 'action', r.action,
		'change', r.change_id, 'at', c.at, 'when', api.when(c.at),
		'user', api.user_name(c.user_id), 'comment', c.comment,
		'fields', (select coalesce(json_agg(json_build_object(
		    'field', f.name, 'old', r.old ->> f.name,
		    'new', r.new ->> f.name) order by f.n), '[]')
		    from unnest(fields) with ordinality f(name, n)
		    where (r.old -> f.name) is distinct from (r.new -> f.name)
		    and not (r.old is null and coalesce(r.new ->> f.name, '')
			= '')))
		order by r.revision desc)
		from entity_revisions r join changes c on c.id = r.change_id
		where r.entity = p_entity and r.entity_id = ent_id), '[]'));
end
$$;

-- One change and the revisions it wrote, paged (an import may write a
-- million).
create function api.change(p_id bigint, p_limit integer, p_cursor text,
    p_text boolean) returns json
language plpgsql stable as $$
declare
	after json := api.cursor_decode(p_cursor);
	c changes;
	page json;
begin
	select * into c from changes where id = p_id;
	if not found then
		perform api.fail(404, format('no change %s', p_id));
	end if;
	-- Numbered after the limit, which then bounds the sort of an import's
	-- million revisions.
	select api.page(json_agg(json_build_object('place', p.slug,
	    'place_name', p.name, 'variable', v.slug, 'variable_name', v.name,
	    'year', r.year, 'revision', r.revision, 'action', r.action,
	    'old', api.num(r.old_value, p_text),
	    'new', api.num(r.new_value, p_text)) order by r.n)
	    filter (where r.n <= p_limit),
	    json_agg(json_build_array(r.place_id, r.variable_id, r.year)
	    order by r.n) filter (where r.n >= p_limit))
	into page
	from (select *, row_number() over (order by place_id, variable_id,
		year) as n
	    from (select * from fact_revisions r
		where r.change_id = p_id
		and (after is null or (r.place_id, r.variable_id, r.year) >
		    ((after ->> 0)::bigint, (after ->> 1)::bigint,
		    (after ->> 2)::integer))
		order by r.place_id, r.variable_id, r.year
		limit p_limit + 1) r) r
	join places p on p.id = r.place_id
	join variables v on v.id = r.variable_id;
	return json_build_object('id', c.id, 'at', c.at,
	    'when', api.when(c.at),
	    'user', api.user_name(c.user_id), 'kind', c.kind,
	    'comment', c.comment, 'facts_added', c.facts_added,
	    'facts_updated', c.facts_updated,
	    'facts_deleted', c.facts_deleted,
	    'subject', api.change_subject(c.id),
	    'revisions', page -> 'data', 'next', page -> 'next');
end
$$;

-- The Atom feed of the latest changes.
create function api.feed(p_limit integer) returns json
language sql stable as $$
	select json_build_object(
	    'updated', coalesce((select max(at) from changes), now()),
	    'entries', api.changes(p_limit, null, true) -> 'data')
$$;

-- A chart alone: the series of a place, or with p_compare the places'
-- series side by side (the place of the path first).  The series alone is
-- what core/svg.c reads of api.series(): names, unit and points.
create function api.chart(p_place text, p_variable text, p_compare text[],
    p_from integer, p_to integer) returns setof text
language sql stable as $$
	select coalesce(case when p.id is null or v.id is null then
	    api.series_absent(p_place, p_variable, null, p.id is not null,
	    v.id is not null)::text end,
	    -- As api.series(): a document's points are not parsed again.
	    concat('{"place" : ', json_build_object('slug', p.slug,
		'name', p.name),
	    ', "variable" : ', json_build_object('slug', v.slug,
		'name', v.name, 'unit', v.unit),
	    ', "observations" : ', o, '}'))
	from (values (1)) one
	left join places p on p.slug = p_place
	left join variables v on v.slug = p_variable
	left join series_docs d on p_from is null and p_to is null and
	    d.place_id = p.id and d.variable_id = v.id
	left join lateral (select d.points
		where d.place_id is not null
		union all
		select o::text from api.chart_points(p.id, v.id, p_from,
		    p_to) o
		where d.place_id is null) o(o) on true
	where p_compare is null
	union all
	select api.compare_chart(api.variable_find(p_variable),
	    api.check_places(p_place || p_compare), p_from, p_to)::text
	where p_compare is not null
$$;
