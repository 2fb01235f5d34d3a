# Two commands matter on a fresh machine with a JDK: `make run` and `make test`.
# Everything else here mirrors the original project's targets.
MVN ?= ./mvnw -B
CONFIG ?= config/all.yml
JAR := services/server/target/library-server.jar
SVC ?=
SEQ ?=

.PHONY: run test build package swagger proto-generate migrate-up up down create-table bench clean

## Build everything and run the whole system in one process (embedded PostgreSQL, REST on 8080).
run: package
	java -jar $(JAR) server $(CONFIG)

## Run every test (real gRPC, real HTTP, embedded PostgreSQL).
test:
	$(MVN) install

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
migrate-up: package
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

clean:
	$(MVN) -q clean

## Run the distributed system in Docker: PostgreSQL, the four services, Envoy (REST) on 8080.
## The first run writes a random SERVER_KEY to .env, which docker compose reads from then on.
up:
	@grep -qs '^SERVER_KEY=.' .env || { \
	  echo "SERVER_KEY=$$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')" >> .env; \
	  echo "wrote a random SERVER_KEY to .env"; }
	docker compose up -d --build

## Stop and remove the containers; the database volume stays (docker compose down -v drops it).
## docker compose needs SERVER_KEY to read docker-compose.yml; without a .env any value does.
down:
	@if grep -qs '^SERVER_KEY=.' .env || [ -n "$$SERVER_KEY" ]; then docker compose down; \
	  else SERVER_KEY=unused docker compose down; fi
