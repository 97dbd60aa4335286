-- One database and one role per service: each service owns its data (DESIGN.md) and cannot read the
-- other's. The postgres image runs this once, as the superuser, when the postgres-data volume is
-- empty (`docker compose down -v` empties it).
-- The names and passwords are the services' application.yml defaults and docker-compose.yml's
-- SPRING_DATASOURCE_*; ComposeDriftTest fails when they drift apart. Local development only.

CREATE ROLE orders LOGIN PASSWORD 'orders';
CREATE DATABASE orders OWNER orders;
REVOKE CONNECT, TEMPORARY ON DATABASE orders FROM PUBLIC;

CREATE ROLE billing LOGIN PASSWORD 'billing';
CREATE DATABASE billing OWNER billing;
REVOKE CONNECT, TEMPORARY ON DATABASE billing FROM PUBLIC;

CREATE ROLE notification LOGIN PASSWORD 'notification';
CREATE DATABASE notification OWNER notification;
REVOKE CONNECT, TEMPORARY ON DATABASE notification FROM PUBLIC;
