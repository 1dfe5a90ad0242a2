#!/bin/sh
# `make bench`: each result is a ratio to a baseline measured in the same
# run on the same throwaway cluster, so that the machine's speed cancels.
#
#   import: `factwiki import` of 1,000,000 rows (2,000 places x 50
#     variables x 10 years) into an empty database, then again (all
#     unchanged), against a plain \copy of the same rows into a table with
#     the keys, indexes and foreign keys of facts.  Targets: <= 1.2, <= 0.2.
#     With BENCH_BIG=1, a first import of 10,000,000 rows (20,000 places)
#     too, against ten times the first import of 1,000,000: the cost must
#     grow with the rows, no faster (target <= 1.3).
#   memory: the importer's peak RSS on that file (and on 10,000,000 rows
#     with BENCH_BIG=1): it must not grow with the file.
#   api: the series, its page and chart, a 304, and a page of facts,
#     against the data's own limit: pgbench of the plain query on a bare
#     schema of the same facts (tests/bench/api.sh says each); first with
#     the workers' caches off (FACTWIKI_CACHE_MB=0), then on, after passes
#     over every series.
#   clarke: the tally's compute step per voter at 10^4, 10^6, 10^7 voters;
#     redistribute's rebates against it at 10^5 and 10^6 (target <= 1.5)
#     and how much of the tax they give back.
#   strategy: who can gain by not bidding their value, under each pair
#     of rules, in 2,000 random elections (the rules' explanations quote
#     it).
#   tally: the tally of 100,000 bids on a board (parts and proofs, every
#     check, open, compute, store), against the least work of opening them
#     (x*R, a hash, a decryption), and against that with a signature check
#     and the proof made and checked.  No target: the ratios are printed.
#     Every voter is on the roll with a deposit, and settled by the tally:
#     the tally against itself less the settlement (target <= 1.3).
#
# BENCH_ONLY=import stops after the import (BENCH_ROUNDS rounds, 2 unless
# told, and the 10,000,000 rows with BENCH_BIG=1); BENCH_ONLY=api imports
# once and measures the API alone.
set -eu
cd "$(dirname "$0")/../.."

tmp=$(mktemp -d /tmp/fwbench.XXXXXX)
[ "$(id -u)" = 0 ] && chmod 755 "$tmp"
server=
cleanup() {
	[ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
	tools/pg.sh stop "$tmp/pg"
	rm -rf "$(cd "$tmp/pg" 2>/dev/null && pwd -P)" "$tmp"
}
trap cleanup EXIT INT TERM

PG_OPTIONS="-c shared_buffers=512MB -c max_wal_size=4GB" \
    tools/pg.sh start "$tmp/pg"
DATABASE_URL=$(tools/pg.sh serverurl "$tmp/pg")
export DATABASE_URL
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
sql() { psql -X -q -v ON_ERROR_STOP=1 "$DATABASE_URL" "$@"; }

# Seconds (with fractions) that a command takes.
seconds() {
	s=$(date +%s.%N)
	"$@" >/dev/null
	e=$(date +%s.%N)
	echo "$s $e" | awk '{ printf "%.2f", $2 - $1 }'
}
ratio() { echo "$1 $2" | awk '{ printf "%.2f", $1 / $2 }'; }
peak_kb() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -n 1; }
# An empty schema, migrated, its dirty pages written.
empty_schema() {
	sql -c "DROP SCHEMA IF EXISTS api CASCADE; DROP SCHEMA public CASCADE;
	    CREATE SCHEMA public" 2>/dev/null
	build/factwiki migrate >/dev/null
	sql -c "CHECKPOINT"
}

echo "generating 1,000,000 rows"
awk -v PLACES=2000 -v VARIABLES=50 -v YEARS=10 -f tests/bench/gen-facts.awk \
    > "$tmp/facts.csv"

# Each round starts from an empty schema; the disk of a shared machine
# varies from minute to minute, so rounds alternate the two sides.
[ "${BENCH_ONLY:-}" = api ] && BENCH_ROUNDS=1
echo "== import (${BENCH_ROUNDS:=2} rounds)"
round=0
while [ "$round" -lt "$BENCH_ROUNDS" ]; do
	round=$((round + 1))
	empty_schema
	first=$(seconds build/factwiki import --create-missing "$tmp/facts.csv")
	again=$(seconds build/factwiki import "$tmp/facts.csv")
	# The baseline: the same rows, ids resolved, into a copy of facts.
	sql -c "\\copy (SELECT place_id, variable_id, year, value, source_id,
	    note, revision, change_id FROM facts) TO '$tmp/rows.tsv'"
	sql -c "CREATE TABLE bench_facts (LIKE facts INCLUDING ALL);
	    ALTER TABLE bench_facts
	    ADD FOREIGN KEY (place_id) REFERENCES places (id),
	    ADD FOREIGN KEY (variable_id) REFERENCES variables (id),
	    ADD FOREIGN KEY (source_id) REFERENCES sources (id),
	    ADD FOREIGN KEY (change_id) REFERENCES changes (id);
	    CHECKPOINT"
	copy=$(seconds sql -c "\\copy bench_facts FROM '$tmp/rows.tsv'")
	echo "$first $again $copy" >> "$tmp/rounds"
	printf 'round %d: copy %ss, first import %ss (%s), re-import %ss (%s)\n' \
	    "$round" "$copy" "$first" "$(ratio "$first" "$copy")" "$again" \
	    "$(ratio "$again" "$copy")"
done
# The median of each ratio: one round that met a busy disk moves a mean.
median() { sort -n | awk '{ v[NR] = $1 }
    END { printf "%.2f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo "first import / plain copy:        $(awk '{ print $1 / $3 }' "$tmp/rounds" |
    median) (median; target <= 1.2)"
echo "unchanged re-import / plain copy: $(awk '{ print $2 / $3 }' "$tmp/rounds" |
    median) (median; target <= 0.2)"
# Ten times the rows into an empty schema: its time, and the importer's
# peak RSS for the memory check below.
if [ -n "${BENCH_BIG:-}" ] && [ "${BENCH_ONLY:-}" != api ]; then
	echo "generating 10,000,000 rows"
	awk -v PLACES=20000 -v VARIABLES=50 -v YEARS=10 \
	    -f tests/bench/gen-facts.awk > "$tmp/huge.csv"
	empty_schema
	/usr/bin/time -f "%e %M" -o "$tmp/huge.time" \
	    build/factwiki import --create-missing "$tmp/huge.csv" >/dev/null
	rm -f "$tmp/huge.csv"
	read -r huge_s huge_kb < "$tmp/huge.time"
	# Against the median of the rounds' first imports.
	m=$(cut -d ' ' -f 1 "$tmp/rounds" | median)
	echo "first import, 10,000,000 rows:    ${huge_s}s / (10 x ${m}s) =" \
	    "$(echo "$huge_s $m" | awk '{ printf "%.2f", $1 / (10 * $2) }') (target <= 1.3)"
fi
[ "${BENCH_ONLY:-}" = import ] && exit 0

if [ "${BENCH_ONLY:-}" != api ]; then
	echo "== memory"
	awk -v PLACES=200 -v VARIABLES=50 -v YEARS=10 -f tests/bench/gen-facts.awk \
	    > "$tmp/small.csv"
	small=$(peak_kb build/factwiki import --dry-run --create-missing "$tmp/small.csv")
	big=$(peak_kb build/factwiki import --dry-run "$tmp/facts.csv")
	echo "peak RSS, 100,000 rows:           ${small} KB"
	echo "peak RSS, 1,000,000 rows:         ${big} KB  ratio $(ratio "$big" "$small") (flat: ~1)"
	[ -n "${BENCH_BIG:-}" ] &&
	    echo "peak RSS, 10,000,000 rows:        ${huge_kb} KB  ratio $(ratio "$huge_kb" "$small")"
fi

# The server, with an answer cache of $1 megabytes (FACTWIKI_CACHE_MB).
# No access log: Kore's would hold each worker to some 12,000 answers a
# second, and overrun its buffer at that rate (tools/run.sh).
start_server() {
	port=$(node -e 's=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
	FACTWIKI_CACHE_MB=$1 PORT=$port ACCESS_LOG=off \
	    tools/run.sh > "$tmp/server.log" 2>&1 &
	server=$!
	for _ in $(seq 1 100); do
		curl -fsS -o /dev/null "http://127.0.0.1:$port/api/v1/places" 2>/dev/null && break
		sleep 0.2
	done
}
stop_server() {
	kill "$server"
	wait "$server" 2>/dev/null || true
	server=
}

# Vacuumed and analyzed, as the limit's bare schema is (api.sh), and the
# import's pages written out: neither side then shares the machine with
# autovacuum catching up, or with a checkpoint writing a gigabyte.
sql -c "VACUUM ANALYZE"
sql -c "CHECKPOINT"
echo "== api, caches off (FACTWIKI_CACHE_MB=0)"
start_server 0
# The server makes every series' document in the background after the
# import (sql/015_series_docs.sql): the time it takes, then its pages
# written out too.
s=$(date +%s.%N)
while [ "$(sql -Atc 'SELECT count(*) FROM series_stale')" != 0 ]; do sleep 0.5; done
e=$(date +%s.%N)
echo "series documents made by the server after the import: $(sql -Atc 'SELECT count(*) FROM series_docs') in $(echo "$s $e" | awk '{ printf "%.0f", $2 - $1 }') s"
sql -c "VACUUM ANALYZE series_docs"
sql -c "CHECKPOINT"
PORT=$port TMP=$tmp CACHE=off tests/bench/api.sh
stop_server
# Room in each worker for every series' JSON (100,000 of some 1.7 KB).
echo "== api, caches on (FACTWIKI_CACHE_MB=${BENCH_CACHE_MB:=256}), after passes over every series"
start_server "$BENCH_CACHE_MB"
PORT=$port TMP=$tmp CACHE=on tests/bench/api.sh
# The server would tally the benchmark's proposals itself: stop it first.
stop_server

[ "${BENCH_ONLY:-}" = api ] && exit 0
[ -x build/clarke_bench ] && { echo "== clarke"; build/clarke_bench; }
[ -x build/strategy ] && { echo "== strategy"; build/strategy; }
# The tally of 100,000 bids against the least work of opening them.
[ -x build/tally_bench ] && { echo "== tally"; build/tally_bench; }
exit 0
