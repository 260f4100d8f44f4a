\set ON_ERROR_STOP off
-- \d without a pattern and \dt \di \ds \dv \dm \dE, combined, with S, + and patterns.
\d
\d+
\dt
\dt+
\di
\ds
\dv
\dm
\dE
create schema lst;
create table lst."Mixed Case" (id int primary key);
comment on table lst."Mixed Case" is 'a table';
create view lst.v as select 1 as one;
create materialized view lst.mv as select 2 as two;
create sequence lst.s;
create unlogged table lst.u (a int);
create index u_idx on lst.u (a);
create extension if not exists file_fdw;
create server lst_files foreign data wrapper file_fdw;
create foreign table lst.ft (a int) server lst_files options (filename '/dev/null');
create table lst.p (a int) partition by range (a);
create index p_idx on lst.p (a);
\dt lst.*
\dt+ lst.*
\dtv lst.*
\dvt lst.*
\dti+ lst.*
\dit lst.*
\dm+ lst.*
\ds+ lst.*
\dE+ lst.*
\dv+ lst.*
\dtvmsiE lst.*
\di+ lst.*
\d lst.*
\d+ lst.*
\dt lst."Mixed Case"
\dt LST.mixed*
\dt lst.MIXED*
\dt "lst"."Mixed Case"
\dt pg_catalog.pg_cl*
\dtS pg_cl*
\dtS+ pg_class
\dvS pg_stat_a*
\dvS+ pg_roles
\dS
\diS pg_class_oid_index
\dsS
\dt pg_toast.*
\dt *.no_such
\dt no_such
\di no_such
\dt a.b.c.d
\dt wrongdb.lst.p
\set QUIET on
\dt no_such
\set QUIET off
\set HIDE_TABLEAM on
\dt+ lst.*
\set HIDE_TABLEAM off
\set ECHO_HIDDEN on
\dti+ lst.*
\d
\set ECHO_HIDDEN noexec
\dt lst.*
\set ECHO_HIDDEN off
drop schema lst cascade;
drop server lst_files;
