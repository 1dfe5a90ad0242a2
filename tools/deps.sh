#!/bin/sh
# Installs the Debian packages a target needs, or, when not root, prints the
# exact apt-get line and fails.  Usage: tools/deps.sh build|run|unit|test|bench|fuzz
set -eu

build="gcc make pkg-config kore libpq-dev libsodium-dev libcmark-dev \
libjansson-dev libcsv-dev libcurl4-openssl-dev"
run="$build postgresql curl"
unit="$build libcmocka-dev"
test="$run libcmocka-dev nodejs npm chromium"
bench="$run wrk time nodejs"
fuzz="$build clang libclang-rt-14-dev"

case "${1:-}" in
build) want=$build ;;
run) want=$run ;;
unit) want=$unit ;;
test) want=$test ;;
bench) want=$bench ;;
fuzz) want=$fuzz ;;
*) echo "usage: $0 build|run|unit|test|bench|fuzz" >&2; exit 2 ;;
esac

missing=
for p in $want; do
	# Node may come from elsewhere than Debian (e.g. NodeSource): accept it.
	case $p in
	nodejs) command -v node >/dev/null 2>&1 && continue ;;
	npm) command -v npm >/dev/null 2>&1 && continue ;;
	esac
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
	    missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "factwiki needs these Debian packages; install them with:" >&2
	echo "  sudo apt-get install -y$missing" >&2
	exit 1
fi

# Another apt (unattended-upgrades, a second terminal) may hold the lock of
# dpkg or of apt's lists: wait for it, saying who, rather than fail with
# apt's message.  Prints the holder's pid, or nothing.
lock_holder() {
	for f in /var/lib/dpkg/lock-frontend /var/lib/dpkg/lock \
	    /var/lib/apt/lists/lock; do
		[ -e "$f" ] || continue
		# /proc/locks: "1: POSIX ADVISORY WRITE pid maj:min:inode 0 EOF"
		awk -v ino="$(stat -c %i "$f")" '{ n = split($6, d, ":") }
		    d[n] == ino && $5 > 0 { print $5; exit }' /proc/locks
	done | head -n 1
}
wait_max=${DEPS_LOCK_WAIT:-600}
waited=0
while pid=$(lock_holder) && [ -n "$pid" ]; do
	if [ "$waited" -ge "$wait_max" ]; then
		echo "another package manager (process $pid) still holds the" \
		    "dpkg lock after ${wait_max}s; let it finish, then run make" \
		    "again" >&2
		exit 1
	fi
	[ $((waited % 30)) = 0 ] && echo "waiting for process $pid" \
	    "($(tr '\0' ' ' < /proc/"$pid"/cmdline 2>/dev/null)) to release" \
	    "the dpkg lock (up to ${wait_max}s)" >&2
	sleep 5
	waited=$((waited + 5))
done

echo "installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
# A lock taken in the moment since the check above: apt waits for it too.
apt="apt-get -o DPkg::Lock::Timeout=120"
$apt update -qq >/dev/null || $apt update
# shellcheck disable=SC2086
$apt install -y -qq$missing >/dev/null
