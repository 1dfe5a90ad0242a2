# factwiki: `make run` serves on http://127.0.0.1:8888, `make test` tests it all.

CC?=		cc
OBJDIR=		build/obj
PKGS=		libsodium jansson libcmark

WARN=		-Wall -Werror -Wstrict-prototypes -Wmissing-prototypes \
		-Wmissing-declarations -Wshadow -Wpointer-arith -Wcast-qual \
		-Wsign-compare -Wtype-limits
CFLAGS+=	-std=c11 -pedantic -D_GNU_SOURCE -O2 -g -fPIC \
		-fstack-protector-all $(WARN) -Iapp \
		-I$(shell pg_config --includedir 2>/dev/null || echo /usr/include/postgresql)
LIBS=		-lpq -lcsv -lm $(shell pkg-config --libs $(PKGS) 2>/dev/null || \
		echo -lsodium -ljansson -lcmark)
# Only the command line talks HTTP (to a site, as a trustee or verifier).
CLI_LIBS=	$(shell pkg-config --libs libcurl 2>/dev/null || echo -lcurl)
KORE_CFLAGS=	$(shell cat /usr/share/kore/features 2>/dev/null)

CORE_SRC=	$(wildcard app/core/*.c)
STORE_SRC=	$(wildcard app/store/*.c)
APP_SRC=	$(wildcard app/*.c)
CLI_SRC=	$(wildcard tools/cli/*.c)
SQL_FILES=	$(sort $(wildcard sql/*.sql sql/api/*.sql))

CORE_OBJ=	$(CORE_SRC:%.c=$(OBJDIR)/%.o)
STORE_OBJ=	$(STORE_SRC:%.c=$(OBJDIR)/%.o) $(OBJDIR)/gen/sql_files.o
APP_OBJ=	$(APP_SRC:app/%.c=$(OBJDIR)/server/%.o)
CLI_OBJ=	$(CLI_SRC:%.c=$(OBJDIR)/%.o)
HEADERS=	$(wildcard app/*.h app/core/*.h app/store/*.h tools/cli/*.h)

UNIT_SRC=	$(wildcard tests/unit/test_*.c)
UNIT_BIN=	$(UNIT_SRC:tests/unit/%.c=build/unit/%)
# UBSan's null checks make GCC 12 see a NULL format in vsnprintf paths.
ASAN=		-fsanitize=address,undefined -fno-omit-frame-pointer \
		-Wno-format-truncation
TEST_TOOLS=	$(patsubst tests/api/%.c,build/test/%,$(wildcard tests/api/*.c))
FUZZ_SRC=	$(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN=	$(FUZZ_SRC:tests/fuzz/%.c=build/fuzz/%)

.PHONY: FORCE all deps run test test-replica unit api-test bench bench-replica soak fuzz stop-db clean

all: build/factwiki build/factwiki.so

deps:
	@tools/deps.sh build

build/libfwcore.a: $(CORE_OBJ)
	@ar rcs $@ $^

build/libfwstore.a: $(STORE_OBJ)
	@ar rcs $@ $^

build/factwiki: $(CLI_OBJ) build/libfwstore.a build/libfwcore.a
	@echo "LD	$@"
	@$(CC) -o $@ $(CLI_OBJ) build/libfwstore.a build/libfwcore.a $(LIBS) \
	    $(CLI_LIBS)

build/factwiki.so: $(APP_OBJ) build/libfwstore.a build/libfwcore.a
	@echo "LD	$@"
	@$(CC) -shared -o $@ $(APP_OBJ) build/libfwstore.a build/libfwcore.a \
	    $(LIBS)

$(APP_OBJ): $(OBJDIR)/server/%.o: app/%.c $(HEADERS)
	@mkdir -p $(dir $@)
	@echo "CC	$<"
	@$(CC) $(CFLAGS) $(KORE_CFLAGS) -c $< -o $@

$(OBJDIR)/%.o: %.c $(HEADERS)
	@mkdir -p $(dir $@)
	@echo "CC	$<"
	@$(CC) $(CFLAGS) -c $< -o $@

# The migrations are compiled into the CLI, which then works from anywhere.
# Their list is a file rewritten only when it changes, so that removing a
# migration embeds them again too.
build/gen/sql_files.c: tools/embed-sql.sh $(SQL_FILES) build/gen/sql_list
	@mkdir -p $(dir $@)
	@tools/embed-sql.sh $(SQL_FILES) > $@

build/gen/sql_list: FORCE
	@mkdir -p $(dir $@)
	@echo $(SQL_FILES) | cmp -s - $@ || echo $(SQL_FILES) > $@

FORCE:

$(OBJDIR)/gen/%.o: build/gen/%.c
	@mkdir -p $(dir $@)
	@echo "CC	$<"
	@$(CC) $(CFLAGS) -c $< -o $@

run: 
	@tools/deps.sh run
	@$(MAKE) --no-print-directory all
	@tools/run.sh

stop-db:
	@tools/pg.sh stop var/pg

# Unit tests link the core built again with AddressSanitizer and UBSan.
build/unit/%: tests/unit/%.c $(CORE_SRC) $(HEADERS) tests/unit/unit.h
	@mkdir -p $(dir $@)
	@echo "CC	$@ (ASan, UBSan)"
	@$(CC) $(CFLAGS) $(ASAN) -Itests/unit -o $@ $< $(CORE_SRC) $(LIBS) -lcmocka

# The search of `make bench`, rerun in part by a unit test.
build/unit/test_strategy: tests/bench/strategy.h

unit:
	@tools/deps.sh unit
	@$(MAKE) --no-print-directory $(UNIT_BIN)
	@tools/unit.sh $(UNIT_BIN)

test:
	@tools/deps.sh test
	@$(MAKE) --no-print-directory all $(UNIT_BIN) $(TEST_TOOLS)
	@tools/test.sh $(UNIT_BIN)

# A primary, a streaming standby and factwiki servers of its own, on
# loopback: reads, writes, a standby that stops, caches across servers.
# make test runs it too (some 20 s); this runs it alone.
test-replica:
	@tools/deps.sh test
	@$(MAKE) --no-print-directory all
	@node --test --test-reporter=spec tests/replica/replica.test.js

# What the API tests run beside the server: an attacker with its secrets.
build/test/%: tests/api/%.c build/libfwstore.a build/libfwcore.a
	@mkdir -p $(dir $@)
	@echo "LD	$@"
	@$(CC) $(CFLAGS) -o $@ $< build/libfwstore.a build/libfwcore.a $(LIBS)

# Minutes of mixed and hostile traffic against a server of its own.
soak: all
	@tools/deps.sh bench
	@tests/soak/run.sh

bench:
	@tools/deps.sh bench
	@$(MAKE) --no-print-directory all build/clarke_bench build/strategy \
	    build/tally_bench
	@tests/bench/run.sh

# Series from one server on the primary, then from two reading a standby.
bench-replica:
	@tools/deps.sh bench
	@$(MAKE) --no-print-directory all
	@tests/bench/replica.sh

build/clarke_bench: tests/bench/clarke_bench.c build/libfwcore.a
	@echo "LD	$@"
	@$(CC) $(CFLAGS) -o $@ $< build/libfwcore.a $(LIBS)

build/strategy: tests/bench/strategy.c tests/bench/strategy.h \
    build/libfwcore.a
	@echo "LD	$@"
	@$(CC) $(CFLAGS) -o $@ $< build/libfwcore.a $(LIBS)

build/tally_bench: tests/bench/tally_bench.c build/libfwstore.a \
    build/libfwcore.a
	@echo "LD	$@"
	@$(CC) $(CFLAGS) -o $@ $< build/libfwstore.a build/libfwcore.a $(LIBS)

build/fuzz/%: tests/fuzz/%.c $(CORE_SRC) $(HEADERS)
	@mkdir -p $(dir $@)
	@echo "CC	$@ (libFuzzer)"
	@clang -std=c11 -pedantic -D_GNU_SOURCE -g -O1 $(WARN) -Iapp \
	    -fsanitize=fuzzer,address,undefined -o $@ $< $(CORE_SRC) $(LIBS)

# FUZZ_SECONDS per fuzzer, starting from the seeds in tests/fuzz/corpus/.
fuzz:
	@tools/deps.sh fuzz
	@$(MAKE) --no-print-directory $(FUZZ_BIN)
	@tools/fuzz.sh $(FUZZ_BIN)

clean:
	rm -rf build
