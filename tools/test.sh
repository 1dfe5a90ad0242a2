#!/bin/sh
# `make test`: unit tests (AddressSanitizer), then API and browser tests
# against a real server on a throwaway PostgreSQL cluster, then one summary
# line.  The unit test binaries are the arguments.
set -u
cd "$(dirname "$0")/.."

out=tests/out
rm -rf "$out"
mkdir -p "$out"
failed=

echo "== unit tests"
tools/unit.sh "$@" || failed="$failed unit"

echo "== a throwaway cluster and server"
tmp=$(mktemp -d /tmp/fwtest.XXXXXX)
[ "$(id -u)" = 0 ] && chmod 755 "$tmp"
server=
# Stops the server; a worker that hangs (below) is killed after 10 s.
stop_server() {
	kill "$server" 2>/dev/null || return 0
	for _ in $(seq 1 50); do
		kill -0 "$server" 2>/dev/null || break
		sleep 0.2
	done
	if kill -0 "$server" 2>/dev/null; then
		pkill -KILL -P "$server"
		kill -KILL "$server"
		wait "$server" 2>/dev/null
		return 1
	fi
	wait "$server" 2>/dev/null
	return 0
}
cleanup() {
	[ -n "$server" ] && stop_server
	tools/pg.sh stop "$tmp/pg"
	rm -rf "$(cd "$tmp/pg" 2>/dev/null && pwd -P)" "$tmp"
}
trap cleanup EXIT INT TERM

# The kernel logs a thread that a seccomp filter killed (audit type 1326);
# Kore's parent never hears of it, and that worker hangs.  dmesg may be
# closed to a normal user: then this check is skipped.
sandbox_kills() {
	dmesg 2>/dev/null | grep 'type=1326.*comm="kore"'
}
kills_before=$(sandbox_kills | wc -l)

PG_OPTIONS="-c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    tools/pg.sh start "$tmp/pg" || exit 1
DATABASE_URL=$(tools/pg.sh url "$tmp/pg")
export DATABASE_URL

# A free port: the kernel's pick for a socket that is closed at once.
port=$(node -e 's=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
PORT=$port ACCESS_LOG=$out/access.log tools/run.sh > "$out/server.log" 2>&1 &
server=$!
FW_URL=http://127.0.0.1:$port
export FW_URL
up=
for _ in $(seq 1 100); do
	curl -fsS -o /dev/null "$FW_URL/api/v1/places" 2>/dev/null && { up=1; break; }
	sleep 0.2
done
if [ -z "$up" ]; then
	echo "the server did not start:"
	tail -n 20 "$out/server.log"
	echo "make test: FAILED (server)"
	exit 1
fi

# Installed, or installed before package-lock.json last changed: npm ci.
if [ ! -f node_modules/.package-lock.json ] ||
    [ package-lock.json -nt node_modules/.package-lock.json ]; then
	npm ci --no-audit --no-fund --loglevel=error || failed="$failed npm"
fi

FW_CLI=$(pwd)/build/factwiki
FW_OUT=$(pwd)/$out
export FW_CLI FW_OUT
for suite in api browser; do
	files=$(ls tests/$suite/*.test.js 2>/dev/null)
	[ -n "$files" ] || continue
	echo "== $suite tests"
	# One file at a time (they share the database), on Node 18 too.
	for f in $files; do
		node --test "$f" || failed="$failed $f"
	done
done

# Whatever the tests looked at: no request of the whole run may have had a
# 5xx, and no worker may have died.
echo "== the server's logs"
# Stopped first: Kore writes out the requests it holds at its exit.
if ! stop_server; then
	echo "the server did not stop within 10 s: a worker hangs"
	failed="$failed stop"
fi
server=
if [ "$(sandbox_kills | wc -l)" -gt "$kills_before" ]; then
	sandbox_kills | tail -n +$((kills_before + 1))
	echo "the sandbox killed a worker thread (above: syscall=N); see app/init.c"
	failed="$failed sandbox"
fi
if grep -E '" 5[0-9]{2} [0-9]+ "' "$out/access.log"; then
	echo "the server answered 5xx (above)"
	failed="$failed 5xx"
fi
if grep -E 'gone$|sandbox violation' "$out/server.log"; then
	echo "a worker died (above; $out/server.log)"
	failed="$failed worker"
fi

if [ -z "$failed" ]; then
	echo "make test: all passed"
	exit 0
fi
echo "make test: FAILED ($failed )"
exit 1
