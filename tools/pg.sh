#!/bin/sh
# A local PostgreSQL cluster for development and tests.
#
#   tools/pg.sh start DIR   create (first time) and start a cluster in DIR
#   tools/pg.sh stop DIR    stop it
#   tools/pg.sh url DIR     print its DATABASE_URL
#
# PG_OPTIONS adds server options (the throwaway test cluster turns fsync off).
#
# The cluster listens on a unix socket only.  PostgreSQL refuses to run as
# root, so root runs it as "postgres"; that user may not be able to reach DIR
# (a checkout under /root), and a socket path must stay under ~100 bytes.  So
# when either would fail, the data lives in a short directory under /var/tmp
# and DIR becomes a symbolic link to it.
set -eu

cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop|url DIR" >&2; exit 2; }

pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$pgbin" ] || { echo "PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 3; }

as_pg() {
	if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

resolve() {
	if [ -L "$dir" ] || [ -d "$dir" ]; then
		(cd "$dir" && pwd -P)
	else
		echo ""
	fi
}

create() {
	mkdir -p "$(dirname "$dir")"
	abs=$(cd "$(dirname "$dir")" && pwd -P)/$(basename "$dir")
	short=
	if [ "$(id -u)" = 0 ] || [ ${#abs} -gt 80 ]; then
		key=$(printf %s "$abs" | sha1sum | cut -c1-10)
		short=/var/tmp/factwiki-$(id -u)-$key
	fi
	if [ -n "$short" ]; then
		rm -rf "$short"
		mkdir -p "$short"
		[ "$(id -u)" = 0 ] && chown postgres: "$short"
		chmod 700 "$short"
		ln -sfn "$short" "$abs"
	else
		mkdir -p "$abs"
		chmod 700 "$abs"
	fi
	real=$(resolve)
	as_pg "$pgbin/initdb" -D "$real/data" -U factwiki -A trust -E UTF8 \
	    --locale=C.UTF-8 >"$real/initdb.log" 2>&1 ||
	    { cat "$real/initdb.log" >&2; exit 3; }
}

case $cmd in
start)
	real=$(resolve)
	if [ -z "$real" ] || [ ! -f "$real/data/PG_VERSION" ]; then
		create
		real=$(resolve)
		fresh=1
	else
		fresh=
	fi
	if ! as_pg "$pgbin/pg_ctl" -D "$real/data" status >/dev/null 2>&1; then
		as_pg "$pgbin/pg_ctl" -D "$real/data" -l "$real/log" -w -t 60 \
		    -o "-k $real -c listen_addresses= ${PG_OPTIONS:-}" start >/dev/null ||
		    { tail -n 20 "$real/log" >&2; exit 3; }
	fi
	if [ -n "$fresh" ]; then
		"$pgbin/createdb" -h "$real" -U factwiki factwiki
	fi
	;;
stop)
	real=$(resolve)
	[ -n "$real" ] && [ -f "$real/data/PG_VERSION" ] || exit 0
	as_pg "$pgbin/pg_ctl" -D "$real/data" -m fast -w stop >/dev/null 2>&1 || true
	;;
url)
	real=$(resolve)
	[ -n "$real" ] || { echo "no cluster in $dir" >&2; exit 3; }
	echo "postgresql:///factwiki?host=$real&user=factwiki"
	;;
*)
	echo "usage: $0 start|stop|url DIR" >&2; exit 2 ;;
esac
