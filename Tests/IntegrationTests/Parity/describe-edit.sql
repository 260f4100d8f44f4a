\set ON_ERROR_STOP off
\setenv PSQL_EDITOR ./edit-definition.sh
\setenv PSQL_EDITOR_LINENUMBER_ARG +
create schema edit_parity;
create function edit_parity.add(a int, b int) returns int language sql as $$
select a + b
$$;
create table edit_parity.t (id int);
create view edit_parity.v as select id from edit_parity.t where id > 0;
create materialized view edit_parity.mv as select 1 as one;
\setenv EDIT_MODE change
select 'replaced by the definition'
\ef edit_parity.add
\p
\r
select edit_parity.add(1, 2);
\ef edit_parity.add(int, int) 2
\r
\ev edit_parity.v
\p
\r
\sv edit_parity.v
\ev edit_parity.v 3
\r
\setenv EDIT_MODE keep
\ef edit_parity.add
\p
\ev edit_parity.v
\ef
\ev
\setenv EDIT_MODE fail
\ef edit_parity.add
\p
\setenv EDIT_MODE change
\ef edit_parity.add 0
\ef edit_parity.nothing
\ev edit_parity.nothing
\ev edit_parity.t
\p
\r
\ev edit_parity.mv
\p
\r
\set ECHO_HIDDEN on
\setenv EDIT_MODE keep
\ef edit_parity.add
\set ECHO_HIDDEN off
\echo done
