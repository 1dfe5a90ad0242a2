#!/bin/sh
# Runs each libFuzzer binary given for FUZZ_SECONDS (default 60) from its
# seed corpus tests/fuzz/corpus/NAME; new inputs go to build/fuzz/corpus.
set -eu
secs=${FUZZ_SECONDS:-60}
for f in "$@"; do
	name=$(basename "$f")
	work=build/fuzz/corpus/$name
	mkdir -p "$work"
	seeds=tests/fuzz/corpus/$name
	[ -d "$seeds" ] || seeds=
	echo "fuzzing $name for ${secs}s"
	"$f" -max_total_time="$secs" -print_final_stats=1 "$work" $seeds \
	    2>&1 | tail -n 12
done
