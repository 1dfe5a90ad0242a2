# factwiki in two stages: the first builds, the second runs, with no
# compiler in it.
#   docker build -t factwiki .
#   docker compose up            # with its PostgreSQL: docker-compose.yml
#   docker run -e DATABASE_URL=postgresql://user:pass@db/factwiki \
#       -e FACTWIKI_URL=http://localhost:8888 -p 8888:8888 factwiki
# It serves beyond loopback, so FACTWIKI_URL, the address its readers use,
# must be set: without it the server will not start.  On start it
# migrates, loads the demo data into an empty database, and serves.
# tests/api/container.test.js runs the runtime stage's steps without a
# container runtime: the same files, read-only, served by a user who owns
# only var/.
FROM debian:12-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends \
	gcc libc6-dev make pkg-config kore libpq-dev libsodium-dev \
	libcmark-dev libjansson-dev libcsv-dev libcurl4-openssl-dev \
	&& rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN make all

FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends \
	kore libsodium23 libcmark0.30.2 libjansson4 libcsv3 libcurl4 \
	postgresql-client curl \
	&& rm -rf /var/lib/apt/lists/* \
	&& useradd --system --home-dir /srv/factwiki/var factwiki
WORKDIR /srv/factwiki
# The code is root's, and read-only to the server.
COPY --from=build /src/build/factwiki /src/build/factwiki.so build/
COPY --from=build /src/conf conf/
COPY --from=build /src/templates templates/
COPY --from=build /src/static static/
COPY --from=build /src/data data/
COPY --from=build /src/tools/run.sh /src/tools/pg.sh tools/
RUN chmod -R a-w /srv/factwiki && mkdir -m 0700 var && chown factwiki: var
# All it writes: the master key (back it up), request bodies, its
# configuration and pid, the access log.
VOLUME /srv/factwiki/var
USER factwiki
ENV BIND=0.0.0.0 PORT=8888 CONF_OUT=var/factwiki.conf
EXPOSE 8888
HEALTHCHECK --interval=30s --timeout=5s CMD curl -fsS "http://127.0.0.1:${PORT}/api/v1/places?limit=1" > /dev/null || exit 1
CMD ["tools/run.sh"]
