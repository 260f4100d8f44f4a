create temp table parity_temp (a int);
\c
select count(*) from pg_class where relname = 'parity_temp' and pg_table_is_visible(oid);
\connect - postgres
\c parity_no_such_database
select 'still connected' as step;
