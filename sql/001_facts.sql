-- Places, variables, sources, facts and their history.
--
-- A fact is place x variable x year -> value, backed by a source.  Every change
-- to a fact writes one immutable row in fact_revisions with the full old and new
-- content; the rows of one action (an edit, an import, a revert) share a row in
-- changes, which says who, when and why.

create table users (
	id		bigint generated always as identity primary key,
	name		text not null unique
			check (name ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$'),
	role		text not null default 'editor'
			check (role in ('system', 'editor', 'curator', 'admin')),
	created_at	timestamptz not null default now()
);

-- Imports and migrations are attributed to this user unless told otherwise.
insert into users (name, role) values ('system', 'system');

create domain slug as text
	check (value ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(value) <= 64);

create table places (
	id		bigint generated always as identity primary key,
	slug		slug not null unique,
	name		text not null check (length(name) between 1 and 200),
	kind		text not null default 'other'
			check (kind in ('country', 'region', 'city', 'world', 'other')),
	parent_id	bigint references places (id),
	description	text not null default '' check (length(description) <= 100000),
	created_at	timestamptz not null default now(),
	updated_at	timestamptz not null default now()
);

create table variables (
	id		bigint generated always as identity primary key,
	slug		slug not null unique,
	name		text not null check (length(name) between 1 and 200),
	unit		text not null default '' check (length(unit) <= 100),
	description	text not null default '' check (length(description) <= 100000),
	created_at	timestamptz not null default now(),
	updated_at	timestamptz not null default now()
);

create table sources (
	id		bigint generated always as identity primary key,
	url		text unique
			check (url ~ '^https?://[^[:space:]]+$' and length(url) <= 2000),
	title		text not null check (length(title) between 1 and 500),
	publisher	text not null default '' check (length(publisher) <= 500),
	published	date,
	accessed	date,
	notes		text not null default '' check (length(notes) <= 100000),
	created_at	timestamptz not null default now(),
	updated_at	timestamptz not null default now()
);

create table changes (
	id		bigint generated always as identity primary key,
	user_id		bigint not null references users (id),
	at		timestamptz not null default now(),
	kind		text not null
			check (kind in ('edit', 'delete', 'revert', 'import')),
	comment		text not null default '' check (length(comment) <= 2000),
	facts_added	integer not null default 0,
	facts_updated	integer not null default 0,
	facts_deleted	integer not null default 0
);

create index changes_user on changes (user_id, id);

create table facts (
	place_id	bigint not null references places (id),
	variable_id	bigint not null references variables (id),
	year		smallint not null check (year between -9999 and 9999),
	value		numeric not null,
	source_id	bigint not null references sources (id),
	note		text not null default '' check (length(note) <= 2000),
	revision	integer not null,
	change_id	bigint not null references changes (id),
	primary key (place_id, variable_id, year)
);

create index facts_variable on facts (variable_id, place_id, year);
create index facts_source on facts (source_id);

-- The history of a fact is keyed by (place, variable, year), not by a row id,
-- so that a deleted and restored fact keeps one continuous history.  It has
-- no foreign keys: it is an append-only log written only by the functions
-- that change facts, from rows that exist, and an import of a million facts
-- writes a million of its rows, where each key check would cost a trigger.
create table fact_revisions (
	place_id	bigint not null,
	variable_id	bigint not null,
	year		smallint not null,
	revision	integer not null,
	change_id	bigint not null,
	action		text not null
			check (action in ('create', 'update', 'delete', 'restore')),
	old_value	numeric,
	old_source_id	bigint,
	old_note	text,
	new_value	numeric,
	new_source_id	bigint,
	new_note	text,
	primary key (place_id, variable_id, year, revision)
);

create index fact_revisions_change on fact_revisions (change_id);

-- The last revision of each deleted fact, so that restoring it (by an edit
-- or an import) goes on with the next number without searching the history.
create table fact_tombstones (
	place_id	bigint not null references places (id),
	variable_id	bigint not null references variables (id),
	year		smallint not null,
	revision	integer not null,
	primary key (place_id, variable_id, year)
);

-- History is immutable: no one, not even the application, rewrites it.
create function forbid_rewrite() returns trigger language plpgsql as $$
begin
	raise exception '% is append-only', tg_table_name
	    using errcode = 'FW403';
end
$$;

create trigger fact_revisions_append_only
	before update or delete on fact_revisions
	for each statement execute function forbid_rewrite();

create trigger changes_append_only
	before update or delete on changes
	for each statement execute function forbid_rewrite();
