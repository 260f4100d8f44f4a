select 1/0;
\set VERBOSITY terse
select 1/0;
\set VERBOSITY verbose
select 1/0;
\set VERBOSITY sqlstate
select 1/0;
do $$ begin raise notice 'notice in sqlstate verbosity'; end $$;
\set VERBOSITY default
select * from parity_no_such_table;
\set VERBOSITY nonsense
