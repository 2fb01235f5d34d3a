# Two commands matter on a fresh machine with a JDK: `make run` and `make test`.
# Everything else here mirrors the original project's targets.
MVN ?= ./mvnw -B
CONFIG ?= config/all.yml
JAR := services/server/target/library-server.jar
SVC ?=
SEQ ?=

.PHONY: certs k8s-validate run test build package swagger proto-generate migrate-up up down rotate-signing-key create-table bench bench-quick bench-tools clean

## Build what changed and run the whole system in one process (embedded PostgreSQL, REST on 8080).
# The first run after a build writes a class-data archive of the jar as it exits (AppCDS); the
# next runs map it and start with about half the CPU. The archive is per JDK (its version is in
# the name) and per jar (one older than the jar is written anew); a JVM that cannot use it
# ignores it.
run: $(JAR)
	@jdk=$$(java -version 2>&1 | head -1 | cut -d'"' -f2); cds=$(JAR:.jar=)-jdk$$jdk.jsa; \
	  if [ "$$cds" -nt $(JAR) ]; then share=-XX:SharedArchiveFile=$$cds; \
	  else share=-XX:ArchiveClassesAtExit=$$cds; fi; \
	  echo "java $$share -jar $(JAR) server $(CONFIG)"; \
	  exec java $$share -Xlog:cds=off -Xlog:cds+dynamic=off -jar $(JAR) server $(CONFIG)

# Every file the server jar is built from (tests and build output left out). The jar is rebuilt
# only when one of them is newer than it, so a `make run` on an unchanged checkout starts the
# server at once instead of running Maven; a fresh clone has no jar and builds everything. Maven
# leaves an up-to-date jar untouched, hence the touch: the stamp is the jar's own time.
JAR_SOURCES := $(shell find pom.xml proto services gateway swagger envoy/envoy.yaml \
  \( -name target -o -path '*/src/test' \) -prune -o -type f -print 2>/dev/null)

$(JAR): $(JAR_SOURCES)
	$(MVN) -q install -DskipTests -pl services/server -am
	@touch $@

## Run every test (real gRPC, real HTTP, embedded PostgreSQL).
test:
	$(MVN) -T 2 install

## Render deploy/kubernetes (base and overlays) and validate every object offline against the
## Kubernetes API schema and against what the application reads (also part of `make test`).
k8s-validate:
	$(MVN) -q -pl services/runtime -am install -DskipTests
	$(MVN) -pl deploy verify

## Build the jar (no tests).
package:
	$(MVN) -q install -DskipTests

build: package

## Regenerate Java stubs and the descriptor set from proto/.
proto-generate:
	$(MVN) -q -pl proto install -DskipTests

## Regenerate swagger/*.swagger.json from the descriptor set (a test fails when they are stale).
swagger: proto-generate
	$(MVN) -q -pl swagger compile exec:java

## Apply pending migrations of the configured target, then exit.
migrate-up: $(JAR)
	java -jar $(JAR) migrate $(CONFIG)

## Create the next Flyway migration of a service: make create-table SVC=book SEQ=add_loans
create-table:
	@test -n "$(SVC)" || (echo "usage: make create-table SVC=<auth|author|category|book> SEQ=<description>" && exit 2)
	@test -n "$(SEQ)" || (echo "usage: make create-table SVC=<auth|author|category|book> SEQ=<description>" && exit 2)
	@dir=services/$(SVC)/src/main/resources/db/migration/$(SVC); \
	  test -d $$dir || (echo "no migrations folder $$dir" && exit 2); \
	  last=$$(ls $$dir | sed -n 's/^V\([0-9]*\)__.*/\1/p' | sort -n | tail -1); \
	  next=$$(( $${last:-0} + 1 )); \
	  file=$$dir/V$${next}__$(SEQ).sql; \
	  printf -- '-- %s: %s\n' "$(SVC)" "$(SEQ)" > $$file; \
	  echo "created $$file"

## Benchmarks (not part of `make test`): start the system, load a catalog, run every workload side
## by side with its limit, write bench-results/<time>-<mode>/{results.md,results.json,chart.svg}.
##   make bench                  full suite, under 20 minutes on 2 cores (catalog up to 1M books)
##   make bench ARGS=--quick     short suite, under 3 minutes (also: make bench-quick)
##   make bench ARGS='--jdbc-url jdbc:postgresql://host:5432/postgres --db-user u --db-password p'
## GNU make rejects `make bench --quick` (it parses --quick as its own option): use ARGS.
## BENCH_BUILD builds the bench and what it needs without tests; set it to skip rebuilding modules
## that are already installed, e.g. BENCH_BUILD='./mvnw -q -B -o -pl bench install -DskipTests'.
ARGS ?=
BENCH_BUILD ?= $(MVN) -q install -DskipTests -pl bench -am
# CompileThresholdScaling: the JIT compiles hot code after a tenth of its usual call counts, so
# each path is compiled before it is measured (bench/README.md, "Warm-up excluded").
BENCH_JAVA ?= java -Xms1g -Xmx4g -XX:CompileThresholdScaling=0.1
bench: bench-tools
	$(BENCH_BUILD)
	$(BENCH_JAVA) -cp "bench/target/classes:$$(cat bench/target/classpath.txt)" dev.library.bench.BenchMain $(ARGS)

bench-quick:
	$(MAKE) bench ARGS="--quick $(ARGS)"

## pgbench (the borrow/return comparison) comes from Debian's postgresql-client: installed here when
## missing and running as root; otherwise the command is printed and the comparison is skipped.
bench-tools:
	@command -v pgbench >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "pgbench is missing: installing postgresql-client"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-client; \
	  else \
	    echo "pgbench is missing (the borrow/return comparison will be skipped); install it with:"; \
	    echo "  sudo apt-get install -y postgresql-client"; \
	  fi; }

clean:
	$(MVN) -q clean

## Run the distributed system in Docker: PostgreSQL, the four services, Envoy (REST) on 8080.
## docker-compose.yml has no default secrets: the first run writes random ones to .env (SERVER_KEY,
## ADMIN_PASSWORD, POSTGRES_PASSWORD, one password per service database), which docker compose
## reads from then on. Values already in .env or the environment are kept.
COMPOSE_SECRETS := SERVER_KEY ADMIN_PASSWORD POSTGRES_PASSWORD AUTH_DB_PASSWORD AUTHOR_DB_PASSWORD CATEGORY_DB_PASSWORD BOOK_DB_PASSWORD
up:
	@for name in $(COMPOSE_SECRETS); do \
	  if ! grep -qs "^$$name=." .env && [ -z "$$(printenv $$name)" ]; then \
	    echo "$$name=$$(od -An -tx1 -N24 /dev/urandom | tr -d ' \n')" >> .env; \
	    echo "wrote a random $$name to .env"; \
	  fi; \
	done; \
	if ! grep -qs '^KEY_ENCRYPTION_KEY=.' .env && [ -z "$$KEY_ENCRYPTION_KEY" ]; then \
	  echo "KEY_ENCRYPTION_KEY=$$(head -c 32 /dev/urandom | base64)" >> .env; \
	  echo "wrote a random KEY_ENCRYPTION_KEY to .env (keep it: it decrypts the signing keys)"; \
	fi; chmod 600 .env
	docker compose up -d --build

## Development TLS certificates in certs/ (a CA and a server certificate for localhost, the compose
## and the Kubernetes service names): HTTPS on :8443 with docker-compose.tls.yml, and the files
## TLS_CERT_FILE, TLS_KEY_FILE, TLS_TRUST_FILE name. Never for production.
certs:
	sh deploy/certs.sh certs

## Schedule a new JWT signing key: published at once, signing after keyPublishWait (6 min), the
## old one published until its last token expired. With the embedded PostgreSQL, stop `make run`
## first; with an external database it runs beside the server (in compose: docker compose exec
## auth java -jar /app/library-server.jar rotate-signing-key /app/config/compose.yml).
rotate-signing-key: package
	java -jar $(JAR) rotate-signing-key $(CONFIG)

## Stop and remove the containers; the database volume stays (docker compose down -v drops it).
## docker compose needs the secrets to read docker-compose.yml; without a .env any value does.
down:
	@if grep -qs '^SERVER_KEY=.' .env; then docker compose down; \
	  else env $(foreach n,$(COMPOSE_SECRETS) KEY_ENCRYPTION_KEY,$(n)=unused) docker compose down; fi