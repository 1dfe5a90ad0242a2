#!/bin/sh
# `make test`: unit tests (AddressSanitizer), then API and browser tests
# against a real server on a throwaway PostgreSQL cluster (and the
# replicas' test, with clusters and servers of its own), then one summary
# line.  The unit test binaries are the arguments.  TESTS=pattern runs only
# the test files whose path matches it (grep -E), for work in progress; the
# summary then says the run was partial.
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
# closed to a normal user: then this check is skipped, and a worker that
# hangs is still caught when the server will not stop.
sandbox_kills() {
	dmesg 2>/dev/null | grep 'type=1326.*comm="kore"'
}
# The name of each syscall number on stdin, from the C library's headers.
syscall_names() {
	defs=$(echo '#include <sys/syscall.h>' | cc -E -dM -)
	while read -r nr; do
		echo "$defs" | awk -v nr="$nr" \
		    '$1 == "#define" && $2 ~ /^__NR_/ && $3 == nr {
		    sub(/^__NR_/, "", $2); print $2 " (" nr ")"; exit }'
	done
}
kills_before=$(sandbox_kills | wc -l)
if ! dmesg >/dev/null 2>&1; then
	echo "(the kernel log is closed to this user: sandbox kills are" \
	    "seen only as a worker that hangs)"
fi

PG_OPTIONS="-c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    tools/pg.sh start "$tmp/pg" || exit 1
DATABASE_URL=$(tools/pg.sh url "$tmp/pg")
export DATABASE_URL

# A free port: the kernel's pick for a socket that is closed at once.
port=$(node -e 's=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
# Run by root, the server's workers are shut in a chroot (tools/run.sh):
# they reach the cluster over TCP, as they would in production.
DATABASE_URL=$(tools/pg.sh serverurl "$tmp/pg") PORT=$port ACCESS_LOG=$out/access.log \
    tools/run.sh > "$out/server.log" 2>&1 &
server=$!
# run.sh ends in exec: this is the server's parent process.
FW_URL=http://127.0.0.1:$port
FW_PID=$server
export FW_URL FW_PID
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
for suite in api replica browser; do
	files=$(ls tests/$suite/*.test.js 2>/dev/null |
	    grep -E -- "${TESTS:-.}")
	[ -n "$files" ] || continue
	echo "== $suite tests"
	# One file at a time (they share the database), on Node 18 too.
	# The spec report on the terminal, a TAP copy to count skips from.
	for f in $files; do
		tap=$out/$suite-$(basename "$f" .test.js).tap
		node --test --test-reporter=spec \
		    --test-reporter-destination=stdout \
		    --test-reporter=tap --test-reporter-destination="$tap" \
		    "$f" || failed="$failed $f"
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
	echo "the sandbox killed a worker thread in the call(s):"
	sandbox_kills | tail -n +$((kills_before + 1)) |
	    sed -n 's/.* syscall=\([0-9]*\) .*/\1/p' | sort -un | syscall_names |
	    sed 's/^/    /'
	echo "allow each in app/init.c, saying why, once it is known to be needed"
	failed="$failed sandbox"
fi
# With SECCOMP_TRACING=1 the parent logs each call the filter would have
# killed, and lets it through: the list of what the workers really need.
if grep -q 'seccomp violation' "$out/server.log"; then
	echo "calls the worker filter does not allow (app/init.c):"
	sed -n 's/.*seccomp violation.*syscall=\([^ ]*\).*/\1/p' \
	    "$out/server.log" | sort | uniq -c | sed 's/^/    /'
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

# node's TAP report ends with "# tests N", "# skipped N", ...
count() {
	cat "$out"/*.tap 2>/dev/null | awk -v k="$1" \
	    '$1 == "#" && $2 == k { n += $3 } END { print n + 0 }'
}
tests=$(count tests)
skipped=$(count skipped)
if [ "$skipped" -gt 0 ]; then
	echo "== skipped, with their reasons"
	grep -h '# SKIP' "$out"/*.tap | sed 's/^ *\(not \)\{0,1\}ok [0-9]* - /    /'
fi
summary="$tests API and browser tests, $skipped skipped"
[ -n "${TESTS:-}" ] && summary="$summary; only files matching '$TESTS'"
if [ -z "$failed" ]; then
	echo "make test: all passed ($summary)"
	exit 0
fi
echo "make test: FAILED ($failed ) ($summary)"
exit 1
