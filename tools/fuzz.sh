#!/bin/sh
# Runs each libFuzzer binary given for FUZZ_SECONDS (default 60) from its
# seed corpus tests/fuzz/corpus/NAME; new inputs go to build/fuzz/corpus.
# A crash, a leak, a timeout (FUZZ_TIMEOUT seconds for one input, default
# 10) or running out of memory fails the run; the input that did it is
# kept as build/fuzz/crashes/NAME-crash-<sha1> (or -leak-, -timeout-,
# -oom-) and named on the last line.  Exits non-zero if any fuzzer failed.
set -u
secs=${FUZZ_SECONDS:-60}
per_input=${FUZZ_TIMEOUT:-10}
failed=0
mkdir -p build/fuzz/crashes build/fuzz/logs
for f in "$@"; do
	name=$(basename "$f")
	work=build/fuzz/corpus/$name
	log=build/fuzz/logs/$name.log
	mkdir -p "$work"
	seeds=tests/fuzz/corpus/$name
	[ -d "$seeds" ] || seeds=
	# shellcheck disable=SC2086
	if "$f" -max_total_time="$secs" -timeout="$per_input" \
	    -artifact_prefix="build/fuzz/crashes/$name-" -print_final_stats=1 \
	    "$work" $seeds >"$log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		echo "ok   fuzz $name: ${runs:-?} inputs in ${secs}s"
	else
		echo "FAIL fuzz $name (log: $log)"
		grep -E '^==[0-9]+==ERROR|^SUMMARY|runtime error|ALARM|out-of-memory' \
		    "$log" | head -n 8 | sed 's/^/     /'
		kept=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
		echo "     input kept as: ${kept:-(none written; see the log)}"
		failed=$((failed + 1))
	fi
done
[ "$failed" = 0 ]
