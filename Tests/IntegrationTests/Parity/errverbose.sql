\errverbose
select 1/0;
\errverbose
select * from parity_no_such_table;
\set VERBOSITY terse
select 1/0;
\errverbose
