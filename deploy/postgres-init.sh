#!/usr/bin/env bash
# Creates one login role and one database per library service, the first time the `postgres`
# container of docker-compose.yml starts (the image runs /docker-entrypoint-initdb.d/* only while
# its data volume is empty). Each service owns its database and can connect to no other one.
#
# Passwords come from the container's environment (docker-compose.yml passes the same
# *_DB_PASSWORD values to the services). psql variables (:"name", :'literal') do the quoting.
set -e

create_service_database() {
  local service="$1" password="$2"
  psql -v ON_ERROR_STOP=1 --no-psqlrc --username "${POSTGRES_USER:-postgres}" --dbname postgres \
    -v role="library_${service}" -v db="library_${service}" -v password="${password}" <<'SQL'
CREATE ROLE :"role" LOGIN PASSWORD :'password';
CREATE DATABASE :"db" OWNER :"role" ENCODING 'UTF8' TEMPLATE template0;
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
SQL
}

create_service_database auth "${AUTH_DB_PASSWORD:?AUTH_DB_PASSWORD is not set}"
create_service_database author "${AUTHOR_DB_PASSWORD:?AUTHOR_DB_PASSWORD is not set}"
create_service_database category "${CATEGORY_DB_PASSWORD:?CATEGORY_DB_PASSWORD is not set}"
create_service_database book "${BOOK_DB_PASSWORD:?BOOK_DB_PASSWORD is not set}"
