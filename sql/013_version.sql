-- The version of what the public reads: one number that grows with every
-- committed change to a table whose content a public answer shows.  The
-- server keeps answers made at a version and sends them again, without
-- asking the database, until it moves (app/cache.c); their ETags are made
-- from it.  Each change is announced, at its commit, to those who LISTEN
-- on factwiki_changed, with the new version as the payload (app/version.c).
--
-- The tables of referenda (proposals, bids, the board, results, the
-- ledger, ...) are not counted: their answers are never kept, they change
-- often, and some are private.  Sessions, tokens and sign-in attempts show
-- in no public answer.
--
-- A transaction counts its changes once, as it commits: the statements
-- that change a counted table only note that it has some (a row of
-- content_version_due, which fires a deferred trigger), and the version's
-- row is updated, and locked, by the last thing the transaction does.
-- Locked from its first change instead, an import would hold every other
-- writer until its commit, and could deadlock with an edit that holds
-- facts (api.fact_lock()).  A write of the server counts them at the end
-- of its statement instead (content_version_settle(), app/db.c), so that
-- it learns the version it made.

create table content_version (
	one		boolean primary key default true check (one),
	version		bigint not null
);

-- A version is never below the clock in microseconds: one that restarts
-- from a restored backup still moves past every version a server saw.
create function content_version_next(v bigint) returns bigint
language sql volatile as $$
	select greatest(v + 1,
	    (extract(epoch from clock_timestamp()) * 1000000)::bigint)
$$;

insert into content_version (version) values (content_version_next(0));

-- The transaction's note that it changed something: its own row, which
-- content_version_settle() removes.  Never anything at rest, never logged.
create unlogged table content_version_due ();

-- Counts the changes of this transaction now, once: the new version, or
-- the one already made, or null when there is nothing to count.  A
-- transaction-local setting remembers both, and is undone with what a
-- rolled back subtransaction did.
create function content_version_settle() returns bigint
language plpgsql as $$
declare
	v bigint;
begin
	if current_setting('factwiki.version_due', true) is distinct from
	    'yes' then
		return nullif(current_setting('factwiki.version', true),
		    '')::bigint;
	end if;
	update content_version set version = content_version_next(version)
	returning version into v;
	delete from content_version_due;
	perform set_config('factwiki.version_due', 'no', true);
	perform set_config('factwiki.version', v::text, true);
	perform pg_notify('factwiki_changed', v::text);
	return v;
end
$$;

-- After each statement that changes a counted table: notes it, once.
create function content_changed() returns trigger
language plpgsql as $$
begin
	if current_setting('factwiki.version_due', true) is distinct from
	    'yes' then
		perform set_config('factwiki.version_due', 'yes', true);
		insert into content_version_due default values;
	end if;
	return null;
end
$$;

create function content_version_commit() returns trigger
language plpgsql as $$
begin
	perform content_version_settle();
	return null;
end
$$;

create constraint trigger content_version_commit
	after insert on content_version_due
	deferrable initially deferred
	for each row execute function content_version_commit();

-- What the public answers show (sql/api/010_read.sql, 020_pages.sql,
-- 040_pages.sql).  fact_tombstones change only with facts.
do $$
declare
	t text;
begin
	foreach t in array array['places', 'variables', 'sources', 'facts',
	    'changes', 'fact_revisions', 'entity_revisions',
	    'protected_series', 'series_protections'] loop
		execute format('create trigger %I after insert or update or '
		    'delete or truncate on %I for each statement execute '
		    'function content_changed()', t || '_changed', t);
	end loop;
end
$$;

-- Of a user, answers show the name only (who made a change).
create trigger users_changed
	after update of name or delete on users
	for each statement execute function content_changed();
