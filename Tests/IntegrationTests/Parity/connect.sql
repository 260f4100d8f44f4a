create temp table parity_temp (a int);
\c
select count(*) from pg_class where relname = 'parity_temp';
\connect - postgres
\c parity_no_such_database
select 'still connected' as step;
