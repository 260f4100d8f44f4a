\set ON_ERROR_STOP 0
SELECT 1/0;
SELECT 3 AS three, 4 AS four \gdesc
\echo 'error:' :ERROR :SQLSTATE :ROW_COUNT
SELECT 4 AS \gdesc
\echo 'error:' :ERROR :SQLSTATE :ROW_COUNT
create temp table gd (a int) \gdesc
\echo 'error:' :ERROR :SQLSTATE :ROW_COUNT
