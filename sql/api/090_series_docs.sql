-- Series documents (sql/015_series_docs.sql): made from the same parts the
-- series' answers are made of when it has none, so that both are the same
-- to the byte.

-- Makes the documents of up to p_limit stale series; the number made or
-- found empty, 0 when none was stale.  One statement: it waits for writes
-- that hold series_docs to commit, so that what it reads next has them,
-- and writes wait for it to commit before deleting what it made.
create function api.series_docs_fill(p_limit integer) returns integer
-- Compiling would take longer than the work.
language plpgsql set jit to off as $$
declare
	n integer;
begin
	lock table series_docs in share row exclusive mode;
	with s as (delete from series_stale t
		where (t.place_id, t.variable_id) in (select place_id,
		    variable_id from series_stale limit p_limit)
		returning t.place_id, t.variable_id),
	made as (insert into series_docs
		select s.place_id, s.variable_id, a.observations::text,
		    a.sources::text, pg.observations::text,
		    pg.sources::text, pg.count, pg.first_year, pg.last_year,
		    h.history::text, h.change, h.at, c.o::text
		from s
		cross join lateral api.series_parts(s.place_id,
		    s.variable_id, null, null, null, false) a
		cross join lateral api.series_page_parts(s.place_id,
		    s.variable_id, null, null, null, true) pg
		cross join lateral api.series_history(s.place_id,
		    s.variable_id, null, true) h
		cross join lateral api.chart_points(s.place_id,
		    s.variable_id, null, null) c(o)
		-- A series with no facts left has no document.
		where pg.count > 0
		on conflict (place_id, variable_id) do update set
		    observations = excluded.observations,
		    sources = excluded.sources,
		    page_observations = excluded.page_observations,
		    page_sources = excluded.page_sources,
		    count = excluded.count,
		    first_year = excluded.first_year,
		    last_year = excluded.last_year,
		    history = excluded.history, change = excluded.change,
		    at = excluded.at, points = excluded.points)
	select count(*) into n from s;
	return n;
end
$$;

-- Documents made by other functions than these may differ: a new api
-- schema makes them all again.
truncate series_docs;
insert into series_stale select distinct place_id, variable_id from facts
on conflict do nothing;
