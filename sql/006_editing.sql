-- Editing: the history of places, variables and sources, and protected
-- series.
--
-- A place, variable or source edited through a form writes one immutable
-- row in entity_revisions with its full old and new content, under a row
-- of changes (who, when, why), as facts do in fact_revisions.  Its latest
-- revision number is what an edit form carries, so that saving over a
-- newer edit is a conflict, not a lost update.  One made by an import has
-- no revision yet: 0.

create table entity_revisions (
	entity		text not null
			check (entity in ('place', 'variable', 'source')),
	entity_id	bigint not null,
	revision	integer not null check (revision > 0),
	change_id	bigint not null references changes (id),
	action		text not null check (action in ('create', 'update')),
	old		jsonb,
	new		jsonb not null,
	primary key (entity, entity_id, revision)
);

create index entity_revisions_change on entity_revisions (change_id);

create trigger entity_revisions_append_only
	before update or delete on entity_revisions
	for each statement execute function forbid_rewrite();

-- A protected series (place x variable) is changed by curators only.
create table protected_series (
	place_id	bigint not null references places (id),
	variable_id	bigint not null references variables (id),
	change_id	bigint not null references changes (id),
	primary key (place_id, variable_id)
);

-- Who protected or unprotected which series, and why: one row a change.
create table series_protections (
	change_id	bigint primary key references changes (id),
	place_id	bigint not null,
	variable_id	bigint not null,
	protected	boolean not null
);

create trigger series_protections_append_only
	before update or delete on series_protections
	for each statement execute function forbid_rewrite();

alter table changes drop constraint changes_kind_check,
	add constraint changes_kind_check check (kind in
	    ('edit', 'delete', 'revert', 'import', 'protect', 'unprotect'));

-- The write functions check protection themselves, with their own
-- message.  An import from the web runs on a connection that says it
-- writes for an editor (SET factwiki.role = 'editor'); then one statement
-- that touched a protected series fails, and the import with it.  Facts
-- this transaction wrote carry its xid; protected series are few, so this
-- reads a handful of index entries, and costs nothing to the command line.
create function facts_protected_check() returns trigger
language plpgsql as $$
declare
	series text;
begin
	select p.slug || '/' || v.slug into series
	from protected_series ps
	join facts f using (place_id, variable_id)
	join places p on p.id = ps.place_id
	join variables v on v.id = ps.variable_id
	where f.xmin = pg_current_xact_id()::xid
	limit 1;
	if series is not null then
		raise exception 'the series % is protected: only a curator '
		    'can change its facts', series using errcode = 'FW403';
	end if;
	return null;
end
$$;

create trigger facts_protected
	after insert or update on facts
	for each statement
	when (current_setting('factwiki.role', true) = 'editor')
	execute function facts_protected_check();
