-- The guard of 006_editing.sql gives the message of the write functions,
-- api.protected_message(), instead of one of its own.
create or replace function facts_protected_check() returns trigger
language plpgsql as $$
declare
	place text;
	variable text;
begin
	select p.slug, v.slug into place, variable
	from protected_series ps
	join facts f using (place_id, variable_id)
	join places p on p.id = ps.place_id
	join variables v on v.id = ps.variable_id
	where f.xmin = pg_current_xact_id()::xid
	limit 1;
	if found then
		raise exception '%', api.protected_message(place, variable)
		    using errcode = 'FW403';
	end if;
	return null;
end
$$;
