-- Series documents: the parts of a series' answers (JSON, page, chart) as
-- they stand now, made once and read many times.  Made from facts, their
-- revisions, changes and sources by api.series_docs_fill() (sql/api/
-- 090_series_docs.sql), which the server runs in the background; a series
-- without one is answered from those tables, as every series was before.
--
-- Never stale: a write that changes what a document holds deletes it in
-- its own transaction (the triggers below) and notes its series in
-- series_stale for the next fill.  A fill locks series_docs against those
-- deletions first, so that it reads after every write it could miss has
-- committed, and a write waits for a fill to commit before deleting what
-- it made.
create table series_docs (
	place_id		bigint not null references places,
	variable_id		bigint not null references variables,
	observations		text not null,
	sources			text not null,
	page_observations	text not null,
	page_sources		text not null,
	count			integer not null,
	first_year		integer not null,
	last_year		integer not null,
	history			text not null,
	change			bigint not null,
	at			timestamptz not null,
	points			text not null,
	primary key (place_id, variable_id)
);

create table series_stale (
	place_id	bigint not null,
	variable_id	bigint not null,
	primary key (place_id, variable_id)
);

-- Takes the documents of these series (each once) away, and notes them for
-- the fill.  The caller locks series_docs first, in a statement of its
-- own, so that this one reads after any fill that held it has committed.
create function series_docs_drop(p_places bigint[], p_variables bigint[])
returns void
language sql as $$
	with s as (select * from unnest(p_places, p_variables)
		u(place_id, variable_id)),
	gone as (delete from series_docs d using s
		where d.place_id = s.place_id
		and d.variable_id = s.variable_id)
	insert into series_stale select place_id, variable_id from s
	on conflict do nothing
$$;

-- Every change to facts writes its revision: the one place to notice.
create function series_docs_revised() returns trigger
language plpgsql as $$
begin
	lock table series_docs in row exclusive mode;
	-- Each series once before the arrays: an import revises millions.
	perform series_docs_drop(array_agg(place_id), array_agg(variable_id))
	from (select distinct place_id, variable_id from revised) s;
	return null;
end
$$;

create trigger series_docs_revised
	after insert on fact_revisions referencing new table as revised
	for each statement execute function series_docs_revised();

-- A source's title, address or publisher shows in each series it backs.
create function series_docs_sourced() returns trigger
language plpgsql as $$
begin
	lock table series_docs in row exclusive mode;
	perform series_docs_drop(array_agg(place_id), array_agg(variable_id))
	from (select distinct f.place_id, f.variable_id
		from changed c join was w on w.id = c.id
		join facts f on f.source_id = c.id
		where (c.title, c.url, c.publisher) is distinct from
		    (w.title, w.url, w.publisher)) s;
	return null;
end
$$;

create trigger series_docs_sourced
	after update on sources
	referencing old table as was new table as changed
	for each statement execute function series_docs_sourced();
