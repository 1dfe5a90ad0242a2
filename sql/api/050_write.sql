-- Writes: facts, places, variables, sources, protected series; and the
-- documents of their forms.
--
-- Each write function is the one statement of its request: it checks the
-- credentials (api.auth_user()), then the request against the database,
-- then writes a row of changes (who, when, why) and the full old and new
-- content of what it changed.  Edits are optimistic: they name the
-- revision they were read at, and one that is no longer the latest is a
-- conflict (409) carrying the current content, never a lost update.
--
-- The problems a writer can fix (a conflict, an unknown source, a slug
-- taken) are answered as a document, {"problem": {"status", "detail",
-- ...}}, which the server shows on the form or sends as the API's problem
-- (app/form.c); nothing is written before such a problem is found.  They
-- are not raised as FWnnn errors: Kore 4.1 reads on when the connection's
-- last message comes in a packet of its own, as it does after an error,
-- and the error is then lost; an answer comes in one packet with it.
-- Those of api.auth_user() and api.fail() (401, 403, 404) are raised.
--
-- p_text: values as text, for the pages (see api.num()).

create function api.problem(p_status integer, p_message text,
    p_extra jsonb) returns json
language sql immutable as $$
	select json_build_object('problem', jsonb_build_object(
	    'status', p_status, 'detail', p_message) || coalesce(p_extra, '{}'))
$$;

-- A bad field: 422 with errors[] naming it.
create function api.field_problem(p_field text, p_message text)
returns json
language sql immutable as $$
	select api.problem(422, p_message,
	    jsonb_build_object('errors', jsonb_build_array(
		jsonb_build_object('field', p_field, 'message', p_message))))
$$;

-- A form's document with what the server adds to it (the user's input
-- and its errors, shown again): their members replace the document's.
create function api.form_merge(p_doc json, p_overlay jsonb) returns json
language sql immutable as $$
	select case when p_overlay is null then p_doc
	    else (p_doc::jsonb || p_overlay)::json end
$$;

-- ---- facts ----

-- The fact as it is now, or null: its document with the comment of its
-- last change, values as text (a conflict goes through the server's JSON
-- parser, which would round a number).
create function api.fact_now(p_place bigint, p_variable bigint,
    p_year integer, p_text boolean) returns jsonb
language sql stable as $$
	select api.fact_doc(p.slug, v.slug, f.year, f.value, v.unit,
	    api.source_ref(s), f.note, f.revision, to_json(c.at),
	    to_json(api.user_name(c.user_id)), p_text)::jsonb ||
	    jsonb_build_object('comment', c.comment, 'when', api.when(c.at))
	from facts f
	join places p on p.id = f.place_id
	join variables v on v.id = f.variable_id
	join sources s on s.id = f.source_id
	join changes c on c.id = f.change_id
	where f.place_id = p_place and f.variable_id = p_variable
	and f.year = p_year
$$;

-- What a conflict carries: the current fact (null when it is deleted) and
-- the revision to base another attempt on.
create function api.fact_conflict(p_message text, p_place bigint,
    p_variable bigint, p_year integer, p_text boolean) returns json
language sql stable as $$
	select api.problem(409, p_message, jsonb_build_object(
	    'current', api.fact_now(p_place, p_variable, p_year, p_text),
	    'revision', coalesce(
		(select revision from facts where place_id = p_place
		    and variable_id = p_variable and year = p_year),
		(select revision from fact_tombstones where place_id = p_place
		    and variable_id = p_variable and year = p_year))))
$$;

-- A source as the CSV names it, "#ID" or its URL: its id, or null.
create function api.source_ref(p_ref text) returns bigint
language sql stable as $$
	select id from sources where case when left(p_ref, 1) = '#'
	    then id = substr(p_ref, 2)::bigint else url = p_ref end
$$;

-- The rules below are shared with the importer (055_import.sql), which
-- applies them to a million rows at a time: each is one expression or one
-- query over one table, so that it inlines into the importer's statements
-- instead of being called row by row.

create function api.source_unknown(p_ref text) returns text
language sql immutable as $$
	select case when left(p_ref, 1) = '#'
	    then format('no source %s exists', p_ref)
	    else format('no source has the URL %s: create it first', p_ref)
	    end
$$;

-- A place or variable (p_what) named but not there.
create function api.unknown_message(p_what text, p_name text) returns text
language sql immutable as $$
	select format('no %s %L exists: create it first', p_what, p_name)
$$;

-- The series a writer of role p_role may not change: the protected ones,
-- unless a curator writes.
create function api.locked_series(p_role text)
returns setof protected_series
language sql stable as $$
	select * from protected_series
	where api.role_rank(p_role) < api.role_rank('curator')
$$;

create function api.series_locked(u users, p_place bigint,
    p_variable bigint) returns boolean
language sql stable as $$
	select exists (select 1 from api.locked_series(u.role)
	    where place_id = p_place and variable_id = p_variable)
$$;

-- The last guard, the trigger of 006_editing.sql, keeps its own copy of
-- these words (a migration never changes); tests/api/write.test.js holds
-- the two together.
create function api.protected_message(p_place text, p_variable text)
returns text
language sql immutable as $$
	select format('the series %s/%s is protected: only a curator can '
	    'change its facts', p_place, p_variable)
$$;

-- The note a write leaves: p_note, or the fact's own when p_note is null.
create function api.fact_note(p_note text, old_note text) returns text
language sql immutable as $$
	select coalesce(p_note, old_note, '')
$$;

-- What counts as a change of a fact (old_*, all null when there is
-- none): other digits (1.0 is not 1), another source or another note.
create function api.fact_unchanged(old_value numeric, old_source bigint,
    old_note text, p_value numeric, p_source bigint, p_note text)
returns boolean
language sql immutable as $$
	select coalesce(old_value::text = p_value::text and
	    old_source = p_source and old_note = api.fact_note(p_note, old_note),
	    false)
$$;

-- What a write of p_value (null: a deletion) does to a fact at revision
-- old_revision (null: there is none) that was deleted at revision tomb
-- (null: never), and the revision it makes.
create function api.fact_action(old_revision integer, tomb integer,
    p_value numeric) returns text
language sql immutable as $$
	select case when p_value is null then 'delete'
	    when old_revision is not null then 'update'
	    when tomb is not null then 'restore' else 'create' end
$$;

create function api.fact_next_revision(old_revision integer, tomb integer)
returns integer
language sql immutable as $$
	select coalesce(old_revision, tomb, 0) + 1
$$;

-- Before reading a fact to change it: waits for an import that is merging
-- (it locks facts against edits) and for another write of the same fact,
-- so that two creations of one fact are a conflict, not a failure.
create function api.fact_lock(p_place bigint, p_variable bigint,
    p_year integer) returns void
language plpgsql as $$
begin
	lock table facts in row exclusive mode;
	perform pg_advisory_xact_lock(hashtextextended(
	    format('fact %s %s %s', p_place, p_variable, p_year), 0));
end
$$;

-- Writes a fact's new content as one change of kind p_kind: old is the
-- current row, locked (null when there is none), tomb the last revision
-- of a deleted fact; a null p_value deletes it.  Returns the answer of
-- every fact write: the fact (values as text when p_text), its revision,
-- what was done and the change.
create function api.fact_apply(u users, p places, v variables,
    p_year integer, old facts, tomb integer, p_value numeric,
    p_source bigint, p_note text, p_kind text, p_comment text,
    p_text boolean) returns json
language plpgsql as $$
declare
	rev integer := api.fact_next_revision(old.revision, tomb);
	act text := api.fact_action(old.revision, tomb, p_value);
	ch bigint;
begin
	insert into changes (user_id, kind, comment, facts_added,
	    facts_updated, facts_deleted)
	values (u.id, p_kind, p_comment,
	    (act in ('create', 'restore'))::integer,
	    (act = 'update')::integer, (act = 'delete')::integer)
	returning id into ch;
	if act = 'delete' then
		delete from facts where place_id = p.id
		and variable_id = v.id and year = p_year;
		insert into fact_tombstones (place_id, variable_id, year,
		    revision)
		values (p.id, v.id, p_year, rev);
	elsif act = 'update' then
		update facts set value = p_value, source_id = p_source,
		    note = p_note, revision = rev, change_id = ch
		where place_id = p.id and variable_id = v.id
		and year = p_year;
	else
		insert into facts (place_id, variable_id, year, value,
		    source_id, note, revision, change_id)
		values (p.id, v.id, p_year, p_value, p_source, p_note, rev, ch);
		delete from fact_tombstones where place_id = p.id
		and variable_id = v.id and year = p_year;
	end if;
	insert into fact_revisions (place_id, variable_id, year, revision,
	    change_id, action, old_value, old_source_id, old_note, new_value,
	    new_source_id, new_note)
	values (p.id, v.id, p_year, rev, ch, act, old.value, old.source_id,
	    old.note, p_value, case when p_value is not null then p_source end,
	    case when p_value is not null then p_note end);
	return api.fact_result(p, v, p_year, rev, act, ch, p_text);
end
$$;

create function api.fact_result(p places, v variables, p_year integer,
    p_revision integer, p_action text, p_change bigint, p_text boolean)
returns json
language sql stable as $$
	select json_build_object('place', p.slug, 'variable', v.slug,
	    'year', p_year, 'revision', p_revision, 'action', p_action,
	    'change', p_change,
	    'fact', (select api.fact_doc(p.slug, v.slug, f.year, f.value,
		v.unit, api.source_ref(s), f.note, f.revision, to_json(c.at),
		to_json(api.user_name(c.user_id)), p_text)
		from facts f
		join sources s on s.id = f.source_id
		join changes c on c.id = f.change_id
		where f.place_id = p.id and f.variable_id = v.id
		and f.year = p_year))
$$;

-- Creates or updates one fact.  p_base: the revision the writer read,
-- null to create (or to restore a deleted fact).  p_note null keeps the
-- note.  p_value is the canonical text of core/decimal.c; an unchanged
-- fact (the same digits, source and note) writes nothing.
create function api.fact_save(p_kind text, p_hash text, p_csrf text,
    p_place text, p_variable text, p_year integer, p_value numeric,
    p_source text, p_note text, p_base integer, p_comment text,
    p_text boolean) returns json
language plpgsql as $$
declare
	u users := api.auth_user(p_kind, p_hash, p_csrf, 'editor');
	p places;
	v variables;
	sid bigint;
	f facts;
	tomb integer;
begin
	select * into p from places where slug = p_place;
	if not found then
		return api.field_problem('place',
		    api.unknown_message('place', p_place));
	end if;
	select * into v from variables where slug = p_variable;
	if not found then
		return api.field_problem('variable',
		    api.unknown_message('variable', p_variable));
	end if;
	sid := api.source_ref(p_source);
	if sid is null then
		return api.field_problem('source',
		    api.source_unknown(p_source));
	end if;
	if api.series_locked(u, p.id, v.id) then
		return api.problem(403,
		    api.protected_message(p.slug, v.slug), null);
	end if;

	perform api.fact_lock(p.id, v.id, p_year);
	select * into f from facts where place_id = p.id
	and variable_id = v.id and year = p_year for update;
	select revision into tomb from fact_tombstones where place_id = p.id
	and variable_id = v.id and year = p_year;

	if f.revision is not null and p_base is null then
		return api.fact_conflict(format('the fact exists '
		    'already (revision %s): send the revision you read to '
		    'change it', f.revision), p.id, v.id, p_year, p_text);
	elsif f.revision is not null and f.revision <> p_base then
		return api.fact_conflict(format('the fact has changed '
		    'since you read revision %s: it is at revision %s now',
		    p_base, f.revision), p.id, v.id, p_year, p_text);
	elsif f.revision is null and p_base is distinct from tomb and
	    p_base is not null then
		return api.fact_conflict(case when tomb is null then
		    format('there is no fact to update at revision %s', p_base)
		    else format('the fact was deleted (revision %s) since you '
		    'read revision %s', tomb, p_base) end, p.id, v.id, p_year,
		    p_text);
	end if;

	if api.fact_unchanged(f.value, f.source_id, f.note, p_value, sid,
	    p_note) then
		return api.fact_result(p, v, p_year, f.revision, 'unchanged',
		    null, p_text);
	end if;
	return api.fact_apply(u, p, v, p_year, f, tomb, p_value, sid,
	    api.fact_note(p_note, f.note), 'edit', p_comment, p_text);
end
$$;

-- Deletes a fact read at p_base; its history stays, and a revert or an
-- edit restores it.
create function api.fact_delete(p_kind text, p_hash text, p_csrf text,
    p_place text, p_variable text, p_year integer, p_base integer,
    p_comment text, p_text boolean) returns json
language plpgsql as $$
declare
	u users := api.auth_user(p_kind, p_hash, p_csrf, 'editor');
	p places;
	v variables;
	f facts;
	tomb integer;
begin
	select * into p from places where slug = p_place;
	select * into v from variables where slug = p_variable;
	if p.id is null or v.id is null then
		perform api.fail(404, format('no fact %s/%s/%s', p_place,
		    p_variable, p_year));
	end if;
	if api.series_locked(u, p.id, v.id) then
		return api.problem(403,
		    api.protected_message(p.slug, v.slug), null);
	end if;
	perform api.fact_lock(p.id, v.id, p_year);
	select * into f from facts where place_id = p.id
	and variable_id = v.id and year = p_year for update;
	if not found then
		select revision into tomb from fact_tombstones
		where place_id = p.id and variable_id = v.id and year = p_year;
		if tomb is null then
			perform api.fail(404, format('no fact %s/%s/%s',
			    p_place, p_variable, p_year));
		end if;
		return api.fact_conflict(format('the fact was deleted '
		    'already (revision %s)', tomb), p.id, v.id, p_year, p_text);
	end if;
	if f.revision <> p_base then
		return api.fact_conflict(format('the fact has changed '
		    'since you read revision %s: it is at revision %s now',
		    p_base, f.revision), p.id, v.id, p_year, p_text);
	end if;
	return api.fact_apply(u, p, v, p_year, f, null, null, null, null,
	    'delete', p_comment, p_text);
end
$$;

-- Gives a fact the content of its revision p_revision again, as a new
-- revision: a deleted fact is restored; going back to a deletion deletes.
-- Curators only.  An empty comment says what was done.
create function api.fact_revert(p_kind text, p_hash text, p_csrf text,
    p_place text, p_variable text, p_year integer, p_revision integer,
    p_comment text, p_text boolean) returns json
language plpgsql as $$
declare
	u users := api.auth_user(p_kind, p_hash, p_csrf, 'curator');
	p places;
	v variables;
	r fact_revisions;
	f facts;
	tomb integer;
	why text := coalesce(nullif(p_comment, ''),
	    format('revert to revision %s', p_revision));
begin
	select * into p from places where slug = p_place;
	select * into v from variables where slug = p_variable;
	select * into r from fact_revisions where place_id = p.id
	and variable_id = v.id and year = p_year and revision = p_revision;
	if not found then
		perform api.fail(404, format('no revision %s of %s/%s/%s',
		    p_revision, p_place, p_variable, p_year));
	end if;
	perform api.fact_lock(p.id, v.id, p_year);
	select * into f from facts where place_id = p.id
	and variable_id = v.id and year = p_year for update;
	select revision into tomb from fact_tombstones where place_id = p.id
	and variable_id = v.id and year = p_year;
	if r.new_value is null and f.revision is null then
		return api.fact_conflict(format('the fact is deleted '
		    'already, as revision %s left it', p_revision),
		    p.id, v.id, p_year, p_text);
	end if;
	if api.fact_unchanged(f.value, f.source_id, f.note, r.new_value,
	    r.new_source_id, r.new_note) then
		return api.fact_conflict(format('the fact has the '
		    'content of revision %s already', p_revision),
		    p.id, v.id, p_year, p_text);
	end if;
	return api.fact_apply(u, p, v, p_year, f, tomb, r.new_value,
	    r.new_source_id, r.new_note, 'revert', why, p_text);
end
$$;

-- Protects a series from editors (p_protect), or lets them edit it again.
-- Asking for what is already so writes nothing.
create function api.series_protect(p_kind text, p_hash text, p_csrf text,
    p_place text, p_variable text, p_protect boolean, p_comment text)
returns json
language plpgsql as $$
declare
	u users := api.auth_user(p_kind, p_hash, p_csrf, 'curator');
	p places;
	v variables;
	ch bigint;
begin
	select * into p from places where slug = p_place;
	select * into v from variables where slug = p_variable;
	if p.id is null or v.id is null then
		perform api.fail(404, format('no series %s/%s', p_place,
		    p_variable));
	end if;
	if p_protect <> exists (select 1 from protected_series
	    where place_id = p.id and variable_id = v.id) then
		insert into changes (user_id, kind, comment)
		values (u.id, case when p_protect then 'protect'
		    else 'unprotect' end, p_comment)
		returning id into ch;
		insert into series_protections (change_id, place_id,
		    variable_id, protected)
		values (ch, p.id, v.id, p_protect);
		if p_protect then
			insert into protected_series (place_id, variable_id,
			    change_id)
			values (p.id, v.id, ch);
		else
			delete from protected_series where place_id = p.id
			and variable_id = v.id;
		end if;
	end if;
	return json_build_object('place', p.slug, 'variable', v.slug,
	    'protected', p_protect, 'change', ch);
end
$$;

-- The edit form of a fact (values as text): the fact, or null to create
-- it; the revision to base the edit on (a deleted fact's last one); the
-- sources of its series to choose from; and the form's fields.
create function api.fact_form(p_place text, p_variable text,
    p_year integer) returns json
language plpgsql stable as $$
declare
	p places;
	v variables;
	cur jsonb;
	tomb integer;
begin
	p := api.place_find(p_place);
	v := api.variable_find(p_variable);
	cur := api.fact_now(p.id, v.id, p_year, true);
	select revision into tomb from fact_tombstones where place_id = p.id
	and variable_id = v.id and year = p_year;
	return json_build_object(
	    'place', json_build_object('slug', p.slug, 'name', p.name),
	    'variable', json_build_object('slug', v.slug, 'name', v.name,
		'unit', v.unit),
	    'year', p_year,
	    'fact', cur,
	    'deleted_revision', tomb,
	    'base', coalesce((cur ->> 'revision')::integer, tomb),
	    'protected', exists (select 1 from protected_series
		where place_id = p.id and variable_id = v.id),
	    'sources', coalesce((select json_agg(json_build_object('id', s.id,
		'title', s.title, 'url', s.url,
		'ref', coalesce(s.url, '#' || s.id)) order by s.title)
		from sources s where s.id in (select source_id from facts
		    where place_id = p.id and variable_id = v.id)), '[]'),
	    'form', json_build_object('value', cur ->> 'value',
		'source', coalesce(cur #>> '{source,url}',
		    '#' || (cur #>> '{source,id}')),
		'note', cur ->> 'note', 'base', coalesce(
		    (cur ->> 'revision')::integer, tomb)));
end
$$;

-- The form of a new fact: the places and variables to choose from.
create function api.fact_new_form() returns json
language sql stable as $$
	select json_build_object(
	    'places', (select json_agg(json_build_object('slug', slug,
		'name', name) order by name) from places),
	    'variables', (select json_agg(json_build_object('slug', slug,
		'name', name, 'unit', unit) order by name) from variables),
	    'form', '{}'::json)
$$;

-- ---- places, variables, sources ----

create function api.place_content(pl places) returns jsonb
language sql stable as $$
	select jsonb_build_object('slug', pl.slug, 'name', pl.name,
	    'kind', pl.kind,
	    'parent', (select slug from places where id = pl.parent_id),
	    'description', pl.description)
$$;

create function api.variable_content(v variables) returns jsonb
language sql stable as $$
	select jsonb_build_object('slug', v.slug, 'name', v.name,
	    'unit', v.unit, 'description', v.description)
$$;

create function api.source_content(s sources) returns jsonb
language sql stable as $$
	select jsonb_build_object('url', s.url, 'title', s.title,
	    'publisher', s.publisher, 'published', s.published,
	    'accessed', s.accessed, 'notes', s.notes)
$$;

-- The latest revision of a place, variable or source: 0 for one that no
-- form ever changed (an import made it).
create function api.entity_revision(p_entity text, p_id bigint)
returns integer
language sql stable as $$
	select coalesce(max(revision), 0) from entity_revisions
	where entity = p_entity and entity_id = p_id
$$;

-- The current content of an entity, its revision, and who last changed it
-- with a form: what a conflict shows as "theirs".
create function api.entity_now(p_entity text, p_id bigint,
    p_content jsonb) returns jsonb
language sql stable as $$
	select p_content || jsonb_build_object('revision', coalesce(
	    r.revision, 0), 'updated_at', c.at, 'when', api.when(c.at),
	    'updated_by', api.user_name(c.user_id), 'comment', c.comment)
	from (select 1) one
	left join lateral (select * from entity_revisions
	    where entity = p_entity and entity_id = p_id
	    order by revision desc limit 1) r on true
	left join changes c on c.id = r.change_id
$$;

-- The answer to an edit read at revision p_base of an entity now at p_rev
-- (content p_old): 409, with the current content to show beside the
-- editor's.
create function api.entity_conflict(p_entity text, p_id bigint,
    p_base integer, p_rev integer, p_old jsonb) returns json
language sql stable as $$
	select api.problem(409, format('the %s has changed since you read '
	    'revision %s: it is at revision %s now', p_entity, p_base, p_rev),
	    jsonb_build_object('current',
	    api.entity_now(p_entity, p_id, p_old)))
$$;

-- Records an entity's change: a row of changes, and its revision with the
-- full old and new content.  Returns the answer of entity writes.
create function api.entity_record(u users, p_entity text, p_id bigint,
    p_revision integer, p_old jsonb, p_new jsonb, p_comment text)
returns json
language plpgsql as $$
declare
	ch bigint;
begin
	insert into changes (user_id, kind, comment)
	values (u.id, 'edit', p_comment)
	returning id into ch;
	insert into entity_revisions (entity, entity_id, revision, change_id,
	    action, old, new)
	values (p_entity, p_id, p_revision + 1, ch,
	    case when p_old is null then 'create' else 'update' end,
	    p_old, p_new);
	return json_build_object(p_entity, p_new, 'id', p_id,
	    'revision', p_revision + 1,
	    'action', case when p_old is null then 'create' else 'update' end,
	    'change', ch);
end
$$;

-- Creates (p_slug null) or updates a place from p_doc: {slug (when
-- created: it never changes after, links depend on it), name, kind,
-- parent (a slug or null), description}.
create function api.place_save(p_kind text, p_hash text, p_csrf text,
    p_slug text, p_base integer, p_doc jsonb, p_comment text,
    p_text boolean) returns json
language plpgsql as $$
declare
	u users := api.auth_user(p_kind, p_hash, p_csrf, 'editor');
	pl places;
	parent places;
	rev integer := 0;
	old jsonb;
	loop_at text;
begin
	if p_slug is not null then
		select * into pl from places where slug = p_slug for update;
		if not found then
			perform api.fail(404, format('no place %L', p_slug));
		end if;
		rev := api.entity_revision('place', pl.id);
		old := api.place_content(pl);
		if p_base is distinct from rev then
			return api.entity_conflict('place', pl.id, p_base, rev,
			    old);
		end if;
	elsif exists (select 1 from places where slug = p_doc ->> 'slug') then
		return api.field_problem('slug', format('the slug %s '
		    'is taken: /places/%s exists', p_doc ->> 'slug',
		    p_doc ->> 'slug'));
	end if;
	if p_doc ->> 'parent' is not null then
		select * into parent from places where slug = p_doc ->> 'parent';
		if not found then
			return api.field_problem('parent',
			    format('no place %L exists', p_doc ->> 'parent'));
		end if;
		-- The parent and its ancestors must not include the place.
		with recursive up(id, slug) as (
			select parent.id, parent.slug
			union
			select pp.id, pp.slug from up
			join places c on c.id = up.id
			join places pp on pp.id = c.parent_id)
		select slug into loop_at from up where id = pl.id;
		if loop_at is not null then
			return api.field_problem('parent', format(
			    'a place cannot be part of itself: %s is part of %s',
			    parent.slug, pl.slug));
		end if;
	end if;

	if pl.id is null then
		insert into places (slug, name, kind, parent_id, description)
		values (p_doc ->> 'slug', p_doc ->> 'name', p_doc ->> 'kind',
		    parent.id, p_doc ->> 'description')
		on conflict (slug) do nothing
		returning * into pl;
		if not found then
			return api.field_problem('slug', format(
			    'the slug %s is taken', p_doc ->> 'slug'));
		end if;
	else
		pl.name := p_doc ->> 'name';
		pl.kind := p_doc ->> 'kind';
		pl.parent_id := parent.id;
		pl.description := p_doc ->> 'description';
		if api.place_content(pl) = old then
			return json_build_object('place', old, 'id', pl.id,
			    'revision', rev, 'action', 'unchanged');
		end if;
		update places set name = pl.name, kind = pl.kind,
		    parent_id = pl.parent_id, description = pl.description,
		    updated_at = now()
		where id = pl.id;
	end if;
	return api.entity_record(u, 'place', pl.id, rev, old,
	    api.place_content(pl), p_comment);
end
$$;

-- Creates (p_slug null) or updates a variable from p_doc: {slug (when
-- created), name, unit, description, confirm_unit}.  A new unit for a
-- variable with facts relabels them without converting their values: it
-- takes confirm_unit.
create function api.variable_save(p_kind text, p_hash text, p_csrf text,
    p_slug text, p_base integer, p_doc jsonb, p_comment text,
    p_text boolean) returns json
language plpgsql as $$
declare
	u users := api.auth_user(p_kind, p_hash, p_csrf, 'editor');
	v variables;
	rev integer := 0;
	old jsonb;
	n bigint;
begin
	if p_slug is not null then
		select * into v from variables where slug = p_slug for update;
		if not found then
			perform api.fail(404, format('no variable %L', p_slug));
		end if;
		rev := api.entity_revision('variable', v.id);
		old := api.variable_content(v);
		if p_base is distinct from rev then
			return api.entity_conflict('variable', v.id, p_base, rev,
			    old);
		end if;
		if v.unit <> p_doc ->> 'unit' and
		    not coalesce((p_doc ->> 'confirm_unit')::boolean, false) then
			select count(*) into n from facts
			where variable_id = v.id;
			if n > 0 then
				return api.field_problem('unit', format(
				    '%s stated in %L: a new unit relabels '
				    'without converting a value; confirm that '
				    'this is what you want', case n when 1
				    then '1 fact is' else n || ' facts are' end,
				    v.unit));
			end if;
		end if;
		v.name := p_doc ->> 'name';
		v.unit := p_doc ->> 'unit';
		v.description := p_doc ->> 'description';
		if api.variable_content(v) = old then
			return json_build_object('variable', old, 'id', v.id,
			    'revision', rev, 'action', 'unchanged');
		end if;
		update variables set name = v.name, unit = v.unit,
		    description = v.description, updated_at = now()
		where id = v.id;
	else
		insert into variables (slug, name, unit, description)
		values (p_doc ->> 'slug', p_doc ->> 'name', p_doc ->> 'unit',
		    p_doc ->> 'description')
		on conflict (slug) do nothing
		returning * into v;
		if not found then
			return api.field_problem('slug', format('the '
			    'slug %s is taken: /variables/%s exists',
			    p_doc ->> 'slug', p_doc ->> 'slug'));
		end if;
	end if;
	return api.entity_record(u, 'variable', v.id, rev, old,
	    api.variable_content(v), p_comment);
end
$$;

-- Creates (p_id null) or updates a source from p_doc: {url (or null),
-- title, publisher, published, accessed (dates or null), notes}.
create function api.source_save(p_kind text, p_hash text, p_csrf text,
    p_id bigint, p_base integer, p_doc jsonb, p_comment text,
    p_text boolean) returns json
language plpgsql as $$
declare
	u users := api.auth_user(p_kind, p_hash, p_csrf, 'editor');
	s sources;
	rev integer := 0;
	old jsonb;
	other bigint;
begin
	if p_id is not null then
		select * into s from sources where id = p_id for update;
		if not found then
			perform api.fail(404, format('no source %s', p_id));
		end if;
		rev := api.entity_revision('source', s.id);
		old := api.source_content(s);
		if p_base is distinct from rev then
			return api.entity_conflict('source', s.id, p_base, rev,
			    old);
		end if;
	end if;
	select id into other from sources where url = p_doc ->> 'url'
	and id is distinct from p_id;
	if other is not null then
		return api.field_problem('url', format('the source #%s '
		    'has this URL already', other));
	end if;
	if s.id is null then
		insert into sources (url, title, publisher, published,
		    accessed, notes)
		values (p_doc ->> 'url', p_doc ->> 'title',
		    p_doc ->> 'publisher', (p_doc ->> 'published')::date,
		    (p_doc ->> 'accessed')::date, p_doc ->> 'notes')
		on conflict (url) do nothing
		returning * into s;
		if not found then
			return api.field_problem('url', 'another source '
			    'has this URL already');
		end if;
	else
		s.url := p_doc ->> 'url';
		s.title := p_doc ->> 'title';
		s.publisher := p_doc ->> 'publisher';
		s.published := (p_doc ->> 'published')::date;
		s.accessed := (p_doc ->> 'accessed')::date;
		s.notes := p_doc ->> 'notes';
		if api.source_content(s) = old then
			return json_build_object('source', old, 'id', s.id,
			    'revision', rev, 'action', 'unchanged');
		end if;
		update sources set url = s.url, title = s.title,
		    publisher = s.publisher, published = s.published,
		    accessed = s.accessed, notes = s.notes, updated_at = now()
		where id = s.id;
	end if;
	return api.entity_record(u, 'source', s.id, rev, old,
	    api.source_content(s), p_comment);
end
$$;

-- The forms of places, variables and sources: the entity (null for a new
-- one), the revision to base the edit on, and the form's fields.
-- What an edit form starts from to bring back revision p_revision of an
-- entity ({} for none): its content then, and a comment saying so.
create function api.entity_restore(p_entity text, p_key text,
    p_revision integer) returns jsonb
language plpgsql stable as $$
declare
	r entity_revisions;
begin
	if p_revision is null then
		return '{}';
	end if;
	select * into r from entity_revisions
	where entity = p_entity and revision = p_revision
	and entity_id = case p_entity
	    when 'place' then (select id from places where slug = p_key)
	    when 'variable' then (select id from variables where slug = p_key)
	    else p_key::bigint end;
	if not found then
		perform api.fail(404, format('the %s has no revision %s',
		    p_entity, p_revision));
	end if;
	return jsonb_build_object('restoring', p_revision,
	    'form', r.new || jsonb_build_object('comment',
	    format('back to revision %s', p_revision)));
end
$$;

create function api.place_form(p_slug text, p_overlay jsonb) returns json
language plpgsql stable as $$
declare
	pl places;
	content jsonb;
	doc jsonb;
begin
	if p_slug is not null then
		pl := api.place_find(p_slug);
		content := api.place_content(pl);
	end if;
	doc := jsonb_build_object('place', content,
	    'base', api.entity_revision('place', pl.id),
	    'form', coalesce(content, '{"kind": "other"}'),
	    'places', (select jsonb_agg(jsonb_build_object('slug', slug,
		'name', name) order by name) from places
		where kind <> 'city')) || coalesce(p_overlay, '{}');
	-- The kind's option to select, from the form as shown.
	return (doc || jsonb_build_object('kind_is', jsonb_build_object(
	    coalesce(doc #>> '{form,kind}', 'other'), true)))::json;
end
$$;

create function api.variable_form(p_slug text) returns json
language plpgsql stable as $$
declare
	v variables;
	content jsonb;
begin
	if p_slug is not null then
		v := api.variable_find(p_slug);
		content := api.variable_content(v);
	end if;
	return json_build_object('variable', content,
	    'base', api.entity_revision('variable', v.id),
	    'facts', (select count(*) from facts where variable_id = v.id),
	    'form', coalesce(content, '{}'));
end
$$;

create function api.source_form(p_id bigint) returns json
language plpgsql stable as $$
declare
	s sources;
	content jsonb;
begin
	if p_id is not null then
		select * into s from sources where id = p_id;
		if not found then
			perform api.fail(404, format('no source %s', p_id));
		end if;
		content := api.source_content(s);
	end if;
	return json_build_object('source', content, 'id', s.id,
	    'base', api.entity_revision('source', s.id),
	    'form', coalesce(content, '{}'));
end
$$;

-- ---- imports from the web ----

-- Who imports: an editor, whose name the importer records, and the role
-- that tells it whether protected series are out of reach.
create function api.import_user(p_kind text, p_hash text, p_csrf text)
returns json
language plpgsql as $$
declare
	u users := api.auth_user(p_kind, p_hash, p_csrf, 'editor');
begin
	return json_build_object('name', u.name, 'role', u.role);
end
$$;

-- ---- recent changes ----

-- What a change that is not about facts changed: the place, variable or
-- source, or the series it protected, with a title and a link for the
-- pages of recent changes; null for fact changes.
create function api.change_subject(p_change bigint) returns json
language sql stable as $$
	select coalesce(
	    (select json_build_object('type', r.entity, 'action', r.action,
		'id', r.entity_id, 'slug', r.new ->> 'slug',
		'name', coalesce(r.new ->> 'name', r.new ->> 'title'),
		'title', initcap(r.entity) || ': ' ||
		    coalesce(r.new ->> 'name', r.new ->> 'title') ||
		    case when r.action = 'create' then ' (new)' else '' end,
		'href', h.href, 'history', h.href || '/history')
	    from entity_revisions r
	    cross join lateral (select case r.entity
		when 'place' then '/places/' || (r.new ->> 'slug')
		when 'variable' then '/variables/' || (r.new ->> 'slug')
		else '/sources/' || r.entity_id end as href) h
	    where r.change_id = p_change),
	    (select json_build_object('type', 'series',
		'action', case when sp.protected then 'protect'
		    else 'unprotect' end,
		'place', p.slug, 'variable', v.slug,
		'title', case when sp.protected then 'Protected: '
		    else 'Unprotected: ' end || v.name || ', ' || p.name,
		'href', '/series/' || p.slug || '/' || v.slug)
	    from series_protections sp
	    join places p on p.id = sp.place_id
	    join variables v on v.id = sp.variable_id
	    where sp.change_id = p_change))
$$;
