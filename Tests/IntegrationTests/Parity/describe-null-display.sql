\set ON_ERROR_STOP off
-- psql 15 shows NULL as empty in its lists whatever \pset null says; psql 18 (on servers of 18
-- on) shows the user's null display there too. Compared with the psql of the server's version.
\pset null '<null>'
create schema nd;
create table nd.t (a int, b int);
comment on table nd.t is null;
create statistics nd.st (ndistinct) on a, b from nd.t;
create collation nd.c (locale = 'C');
\dt+ nd.*
\dX nd.*
\dO+ nd.*
\dn+ nd
\df+ pg_catalog.lower
\dconfig+ work_mem
\pset null ''
\dX nd.*
drop schema nd cascade;
