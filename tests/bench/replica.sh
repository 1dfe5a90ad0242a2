#!/bin/sh
# `make bench-replica`: random series JSON (caches off, so that every
# answer is a query), from one server on the primary alone, then from two
# servers on the primary with a streaming standby taking their reads, on
# this machine.  On one machine the two share its CPUs, so the ratio shows
# what the standby costs, not what a second machine would add
# (docs/scaling.md says how to read it).
#
# 100,000 facts (1,000 places x 10 variables x 10 years); BENCH_CONNS (32)
# connections in all, BENCH_SECS (10) seconds each.  Medians of
# BENCH_ROUNDS (3) rounds, the two set-ups alternating.
#
# Then where writes saturate: new facts POSTed to the server on the
# primary as fast as it takes them, against the limit of that work,
# pgbench of a plain INSERT of such rows into a bare keyed table.
set -eu
cd "$(dirname "$0")/../.."
CONNS=${BENCH_CONNS:-32}
SECS=${BENCH_SECS:-10}
ROUNDS=${BENCH_ROUNDS:-3}
PLACES=1000
VARIABLES=10

tmp=$(mktemp -d /tmp/fwbenchrep.XXXXXX)
[ "$(id -u)" = 0 ] && chmod 755 "$tmp"
pids=
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	tools/pg.sh stop "$tmp/standby"
	tools/pg.sh stop "$tmp/primary"
	rm -rf "$(cd "$tmp/standby" 2>/dev/null && pwd -P)" \
	    "$(cd "$tmp/primary" 2>/dev/null && pwd -P)" "$tmp"
}
trap cleanup EXIT INT TERM

PG_OPTIONS="-c shared_buffers=256MB" tools/pg.sh start "$tmp/primary"
DATABASE_URL=$(tools/pg.sh url "$tmp/primary")
export DATABASE_URL
build/factwiki migrate > /dev/null
awk -v PLACES=$PLACES -v VARIABLES=$VARIABLES -v YEARS=10 \
    -f tests/bench/gen-facts.awk > "$tmp/facts.csv"
build/factwiki import --create-missing "$tmp/facts.csv" > /dev/null
psql -X -q "$DATABASE_URL" -c "VACUUM ANALYZE" -c "CHECKPOINT"
PG_OPTIONS="-c shared_buffers=256MB" tools/pg.sh standby "$tmp/standby" \
    "$tmp/primary"
standby=$(tools/pg.sh url "$tmp/standby")

cat > "$tmp/series.lua" <<EOF
math.randomseed(os.time() + math.floor(os.clock() * 1000000))
request = function()
	return wrk.format("GET", "/api/v1/series/place-" ..
	    math.random(1, $PLACES) .. "/variable-" ..
	    math.random(1, $VARIABLES))
end
EOF

# A server on a free port, reading from $2 when given: its port in $port.
# Not in a subshell: its pid must reach cleanup().
serve() {
	port=$(node -e 's=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
	sed "/^[[:space:]]*accesslog/d; s/@PORT@/$port/; s/@BIND@/127.0.0.1/;
	    s|^pidfile.*|pidfile $tmp/$1.pid|" conf/factwiki.conf.in \
	    > "$tmp/$1.conf"
	FACTWIKI_CACHE_MB=0 FACTWIKI_KEY_FILE=$tmp/master.key \
	    DATABASE_READ_URL=${2:-} kore -f -n -r -c "$tmp/$1.conf" \
	    > "$tmp/$1.log" 2>&1 &
	pids="$pids $!"
	for _ in $(seq 1 100); do
		curl -fsS -o /dev/null "http://127.0.0.1:$port/api/v1/places" \
		    2>/dev/null && break
		sleep 0.1
	done
}
rps() {
	wrk -c "$2" -t 1 -d "${SECS}s" -s "$tmp/series.lua" \
	    "http://127.0.0.1:$1" | awk '/^Requests\/sec/ { printf "%.0f", $2 }'
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

serve one
one=$port
serve a "$standby"
a=$port
serve b "$standby"
b=$port
# Both on the standby before they are measured.
for p in $a $b; do
	for _ in $(seq 1 50); do
		curl -fsS -D - -o /dev/null "http://127.0.0.1:$p/api/v1/places" |
		    grep -qi '^x-replica-lag' && break
		sleep 0.1
	done
done

round=0
while [ "$round" -lt "$ROUNDS" ]; do
	round=$((round + 1))
	r1=$(rps "$one" "$CONNS")
	half=$((CONNS / 2))
	rps "$a" "$half" > "$tmp/ra" &
	ra=$!
	rb=$(rps "$b" "$half")
	wait "$ra"
	r2=$(($(cat "$tmp/ra") + rb))
	echo "$r1" >> "$tmp/one"
	echo "$r2" >> "$tmp/two"
	echo "round $round: one server on the primary $r1 req/s; two on primary + standby $r2 req/s"
done
r1=$(median < "$tmp/one")
r2=$(median < "$tmp/two")
echo "series JSON, random, caches off, $CONNS connections, medians of $ROUNDS rounds:"
echo "  one server, primary alone:            $r1 req/s"
echo "  two servers, reads on the standby:    $r2 req/s  ratio $(echo "$r2 $r1" | awk '{ printf "%.2f", $1 / $2 }')"
echo "  (one machine of $(nproc) CPUs for all of it: see docs/scaling.md)"

# Writes: each a new fact (a year no other request writes), as an editor.
echo "bench editor password" |
    build/factwiki user add bench-editor --role editor > /dev/null
token=$(build/factwiki token create bench-editor)
# Request k of thread t writes fact 2k+t: every place and variable once,
# then the next year.
cat > "$tmp/writes.lua" <<EOF
local threads = 0
setup = function(thread) thread:set("t", threads); threads = threads + 1 end
n = 0
request = function()
	n = n + 1
	local k = n * 2 + t
	local body = '{"place":"place-' .. (k % $PLACES + 1) ..
	    '","variable":"variable-' .. (math.floor(k / $PLACES) % $VARIABLES + 1) ..
	    '","year":' .. (2100 + math.floor(k / ($PLACES * $VARIABLES))) ..
	    ',"value":"1.5","source":"https://example.org/bench"}'
	return wrk.format("POST", "/api/v1/facts", {
	    ["Authorization"] = "Bearer $token",
	    ["Content-Type"] = "application/json" }, body)
end
EOF
psql -X -q "$DATABASE_URL" -c "CREATE TABLE bench_writes (place_id bigint,
    variable_id bigint, year integer, value numeric NOT NULL,
    source_id bigint, PRIMARY KEY (place_id, variable_id, year))"
cat > "$tmp/insert.sql" <<EOF
\set p random(1, $PLACES)
\set v random(1, $VARIABLES)
\set y random(2100, 999999)
INSERT INTO bench_writes VALUES (:p, :v, :y, 1.5, 1) ON CONFLICT DO NOTHING;
EOF
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
limit=$("$pgbin/pgbench" -n -M prepared -c "$CONNS" -j 2 -T "$SECS" \
    -f "$tmp/insert.sql" "$DATABASE_URL" | awk '/^tps/ { printf "%.0f", $3 }')
wrk -c "$CONNS" -t 2 -d "${SECS}s" -s "$tmp/writes.lua" \
    "http://127.0.0.1:$one" > "$tmp/writes.out"
writes=$(awk '/^Requests\/sec/ { printf "%.0f", $2 }' "$tmp/writes.out")
bad=$(awk '/Non-2xx/ { print $NF }' "$tmp/writes.out")
echo "new facts, POST /api/v1/facts, $CONNS connections: $writes writes/s (${bad:-0} answers not 2xx)"
echo "  / pgbench of a plain INSERT into a bare keyed table, $limit tps: $(echo "$writes $limit" | awk '{ printf "%.2f", $1 / $2 }')"
