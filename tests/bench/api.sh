#!/bin/sh
# The API against the data's own limit, called by tests/bench/run.sh with
# the 1,000,000 facts of its import in $DATABASE_URL and a server on $PORT.
#
# The limit: the same facts in a bare schema (places, variables, sources
# and facts with their primary and foreign keys, and the unique slugs the
# query looks up, nothing else) and
# pgbench -M prepared of the plain query that makes a series' JSON, over
# random series, at the concurrency wrk uses.  Every ratio divides by a
# figure measured here, in this run; none divides by a function of ours.
#
#   series: GET /api/v1/series/{p}/{v} of random series (wrk) / the limit
#   api.series: the server's SQL function alone (pgbench) / the limit
#   304: GET of one series with its ETag in If-None-Match / the limit
#   html, svg: the series page and its chart / series JSON, random series
#   facts: GET /api/v1/facts?variable=v&limit=10000 of random variables /
#     pgbench of the same 10,000 rows as JSON on the bare schema
#   p99: the series JSON's 99th percentile latency (target <= 20 ms)
#   rss: the workers' RSS after 60 s of load / after 5 s (target <= 1.1)
#
# CACHE=off, a server whose workers keep no answers (FACTWIKI_CACHE_MB=0;
# their ETags still come from the version of the data): all of these.
# CACHE=on, a server that keeps them: BENCH_PASSES (6) passes over every
# series first, then the series (target >= 2.0), its p99, the 304 (target
# >= 3.0) and the RSS.  The limit is measured once, by the first, and kept
# in $TMP.
set -eu
: "${DATABASE_URL:?}" "${PORT:?}" "${TMP:?}" "${CACHE:?}"
CONNS=${BENCH_CONNS:-32}
SECS=${BENCH_SECS:-10}
PLACES=2000
VARIABLES=50
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
base=http://127.0.0.1:$PORT
sql() { psql -X -q -v ON_ERROR_STOP=1 "$DATABASE_URL" "$@"; }
ratio() { echo "$1 $2" | awk '{ printf "%.2f", $1 / $2 }'; }

# pgbench of a script file: transactions per second.
tps() {
	"$pgbin/pgbench" -n -M prepared -c "$CONNS" -j 2 -T "$SECS" -f "$1" \
	    "$DATABASE_URL" | awk '/^tps/ { printf "%.0f", $3 }'
}

# wrk of a Lua script (random paths) or a path: requests per second; the
# whole report in $TMP/wrk.out.
rps() {
	wrk --latency -c "$CONNS" -t 2 -d "${SECS}s" "$@" > "$TMP/wrk.out"
	awk '/^Requests\/sec/ { printf "%.0f", $2 }' "$TMP/wrk.out"
}

# A wrk script asking for random series, with a path of the form fmt
# (%p the place, %v the variable).
random_paths() {
	cat > "$TMP/$1.lua" <<EOF
math.randomseed(os.time() + math.floor(os.clock() * 1000000))
request = function()
	local p = "$2"
	p = p:gsub("%%p", "place-" .. math.random(1, $PLACES))
	p = p:gsub("%%v", "variable-" .. math.random(1, $VARIABLES))
	return wrk.format("GET", p)
end
EOF
	echo "$TMP/$1.lua"
}

# The 99th percentile latency of the last rps(), and the workers' RSS
# (KB, summed) under 60 s of random series after 5 s of it.
p99() { awk '$1 == "99%" { print $2 }' "$TMP/wrk.out"; }
workers_rss() {
	ps -eo rss,args | awk '/kore \[wrk/ || /factwiki \[wrk/ { s += $1 } END { print s + 0 }'
}
rss() {
	wrk -c "$CONNS" -t 2 -d 60s -s "$TMP/series.lua" "$base" > /dev/null &
	load=$!
	sleep 5
	early=$(workers_rss)
	wait "$load"
	late=$(workers_rss)
	echo "workers' RSS after 60 s of load / after 5 s:  $late KB / $early KB $(ratio "$late" "$early") (target <= 1.1)"
}
# GETs of one series with its ETag in If-None-Match, and the answer's code.
not_modified() {
	etag=$(curl -fsS -D - -o /dev/null "$base/api/v1/series/place-1/variable-1" |
	    awk 'tolower($1) == "etag:" { sub(/\r$/, ""); print $2 }')
	nm=$(rps -H "If-None-Match: $etag" "$base/api/v1/series/place-1/variable-1")
	code=$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" \
	    "$base/api/v1/series/place-1/variable-1")
}

if [ "$CACHE" = on ]; then
	limit=$(cat "$TMP/limit")
	random_paths series /api/v1/series/%p/%v > /dev/null
	# Every series once, 32 at a time, in the order of their ids.  Each
	# worker keeps what it answered, and a connection lands on either:
	# after n passes, a worker lacks about one series in 2^n.
	awk -v P=$PLACES -v V=$VARIABLES -v base="$base" 'BEGIN {
	    for (p = 1; p <= P; p++) for (v = 1; v <= V; v++)
		printf "url = \"%s/api/v1/series/place-%d/variable-%d\"\noutput = \"/dev/null\"\n", base, p, v }' \
	    > "$TMP/every.curl"
	pass=0
	while [ "$pass" -lt "${BENCH_PASSES:=6}" ]; do
		pass=$((pass + 1))
		s=$(date +%s.%N)
		curl -s --no-progress-meter --fail --parallel \
		    --parallel-max "$CONNS" --config "$TMP/every.curl"
		e=$(date +%s.%N)
		echo "pass $pass over all $((PLACES * VARIABLES)) series: $(echo "$s $e" | awk '{ printf "%.0f", $2 - $1 }') s"
	done
	series=$(rps -s "$TMP/series.lua" "$base")
	echo "GET /api/v1/series/{p}/{v}, random, caches on: $series req/s / the limit $(ratio "$series" "$limit") (target >= 2.0); p99 $(p99) (target <= 20ms)"
	not_modified
	echo "the same with If-None-Match (answer $code):      $nm req/s / the limit $(ratio "$nm" "$limit") (target >= 3.0)"
	rss
	exit 0
fi

echo "making the bare schema of the limit"
sql <<'EOF'
DROP SCHEMA IF EXISTS bare CASCADE;
CREATE SCHEMA bare;
CREATE TABLE bare.places (id bigint PRIMARY KEY, slug text NOT NULL UNIQUE);
CREATE TABLE bare.variables (id bigint PRIMARY KEY, slug text NOT NULL UNIQUE,
    unit text);
CREATE TABLE bare.sources (id bigint PRIMARY KEY, url text, title text);
CREATE TABLE bare.facts (place_id bigint REFERENCES bare.places,
    variable_id bigint REFERENCES bare.variables, year integer,
    value numeric NOT NULL, source_id bigint REFERENCES bare.sources,
    PRIMARY KEY (place_id, variable_id, year));
INSERT INTO bare.places SELECT id, slug FROM places;
INSERT INTO bare.variables SELECT id, slug, unit FROM variables;
INSERT INTO bare.sources SELECT id, url, title FROM sources;
INSERT INTO bare.facts SELECT place_id, variable_id, year, value, source_id
    FROM facts;
VACUUM ANALYZE bare.places, bare.variables, bare.sources, bare.facts;
CHECKPOINT;
EOF

cat > "$TMP/limit.sql" <<EOF
\\set p random(1, $PLACES)
\\set v random(1, $VARIABLES)
select coalesce(json_agg(json_build_object('year', f.year, 'value', f.value,
  'source', s.url) order by f.year), '[]')::text
from bare.facts f join bare.places p on p.id = f.place_id
join bare.variables v on v.id = f.variable_id
join bare.sources s on s.id = f.source_id
where p.slug = 'place-' || :p and v.slug = 'variable-' || :v;
EOF
cat > "$TMP/api_series.sql" <<EOF
\\set p random(1, $PLACES)
\\set v random(1, $VARIABLES)
select (select d from api.series('place-' || :p, 'variable-' || :v, null,
    null, null, false) d);
EOF
cat > "$TMP/facts_limit.sql" <<EOF
\\set v random(1, $VARIABLES)
select coalesce(json_agg(json_build_object('place', p.slug, 'variable', v.slug,
  'year', f.year, 'value', f.value, 'source', s.url)), '[]')::text
from (select * from bare.facts f where f.variable_id =
  (select id from bare.variables where slug = 'variable-' || :v)
  order by f.place_id, f.year limit 10000) f
join bare.places p on p.id = f.place_id
join bare.variables v on v.id = f.variable_id
join bare.sources s on s.id = f.source_id;
EOF

limit=$(tps "$TMP/limit.sql")
echo "$limit" > "$TMP/limit"
echo "the limit: pgbench -M prepared of the plain query, random series, $CONNS connections: $limit tps"
fn=$(tps "$TMP/api_series.sql")
echo "api.series() alone in pgbench:                 $fn tps   / the limit $(ratio "$fn" "$limit")"

series=$(rps -s "$(random_paths series /api/v1/series/%p/%v)" "$base")
echo "GET /api/v1/series/{p}/{v}, random:           $series req/s / the limit $(ratio "$series" "$limit") (target >= 0.8); p99 $(p99) (target <= 20ms)"

not_modified
echo "the same with If-None-Match (answer $code):      $nm req/s / the limit $(ratio "$nm" "$limit") (target >= 3.0)"

html=$(rps -s "$(random_paths html /series/%p/%v)" "$base")
echo "series page, random:                          $html req/s / series JSON $(ratio "$html" "$series") (target >= 0.8)"
svg=$(rps -s "$(random_paths svg /charts/%p/%v.svg)" "$base")
echo "chart SVG, random:                            $svg req/s / series JSON $(ratio "$svg" "$series") (target >= 0.9)"

flimit=$(tps "$TMP/facts_limit.sql")
facts=$(rps -s "$(random_paths facts '/api/v1/facts?variable=%v&limit=10000')" "$base")
echo "GET /api/v1/facts?variable=v&limit=10000:     $facts req/s / pgbench of the rows as JSON ($flimit tps) $(ratio "$facts" "$flimit") (target >= 0.5)"

rss
