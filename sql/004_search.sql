-- Search by name: trigram indexes serve both substring matches (ILIKE
-- '%ghan%') and near misses (similarity, for "Afganistan"), without a
-- sequential scan of the names on every key press of the suggest box.

create extension if not exists pg_trgm;

create index places_name_trgm on places using gin (name gin_trgm_ops);
create index variables_name_trgm on variables using gin (name gin_trgm_ops);
create index sources_title_trgm on sources using gin (title gin_trgm_ops);
