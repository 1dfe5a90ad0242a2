#!/bin/sh
# A local PostgreSQL cluster for development and tests.
#
#   tools/pg.sh start DIR   create (first time) and start a cluster in DIR
#   tools/pg.sh stop DIR    stop it
#   tools/pg.sh url DIR     print its DATABASE_URL (the unix socket)
#   tools/pg.sh tcpurl DIR  the same database over TCP on 127.0.0.1
#   tools/pg.sh standby DIR FROM  a streaming standby of the cluster in
#                           FROM, made in DIR (pg_basebackup -R), started
#   tools/pg.sh serverurl DIR  the one tools/run.sh serves from: tcpurl
#                           when root runs it (its workers are shut in a
#                           chroot that holds no socket), else url
#
# PG_OPTIONS adds server options (the throwaway test cluster turns fsync off).
#
# The cluster listens on a unix socket in DIR, which only its owner can
# reach, and on 127.0.0.1 at a port of its own, where the role needs its
# password (in DIR, readable by its owner only): a server whose workers
# are shut in a chroot cannot reach the socket.  PostgreSQL refuses to run as
# root, so root runs it as "postgres"; that user may not be able to reach DIR
# (a checkout under /root), and a socket path must stay under ~100 bytes.  So
# when either would fail, the data lives in a short directory under /var/tmp
# and DIR becomes a symbolic link to it.
set -eu

cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop|url|tcpurl|serverurl DIR, or standby DIR FROM" >&2; exit 2; }

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

# DIR, or a link to a short directory of postgres's when needed (above).
make_dir() {
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
}

create() {
	make_dir
	as_pg "$pgbin/initdb" -D "$real/data" -U factwiki --auth-local=trust \
	    --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 \
	    >"$real/initdb.log" 2>&1 ||
	    { cat "$real/initdb.log" >&2; exit 3; }
}

# A port no one listens on, from the kernel, and a password, kept in DIR.
tcp_setup() {
	perl -MIO::Socket::INET -e 'print IO::Socket::INET->new(Listen => 1,
	    LocalAddr => "127.0.0.1", LocalPort => 0)->sockport, "\n"' \
	    > "$real/port"
	od -An -N16 -tx1 /dev/urandom | tr -d ' \n' > "$real/password"
	chmod 644 "$real/port"
	chmod 600 "$real/password"
	[ "$(id -u)" = 0 ] && chown postgres: "$real/port" "$real/password"
	return 0
}

[ "$cmd" = serverurl ] && { [ "$(id -u)" = 0 ] && cmd=tcpurl || cmd=url; }

# Starts the cluster in $real, unless it runs.
run_cluster() {
	as_pg "$pgbin/pg_ctl" -D "$real/data" status >/dev/null 2>&1 && return 0
	as_pg "$pgbin/pg_ctl" -D "$real/data" -l "$real/log" -w -t 60 \
	    -o "-k $real -p $(cat "$real/port") -c listen_addresses=127.0.0.1 ${PG_OPTIONS:-}" \
	    start >/dev/null ||
	    { tail -n 20 "$real/log" >&2; exit 3; }
}

case $cmd in
standby)
	from=$(cd "${3:?usage: $0 standby DIR FROM}" && pwd -P)
	real=$(resolve)
	if [ -z "$real" ] || [ ! -f "$real/data/PG_VERSION" ]; then
		make_dir
		as_pg "$pgbin/pg_basebackup" -D "$real/data" -R -X stream -c fast \
		    -h "$from" -p "$(cat "$from/port")" -U factwiki
		tcp_setup
		# The role and its password came with the copy.
		cp "$from/password" "$real/password"
	fi
	run_cluster
	;;
start)
	real=$(resolve)
	if [ -z "$real" ] || [ ! -f "$real/data/PG_VERSION" ]; then
		create
		real=$(resolve)
		fresh=1
	else
		fresh=
	fi
	# A cluster made before it listened on TCP: its host lines trusted.
	if [ ! -f "$real/port" ]; then
		as_pg "$pgbin/pg_ctl" -D "$real/data" -m fast -w stop \
		    >/dev/null 2>&1 || true
		tcp_setup
		as_pg sed -i 's/^\(host .*\)trust$/\1scram-sha-256/' \
		    "$real/data/pg_hba.conf"
		fresh=${fresh:-password}
	fi
	run_cluster
	port=$(cat "$real/port")
	[ "$fresh" = 1 ] && "$pgbin/createdb" -h "$real" -p "$port" -U factwiki factwiki
	if [ -n "$fresh" ]; then
		echo "ALTER ROLE factwiki PASSWORD :'pw'" |
		    "$pgbin/psql" -h "$real" -p "$port" -U factwiki -d postgres \
		    -qAt -v ON_ERROR_STOP=1 -v pw="$(cat "$real/password")" \
		    >/dev/null
		as_pg "$pgbin/pg_ctl" -D "$real/data" reload >/dev/null
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
	echo "postgresql:///factwiki?host=$real&port=$(cat "$real/port")&user=factwiki"
	;;
tcpurl)
	real=$(resolve)
	[ -n "$real" ] || { echo "no cluster in $dir" >&2; exit 3; }
	echo "postgresql://factwiki:$(cat "$real/password")@127.0.0.1:$(cat "$real/port")/factwiki?gssencmode=disable"
	;;
*)
	echo "usage: $0 start|stop|url|tcpurl|serverurl DIR, or standby DIR FROM" >&2; exit 2 ;;
esac
