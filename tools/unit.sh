#!/bin/sh
# Runs the unit test binaries given (built with AddressSanitizer and UBSan)
# and prints one line per binary.  Exits non-zero if any failed.
set -u
failed=0
for t in "$@"; do
	if out=$(UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	    ASAN_OPTIONS=detect_leaks=1 "$t" 2>&1); then
		echo "ok   unit $(basename "$t")"
	else
		echo "FAIL unit $(basename "$t")"
		echo "$out" | tail -n 40 | sed 's/^/     /'
		failed=$((failed + 1))
	fi
done
[ "$failed" = 0 ]
