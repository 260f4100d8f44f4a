\set ON_ERROR_STOP off
-- The role is shared by the whole cluster: a name of this case only, dropped first and last.
set client_min_messages = warning;
drop role if exists parity_fdw_user;
reset client_min_messages;
create role parity_fdw_user;
create foreign data wrapper parity_fdw_plain;
create foreign data wrapper "Parity_FDW_Opts" validator postgresql_fdw_validator options (debug 'true');
comment on foreign data wrapper parity_fdw_plain is 'no handler, no validator';
grant usage on foreign data wrapper parity_fdw_plain to parity_fdw_user;
create server parity_fdw_one foreign data wrapper parity_fdw_plain;
create server parity_fdw_two type 'remote' version '1.0' foreign data wrapper parity_fdw_plain
  options (host 'example.invalid', "Odd Name" 'it''s');
comment on server parity_fdw_two is 'the second server';
grant usage on foreign server parity_fdw_two to parity_fdw_user;
create user mapping for current_user server parity_fdw_one;
create user mapping for parity_fdw_user server parity_fdw_two options (user 'remote_user', password 'secret');
create user mapping for public server parity_fdw_two options (user 'anyone');
create schema parity_fdw;
create foreign table parity_fdw.remote_items (id int, label text) server parity_fdw_one options (table_name 'items');
create foreign table parity_fdw."Remote Mixed" (a int) server parity_fdw_two;
comment on foreign table parity_fdw.remote_items is 'items far away';
\dew parity_fdw*
\dew+ parity_fdw*
\dew "Parity_FDW_Opts"
\dew PARITY_FDW_PLAIN
\dew a.b
\des parity_fdw_*
\des+ parity_fdw_*
\des parity_fdw_tw?
\desS+ PARITY_FDW_TWO
\deu parity_fdw_*
\deu+ parity_fdw_*
\deu parity_fdw_user
\deu+ public
\det parity_fdw.*
\det+ parity_fdw.*
\det parity_fdw."Remote Mixed"
\det remote_items
\det *.remote_*
\det a.b.c.d
\dew nothing_here
\set ECHO_HIDDEN on
\dew+ parity_fdw_plain
\des+ parity_fdw_two
\deu+ parity_fdw_two
\det+ parity_fdw.remote_items
\set ECHO_HIDDEN off
drop schema parity_fdw cascade;
drop foreign data wrapper parity_fdw_plain cascade;
drop foreign data wrapper "Parity_FDW_Opts" cascade;
drop owned by parity_fdw_user;
drop role parity_fdw_user;
