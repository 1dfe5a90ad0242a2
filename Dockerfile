# factwiki: the server and the CLI, against the database in DATABASE_URL.
#   docker build -t factwiki .
#   docker run -e DATABASE_URL=postgresql://user:pass@db/factwiki \
#       -e FACTWIKI_URL=http://localhost:8888 -p 8888:8888 factwiki
# It serves beyond loopback, so FACTWIKI_URL, the address its readers use,
# must be set: without it the server will not start.
# On start it migrates, loads the demo data into an empty database, and serves.
FROM debian:12-slim

RUN apt-get update && apt-get install -y --no-install-recommends \
	gcc libc6-dev make pkg-config kore libpq-dev libsodium-dev \
	libcmark-dev libjansson-dev libcsv-dev postgresql-client \
	&& rm -rf /var/lib/apt/lists/*

WORKDIR /srv/factwiki
COPY . .
RUN make all && useradd --system --home-dir /srv/factwiki factwiki && \
	mkdir -p var && chown factwiki var build

USER factwiki
ENV BIND=0.0.0.0 PORT=8888
EXPOSE 8888
CMD ["tools/run.sh"]
