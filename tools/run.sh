#!/bin/sh
# `make run`: the database (a local cluster under var/pg unless DATABASE_URL
# is set), the schema, demo data in an empty database, then the server in
# the foreground on ${BIND:-127.0.0.1}:${PORT:-8888}, logging requests to
# ${ACCESS_LOG:-var/access.log} (ACCESS_LOG=off: to nothing).  Ctrl-C
# stops the server; the cluster stays up until `make stop-db`.  The
# configuration it writes goes to ${CONF_OUT:-build/factwiki.conf} (the
# container's code is read-only: it writes to var/).
#
# Run by root, the workers and the key keepers (app/keys.c) run as the
# user ${FACTWIKI_USER:-factwiki}, made here if there is none (else
# nobody), shut in var/root/: a copy of templates/ and static/, the
# directories they write, and the files that resolve a database's host
# name.  They reach the database over TCP: the local cluster's port on
# 127.0.0.1, or DATABASE_URL's host (a unix socket outside var/root/
# cannot be reached: then they run in a directory, not shut in it, and
# say so).
# Only the parent, which serves nothing, stays root; only it reads the key
# file.  Run by anyone else, everything runs as that user.
set -eu
cd "$(dirname "$0")/.."

if [ -z "${DATABASE_URL:-}" ]; then
	tools/pg.sh start var/pg
	DATABASE_URL=$(tools/pg.sh serverurl var/pg)
	export DATABASE_URL
fi

build/factwiki migrate
if [ "$(psql "$DATABASE_URL" -Atc "select exists (select 1 from facts)")" = f ]; then
	echo "loading the demo data (Gapminder, CC BY 4.0; see data/README.md)"
	build/factwiki import --create-missing \
	    --comment "demo data: Gapminder (CC BY 4.0)" \
	    data/gapminder-facts.csv
fi

port=${PORT:-8888}
bind=${BIND:-127.0.0.1}
mkdir -p var/bodies
accesslog=${ACCESS_LOG:-var/access.log}
# Kore 4.1's access log holds each worker to what its parent gathers, some
# 12,000 requests a second, and overruns its buffer when that is full.
[ "$accesslog" = off ] && nolog='/^[[:space:]]*accesslog/d;' || nolog=
conf=${CONF_OUT:-build/factwiki.conf}
sed "$nolog s/@PORT@/$port/; s/@BIND@/$bind/; s|@ACCESSLOG@|$accesslog|" \
    conf/factwiki.conf.in > "$conf"
# SECCOMP_TRACING=1: the parent traces its workers and logs each call the
# filter (app/init.c) does not allow, instead of the kernel killing it.
[ "${SECCOMP_TRACING:-0}" = 1 ] && echo "seccomp_tracing yes" >> "$conf"

# Whether libpq would go through a unix socket (no host, or a path).
through_socket() {
	case $1 in
	*host=/*|*host=%2[Ff]*|postgres*:///*|postgres*://%2[Ff]*|\
	    postgres*://*@/*) return 0 ;;
	postgres*://*|*host=*) return 1 ;;
	*) return 0 ;;
	esac
}

flags="-n -r"
if [ "$(id -u)" = 0 ]; then
	user=${FACTWIKI_USER:-factwiki}
	if ! id -u "$user" >/dev/null 2>&1 &&
	    ! useradd --system --no-create-home --home-dir /nonexistent \
	    --shell /usr/sbin/nologin "$user" 2>/dev/null; then
		echo "cannot make the user $user: the server runs as nobody"
		user=nobody
	fi
	root=$(pwd)/var/root
	rm -rf "$root"
	mkdir -p "$root/etc" "$root/var/bodies" "$root/var/uploads"
	cp -R templates static "$root/"
	for f in hosts resolv.conf nsswitch.conf; do
		[ -f "/etc/$f" ] && cp "/etc/$f" "$root/etc/"
	done
	chmod -R go-w,a+rX "$root"
	chown "$user:" "$root/var/bodies" "$root/var/uploads"
	chmod 700 "$root/var/bodies" "$root/var/uploads"
	if through_socket "$DATABASE_URL"; then
		echo "DATABASE_URL goes through a unix socket, which var/root/" \
		    "cannot reach: the workers run as $user without a chroot"
		flags="-n"
	else
		flags=
	fi
	for k in runas keymgr_runas; do printf '%s\t%s\n' $k "$user"; done >> "$conf"
	for k in root keymgr_root; do printf '%s\t%s\n' $k "$root"; done >> "$conf"
fi
echo "factwiki on http://$bind:$port/ (Ctrl-C stops it)"
exec kore -f $flags -c "$conf"
