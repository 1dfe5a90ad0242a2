#!/bin/sh
# Installs the Debian packages a target needs, or, when not root, prints the
# exact apt-get line and fails.  Usage: tools/deps.sh build|run|test|bench|fuzz
set -eu

build="gcc make pkg-config kore libpq-dev libsodium-dev libcmark-dev \
libjansson-dev libcsv-dev"
run="$build postgresql curl"
test="$run libcmocka-dev nodejs npm chromium"
bench="$run wrk time nodejs"
fuzz="$build clang libclang-rt-14-dev"

case "${1:-}" in
build) want=$build ;;
run) want=$run ;;
test) want=$test ;;
bench) want=$bench ;;
fuzz) want=$fuzz ;;
*) echo "usage: $0 build|run|test|bench|fuzz" >&2; exit 2 ;;
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
echo "installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null || apt-get update
# shellcheck disable=SC2086
apt-get install -y -qq$missing >/dev/null
