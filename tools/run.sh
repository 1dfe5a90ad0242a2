#!/bin/sh
# `make run`: the database (a local cluster under var/pg unless DATABASE_URL
# is set), the schema, demo data in an empty database, then the server in
# the foreground on ${BIND:-127.0.0.1}:${PORT:-8888}, logging requests to
# ${ACCESS_LOG:-var/access.log} (ACCESS_LOG=off: to nothing).  Ctrl-C
# stops the server; the cluster stays up until `make stop-db`.  The
# configuration it writes goes to ${CONF_OUT:-build/factwiki.conf} (the
# container's code is read-only: it writes to var/).
set -eu
cd "$(dirname "$0")/.."

if [ -z "${DATABASE_URL:-}" ]; then
	tools/pg.sh start var/pg
	DATABASE_URL=$(tools/pg.sh url var/pg)
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
echo "factwiki on http://$bind:$port/ (Ctrl-C stops it)"
exec kore -f -n -r -c "$conf"
