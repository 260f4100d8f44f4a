\set ON_ERROR_STOP off
-- \d shows a relation's tablespace other than the database's default: on its own line, or after
-- an index's line. The tablespace is cluster-wide (made in place, a developer option).
drop tablespace if exists drel_parity_space;
set allow_in_place_tablespaces = on;
create tablespace drel_parity_space location '';
create schema tbs;
create table tbs.t (a int primary key using index tablespace drel_parity_space, b int) tablespace drel_parity_space;
create index t_b on tbs.t (b) tablespace drel_parity_space;
create table tbs.p (a int) partition by range (a) tablespace drel_parity_space;
create index p_a on tbs.p (a) tablespace drel_parity_space;
create materialized view tbs.mv tablespace drel_parity_space as select 1 as x;
\d tbs.t
\d+ tbs.t
\d tbs.t_pkey
\d tbs.t_b
\d tbs.p
\d tbs.p_a
\d tbs.mv
drop schema tbs cascade;
drop tablespace drel_parity_space;
