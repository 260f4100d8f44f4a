\set ON_ERROR_STOP off
-- Roles are shared by the whole cluster: names of this case only, dropped first and last.
set client_min_messages = warning;
drop role if exists parity_roles_plain, parity_roles_admin, parity_roles_limited, "parity_Roles_Q", parity_roles_group;
reset client_min_messages;
create role parity_roles_group nologin;
create role parity_roles_plain login in role parity_roles_group;
comment on role parity_roles_plain is 'an ordinary login';
create role parity_roles_admin superuser createrole createdb replication bypassrls login connection limit 1
  valid until '2031-02-03 04:05:06+00';
create role parity_roles_limited noinherit nologin connection limit 5 in role parity_roles_group, parity_roles_plain;
create role "parity_Roles_Q" login connection limit 0;
comment on role "parity_Roles_Q" is 'quoted
two lines';
\du parity_roles*
\du+ parity_roles*
\dg parity_roles_?????
\dgS+ parity_roles_p*
\du "parity_Roles_Q"
\du PARITY_ROLES_ADMIN;;
\du parity_roles_(plain|group)
\duS pg_read_all_settings
\du nobody_by_that_name
\du a.b
\du+ parity_roles_plain extra
\pset format unaligned
\du parity_roles_limited
\pset format aligned
\x
\du+ parity_roles_admin
\x
-- Per-role and per-database settings.
select current_database() as db \gset
alter role parity_roles_plain set work_mem = '2MB';
alter role parity_roles_plain in database :"db" set search_path = public, pg_catalog;
alter role parity_roles_admin in database :"db" set statement_timeout = 1000;
alter database :"db" set lock_timeout = '5s';
\drds parity_roles*
\drds parity_roles_plain
\drds parity_roles_* :db
\drds * :db
\drdsS+ PARITY_ROLES_ADMIN
\drds nobody_by_that_name
\drds nobody_by_that_name :db
\drds parity_roles_plain nowhere;
\drds a.b
\set QUIET on
\drds nobody_by_that_name
\set QUIET off
\set ECHO_HIDDEN on
\du+ parity_roles_admin
\drds parity_roles_plain :db
\set ECHO_HIDDEN off
alter database :"db" reset lock_timeout;
drop role parity_roles_admin, parity_roles_limited, "parity_Roles_Q", parity_roles_plain, parity_roles_group;
-- ECHO_HIDDEN=noexec shows the query without running it, and the command fails (as psql's):
-- with ON_ERROR_STOP the script stops there.
\set ON_ERROR_STOP on
\set ECHO_HIDDEN noexec
\drds parity_roles_plain
\du parity_roles_plain
select 'not reached';
