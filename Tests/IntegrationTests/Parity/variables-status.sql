\echo :ERROR :SQLSTATE :ROW_COUNT
create table parity_st (a int);
\echo :ERROR :SQLSTATE :ROW_COUNT
insert into parity_st select generate_series(1, 5);
\echo :ERROR :SQLSTATE :ROW_COUNT
select * from parity_st where a > 2;
\echo :ERROR :SQLSTATE :ROW_COUNT
select 1/0;
\echo :ERROR :SQLSTATE :ROW_COUNT
\echo :LAST_ERROR_MESSAGE
\echo :LAST_ERROR_SQLSTATE
select 1;
\echo :ERROR :SQLSTATE :ROW_COUNT :LAST_ERROR_SQLSTATE
update parity_st set a = a where false;
\echo :ROW_COUNT
