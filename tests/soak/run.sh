#!/bin/sh
# `make soak`: SOAK_MINUTES (5) of mixed traffic on loopback against a
# server of its own, on a throwaway cluster with the demo data: wrk with
# tests/soak/mixed.lua (nine reads in ten, then saves and bids), a sign-in
# every second, a CSV import each minute, and tests/soak/misbehave.js
# (slow headers, dropped requests, bodies past the limit, unsigned
# uploads).  Prints req/s, p99, errors and the workers' RSS after the
# first minute and at the end; fails on any 5xx, any socket error of wrk,
# or RSS at the end more than 10 % over that after the first minute.
set -eu
cd "$(dirname "$0")/../.."

minutes=${SOAK_MINUTES:-5}
[ "$minutes" -ge 2 ] || { echo "SOAK_MINUTES: 2 at least" >&2; exit 2; }
tmp=$(mktemp -d /tmp/fwsoak.XXXXXX)
[ "$(id -u)" = 0 ] && chmod 755 "$tmp"
pids=
server=
cleanup() {
	for p in $pids $server; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	tools/pg.sh stop "$tmp/pg"
	rm -rf "$(cd "$tmp/pg" 2>/dev/null && pwd -P)" "$tmp"
}
trap cleanup EXIT INT TERM

tools/pg.sh start "$tmp/pg"
DATABASE_URL=$(tools/pg.sh serverurl "$tmp/pg")
FACTWIKI_KEY_FILE=$tmp/master.key
export DATABASE_URL FACTWIKI_KEY_FILE
port=$(node -e 's=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
base=http://127.0.0.1:$port
PORT=$port ACCESS_LOG=$tmp/access.log tools/run.sh > "$tmp/server.log" 2>&1 &
server=$!
for _ in $(seq 1 150); do
	curl -fsS -o /dev/null "$base/api/v1/places" 2>/dev/null && break
	sleep 0.2
done

password="soak password $$"
printf '%s\n' "$password" | build/factwiki user add soak >/dev/null
TOKEN=$(build/factwiki token create soak)
build/factwiki ledger credit soak 1000000.00 --currency EUR --ref soak >/dev/null
printf 'place,variable,year,value,unit,source\nsoak,soak-v,1,1,things,https://example.org/soak\n' |
    build/factwiki import --create-missing - >/dev/null
closes=$(date -u -d "+$((minutes + 10)) minutes" +%Y-%m-%dT%H:%M:%SZ)
SLUG=$(curl -fsS -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \
    -d "{\"title\":\"Soak\",\"project\":\"x\",\"cost\":\"10.00\",\"currency\":\"EUR\",\"max_bid\":\"2000.00\",\"closes_at\":\"$closes\"}" \
    "$base/api/v1/proposals" | sed 's/.*"slug" *: *"\([^"]*\)".*/\1/')
export TOKEN SLUG

workers_rss() {
	ps -eo rss,args | awk '/kore \[wrk/ || /factwiki \[wrk/ { s += $1 } END { print s + 0 }'
}

node tests/soak/misbehave.js 127.0.0.1 "$port" > "$tmp/misbehave.out" &
misbehave=$!
pids="$pids $misbehave"
# A sign-in a second, each as a new browser does it: the form, then the post.
(while :; do
	rm -f "$tmp/jar"
	curl -fsS -c "$tmp/jar" -b "$tmp/jar" -o "$tmp/login.html" "$base/login"
	csrf=$(sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$tmp/login.html" | head -n 1)
	curl -sS -c "$tmp/jar" -b "$tmp/jar" -o /dev/null -w '%{http_code}\n' \
	    --data-urlencode "csrf=$csrf" --data-urlencode name=soak \
	    --data-urlencode "password=$password" "$base/login" >> "$tmp/logins"
	sleep 1
done) &
pids="$pids $!"
# A CSV import a minute, of the demo data (unchanged after the first).
(while :; do
	curl -sS -o /dev/null -w '%{http_code}\n' -H "authorization: Bearer $TOKEN" \
	    -H 'content-type: text/csv' --data-binary @data/gapminder-facts.csv \
	    "$base/api/v1/imports?create_missing=true" >> "$tmp/imports"
	sleep 60
done) &
pids="$pids $!"

report() {
	awk -v when="$1" -v rss="$2" '
	    /^Requests\/sec/ { rps = $2 }
	    $1 == "99%" { p99 = $2 }
	    /Socket errors/ { sock = $0 }
	    /Non-2xx or 3xx/ { non = $NF }
	    END { printf "%s: %s req/s, p99 %s, non-2xx/3xx %s, %s; workers RSS %s KB\n",
		when, rps, p99, non + 0, sock ? sock : "no socket errors", rss }'
}
wrk --latency --timeout 10s -c 32 -t 2 -d 60s -s tests/soak/mixed.lua "$base" > "$tmp/wrk1.out"
rss1=$(workers_rss)
report "after 1 minute" "$rss1" < "$tmp/wrk1.out"
wrk --latency --timeout 10s -c 32 -t 2 -d "$(( (minutes - 1) * 60 ))s" \
    -s tests/soak/mixed.lua "$base" > "$tmp/wrk2.out"
rss2=$(workers_rss)
report "after $minutes minutes" "$rss2" < "$tmp/wrk2.out"
for p in $pids; do kill "$p" 2>/dev/null || true; done
wait $pids 2>/dev/null || true
pids=
cat "$tmp/misbehave.out"
echo "sign-ins: $(grep -c '^303$' "$tmp/logins") of $(wc -l < "$tmp/logins") answered 303; imports: $(grep -c '^200$' "$tmp/imports") of $(wc -l < "$tmp/imports") answered 200"

failed=
if grep -qE 'Socket errors' "$tmp/wrk1.out" "$tmp/wrk2.out"; then
	failed="$failed socket-errors"
fi
# Kore writes out its access log as it stops.
kill "$server"
wait "$server" 2>/dev/null || true
server=
fives=$(grep -cE '" 5[0-9]{2} [0-9]+ "' "$tmp/access.log" || true)
echo "5xx answers: $fives"
[ "$fives" -gt 0 ] && { grep -E '" 5[0-9]{2} [0-9]+ "' "$tmp/access.log" | head; failed="$failed 5xx"; }
grep -q 'gone$' "$tmp/server.log" && failed="$failed worker-died"
growth=$(echo "$rss2 $rss1" | awk '{ printf "%.2f", $1 / $2 }')
echo "workers RSS at the end / after 1 minute: $growth (at most 1.10)"
[ "$(echo "$growth" | awk '{ print ($1 > 1.10) }')" = 1 ] && failed="$failed rss"
[ "$(grep -c '^303$' "$tmp/logins")" -gt 0 ] || failed="$failed sign-ins"
if [ -n "$failed" ]; then
	echo "make soak: FAILED:$failed"
	exit 1
fi
echo "make soak: passed"
