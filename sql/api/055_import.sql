-- The CSV importer's statements.  app/store/import.c checks each row on
-- its own, copies the rows into the staging table with COPY and calls
-- these, all in one transaction.  They are set-based, so that a million
-- rows cost a few scans and not a million calls; the rules they share with
-- the writes of single facts (050_write.sql) inline into them.
--
-- The staging table, import_rows, is the importing session's own and is
-- there only during an import: the bodies that read it are checked when
-- they first run.

set check_function_bodies = off;

-- The staging table, its columns in the order import.c copies them.
create function api.import_stage() returns void
language sql as $$
	create temporary table import_rows (
	    line bigint not null, place text not null,
	    place_slug text not null, variable text not null,
	    variable_slug text not null, year smallint not null,
	    value numeric not null, source_url text, source_id bigint,
	    unit text, source_title text, note text)
$$;

-- The staged rows with the ids of what they name (null for what is not
-- there yet) and the fact they would change (old_*, null for none).
create function api.import_facts()
returns table (line bigint, place_slug text, variable_slug text,
    source_url text, place_id bigint, variable_id bigint, year smallint,
    value numeric, source_id bigint, note text, old_value numeric,
    old_source_id bigint, old_note text, old_revision integer)
language sql stable as $$
	select r.line, r.place_slug, r.variable_slug, r.source_url, p.id,
	    v.id, r.year, r.value, coalesce(r.source_id, s.id), r.note,
	    f.value, f.source_id, f.note, f.revision
	from import_rows r
	left join places p on p.slug = r.place_slug
	left join variables v on v.slug = r.variable_slug
	left join sources s on s.url = r.source_url
	left join facts f on f.place_id = p.id and f.variable_id = v.id
	and f.year = r.year
$$;

-- What the create-missing option would have created.
create function api.import_missing(p_message text) returns text
language sql immutable as $$
	select p_message || ', or import with the create-missing option'
$$;

-- Each place (as written), variable (with each unit it is given) and
-- source (with each title) that the staged rows name, and the first line
-- that names it so, as the table import_names until the import's
-- transaction ends: one pass over the rows, hashed by grouping sets, so
-- that the checks and the creation read a few names, not a million rows.
create function api.import_find_names() returns void
language sql as $$
	create temporary table import_names on commit drop as
	select case when grouping(place_slug) = 0 then 'place'
	    when grouping(variable_slug) = 0 then 'variable'
	    when grouping(source_url) = 0 then 'url' else 'id' end as kind,
	    place_slug, place, variable_slug, variable, unit, source_url,
	    source_title, source_id, min(line) as line
	from import_rows
	group by grouping sets ((place_slug, place),
	    (variable_slug, variable, unit), (source_url, source_title),
	    (source_id))
$$;

-- Problems only the database can see, as (line, column, message): names
-- of nothing (p_create: they are to be created), units that differ, and
-- changes to a series the connection's writer may not change.  The
-- server's connection says factwiki.role = 'editor' for an editor
-- (app/upload.c), and the trigger of 006_editing.sql stays the last
-- guard; the command line may change every series.  Each rule is found
-- among the names, then joined to the lines that give them: a rule that
-- nothing breaks reads no row.
create function api.import_check(p_create boolean)
returns table (line bigint, col text, msg text)
language sql stable as $$
	with n as (select * from import_names),
	-- A new variable's unit is the first given (as in import_create()).
	new_unit as (
		select distinct on (n.variable_slug) n.variable_slug, n.unit,
		    n.line
		from n where kind = 'variable' and n.unit <> '' and not exists
		    (select 1 from variables v where v.slug = n.variable_slug)
		order by n.variable_slug, n.line),
	-- Names of nothing, to be created or not: each once.
	missing as (
		select distinct kind,
		    coalesce(place_slug, variable_slug, source_url) as name
		from n where not p_create and case kind
		    when 'place' then not exists
			(select 1 from places p where p.slug = n.place_slug)
		    when 'variable' then not exists
			(select 1 from variables v
			    where v.slug = n.variable_slug)
		    when 'url' then n.source_url is not null and not exists
			(select 1 from sources s where s.url = n.source_url)
		    end),
	units as (
		select distinct n.variable_slug, n.unit,
		    format('variable %s is measured in %s, not %s', v.slug,
		    quote_literal(v.unit), quote_literal(n.unit)) as msg
		from n join variables v on v.slug = n.variable_slug
		where kind = 'variable' and n.unit <> '' and n.unit <> v.unit
		union all
		select distinct n.variable_slug, n.unit,
		    format('the new variable %s is measured in %s on line %s, '
		    'not %s', n.variable_slug, quote_literal(f.unit), f.line,
		    quote_literal(n.unit))
		from n join new_unit f on f.variable_slug = n.variable_slug
		where kind = 'variable' and n.unit <> '' and n.unit <> f.unit)
	select r.line, 'place',
	    api.import_missing(api.unknown_message('place', r.place))
	from import_rows r join missing m
	on m.kind = 'place' and m.name = r.place_slug
	union all
	select r.line, 'variable',
	    api.import_missing(api.unknown_message('variable', r.variable))
	from import_rows r join missing m
	on m.kind = 'variable' and m.name = r.variable_slug
	union all
	select r.line, 'source',
	    api.import_missing(api.source_unknown(r.source_url))
	from import_rows r join missing m
	on m.kind = 'url' and m.name = r.source_url
	union all
	select r.line, 'source', api.source_unknown('#' || r.source_id)
	from import_rows r join n on n.kind = 'id' and n.source_id = r.source_id
	where n.source_id is not null
	and not exists (select 1 from sources s where s.id = n.source_id)
	union all
	select r.line, 'unit', u.msg
	from import_rows r join units u using (variable_slug, unit)
	union all
	select r.line, null, api.protected_message(r.place_slug,
	    r.variable_slug)
	from api.import_facts() r
	join api.locked_series(coalesce(nullif(current_setting(
	    'factwiki.role', true), ''), 'admin')) ps
	on ps.place_id = r.place_id and ps.variable_id = r.variable_id
	where not api.fact_unchanged(r.old_value, r.old_source_id, r.old_note,
	    r.value, r.source_id, r.note)
$$;

-- The same (place, variable, year) on several lines, each line naming
-- another.
create function api.import_duplicates()
returns table (line bigint, col text, msg text)
language sql stable as $$
	with dupkeys as (
		select place_slug, variable_slug, year from import_rows
		group by 1, 2, 3 having count(*) > 1)
	select line, null::text,
	    format('the same place, variable and year as line %s',
		coalesce(nullif(first_value(line) over w, line),
		lead(line) over w))
	from import_rows join dupkeys using (place_slug, variable_slug, year)
	window w as (partition by place_slug, variable_slug, year
	    order by line)
$$;

-- What an import would do, for a dry run.
create function api.import_summary()
returns table (added bigint, updated bigint, unchanged bigint,
    places bigint, variables bigint, sources bigint)
language sql stable as $$
	with r as (
		select *, api.fact_unchanged(old_value, old_source_id,
		    old_note, value, source_id, note) as same
		from api.import_facts())
	select count(*) filter (where old_revision is null),
	    count(*) filter (where old_revision is not null and not same),
	    count(*) filter (where same),
	    (select count(distinct place_slug) from r where place_id is null),
	    (select count(distinct variable_slug) from r
		where variable_id is null),
	    (select count(distinct source_url) from r where source_id is null)
	from r
$$;

-- Creates the places, variables and sources that the rows name and that
-- are not there: a name is the text first given for a slug; a unit or a
-- title, the first given.  In the order the file first names them, so
-- that their ids, and the keys of the facts, follow the file.  How many
-- of each.
create function api.import_create()
returns table (places bigint, variables bigint, sources bigint)
language sql as $$
	with n as (select * from import_names),
	np as (
		insert into places (slug, name)
		select place_slug, place from (
			select distinct on (n.place_slug) n.place_slug, n.place,
			    n.line
			from n where kind = 'place' and not exists
			    (select 1 from places p where p.slug = n.place_slug)
			order by n.place_slug, n.line) f
		order by line
		returning 1),
	nv as (
		insert into variables (slug, name, unit)
		select variable_slug, variable, coalesce(unit, '') from (
			select distinct on (n.variable_slug) n.variable_slug,
			    n.variable, n.unit, n.line
			from n where kind = 'variable' and not exists
			    (select 1 from variables v
				where v.slug = n.variable_slug)
			order by n.variable_slug, coalesce(n.unit, '') = '',
			    n.line) f
		order by line
		returning 1),
	ns as (
		insert into sources (url, title)
		select source_url, coalesce(nullif(source_title, ''),
		    source_url) from (
			select distinct on (n.source_url) n.source_url,
			    n.source_title, n.line
			from n where kind = 'url' and n.source_url is not null
			and not exists
			    (select 1 from sources s where s.url = n.source_url)
			order by n.source_url,
			    coalesce(n.source_title, '') = '', n.line) f
		order by line
		returning 1)
	select (select count(*) from np), (select count(*) from nv),
	    (select count(*) from ns)
$$;

-- The merge: facts that are new or differ are written with their
-- revision, all under one change of user p_user; nothing at all is written
-- when nothing differs.  Edits wait for it (api.fact_lock()), so that a
-- revision number and the old content it records are never raced.
create function api.import_merge(p_user bigint, p_comment text)
returns table (change bigint, added integer, updated integer)
language sql as $$
	lock table facts in share row exclusive mode;
	with d as materialized (
		select r.place_id, r.variable_id, r.year, r.value, r.source_id,
		    api.fact_note(r.note, r.old_note) as note, r.old_value,
		    r.old_source_id, r.old_note, r.old_revision,
		    api.fact_next_revision(r.old_revision, t.revision)
			as revision,
		    api.fact_action(r.old_revision, t.revision, r.value)
			as action
		from api.import_facts() r
		left join fact_tombstones t using (place_id, variable_id, year)
		where not api.fact_unchanged(r.old_value, r.old_source_id,
		    r.old_note, r.value, r.source_id, r.note)
		-- In the order of the keys: each index of facts and of
		-- fact_revisions then grows at its end, not at random pages.
		order by r.place_id, r.variable_id, r.year),
	ch as (
		insert into changes (user_id, kind, comment, facts_added,
		    facts_updated)
		select p_user, 'import', p_comment,
		    count(*) filter (where old_revision is null),
		    count(*) filter (where old_revision is not null)
		from d having count(*) > 0
		returning id, facts_added, facts_updated),
	ins as (
		insert into facts (place_id, variable_id, year, value,
		    source_id, note, revision, change_id)
		select place_id, variable_id, year, value, source_id, note,
		    revision, (select id from ch)
		from d where old_revision is null),
	upd as (
		update facts f set value = d.value, source_id = d.source_id,
		    note = d.note, revision = d.revision,
		    change_id = (select id from ch)
		from d where d.old_revision is not null
		and f.place_id = d.place_id and f.variable_id = d.variable_id
		and f.year = d.year),
	rv as (
		insert into fact_revisions (place_id, variable_id, year,
		    revision, change_id, action, old_value, old_source_id,
		    old_note, new_value, new_source_id, new_note)
		select place_id, variable_id, year, revision,
		    (select id from ch), action, old_value, old_source_id,
		    old_note, value, source_id, note
		from d),
	restored as (
		delete from fact_tombstones t using d
		where d.action = 'restore' and t.place_id = d.place_id
		and t.variable_id = d.variable_id and t.year = d.year)
	select id, facts_added, facts_updated from ch
$$;

reset check_function_bodies;
