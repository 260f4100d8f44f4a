\set ON_ERROR_STOP 0
CREATE FUNCTION pg_temp.warn(msg TEXT) RETURNS BOOLEAN AS $$
  BEGIN RAISE NOTICE 'warn %', msg ; RETURN TRUE ; END
$$ LANGUAGE plpgsql;
SELECT 1 AS one \; SELECT pg_temp.warn('1.5') \; SELECT 2 AS two ;
SELECT 3 AS three \; SELECT pg_temp.warn('3.5') \; SELECT 4 AS four \gset
\echo :three :four
SELECT 5 \; SELECT 1/0 \; SELECT 6;
insert into nothing values (1) \; select 7;
select 8 \; create temp table ct (a int) \; select pg_temp.warn('x');
SELECT 'ok' AS "begin" \;
CREATE TABLE psql_comics(s TEXT) \;
INSERT INTO psql_comics VALUES ('Calvin'), ('hobbes') \;
COPY psql_comics FROM STDIN \;
UPDATE psql_comics SET s = 'Hobbes' WHERE s = 'hobbes' \;
DELETE FROM psql_comics WHERE s = 'Moe' \;
COPY psql_comics TO STDOUT \;
TRUNCATE psql_comics \;
DROP TABLE psql_comics \;
SELECT 'ok' AS "done" ;
Moe
Susie
\.
select 1 \; copy (select 2) to stdout \; select 3;
