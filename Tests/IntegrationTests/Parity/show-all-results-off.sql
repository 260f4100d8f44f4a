\set ON_ERROR_STOP 0
CREATE FUNCTION pg_temp.warn(msg TEXT) RETURNS BOOLEAN AS $$
  BEGIN RAISE NOTICE 'warn %', msg ; RETURN TRUE ; END
$$ LANGUAGE plpgsql;
\set SHOW_ALL_RESULTS off
SELECT 1 AS one \; SELECT pg_temp.warn('1.5') \; SELECT 2 AS two ;
SELECT 3 \; SELECT 1/0 \; SELECT 4;
select 5 \; create temp table sar (a int);
create temp table sar2 (a int) \; select 6;
\set SHOW_ALL_RESULTS on
SELECT 7 AS seven \; SELECT 8 AS eight;
