#!/bin/bash
# Run once by the postgres image (docker-entrypoint-initdb.d), on an empty data directory only:
# changing a password later takes an ALTER ROLE. It connects as the owner (POSTGRES_USER).
#  - pers_app: the app's login, under row-level security; the Flyway migrations grant it its
#    privileges (placeholder appRole=pers_app), so only the role is made here.
#  - temporal: owns Temporal's two databases, made here so Temporal needs no CREATEDB.
# psql's :'var' quotes the passwords as literals, so any character is safe in them.
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  --set=app_password="${PERS_APP_DB_PASSWORD:?}" \
  --set=temporal_password="${TEMPORAL_DB_PASSWORD:?}" <<'SQL'
CREATE ROLE pers_app LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD :'app_password';
CREATE ROLE temporal LOGIN NOSUPERUSER PASSWORD :'temporal_password';
CREATE DATABASE temporal OWNER temporal;
CREATE DATABASE temporal_visibility OWNER temporal;
SQL
