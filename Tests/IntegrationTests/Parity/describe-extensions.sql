\set ON_ERROR_STOP off
create schema ext_parity;
create extension pg_trgm schema ext_parity;
create extension hstore;
\dx
\dx pg_trgm
\dx PG_*
\dx+ pg_trgm
\dx+ hst?re
\dx+
\dx+ nothing_like_this
\dx nothing_like_this
\dx x.y
\dxS+ plpgsql
\set ECHO_HIDDEN on
\dx+ plpgsql
\dx hstore
\set ECHO_HIDDEN off
\set QUIET on
\dx+ nothing_like_this
\set QUIET off
\dL
\dL+
\dLS
\dLS+ plpgsql
\dL "plpgsql"
\dL c
\dLS+ C
\dL x.plpgsql
\dL a.b.c
\set ECHO_HIDDEN on
\dLS+ internal
\set ECHO_HIDDEN off
