\set ON_ERROR_STOP off
-- Results fetched FETCH_COUNT rows at a time, as psql prints them batch by batch.
\set FETCH_COUNT 2
create temp table f (id int, v text);
insert into f select g, repeat('x', g) || case when g = 3 then E'\nsecond' else '' end from generate_series(1, 5) g;
\pset border 2
select * from f order by id;
\x on
select * from f order by id;
\x off
\pset linestyle unicode
select * from f order by id;
select * from f where id <= 4 order by id;
\pset format wrapped
\pset columns 12
select * from f order by id;
\x on
select * from f order by id;
\x off
\pset format asciidoc
select * from f order by id;
select * from f where id <= 4 order by id;
\pset format html
select * from f order by id;
\pset format latex-longtable
select * from f order by id;
\pset format troff-ms
\x on
select * from f order by id;
\pset format latex
select * from f order by id;
\x auto
\pset format aligned
\pset border 1
\pset linestyle ascii
select * from f order by id;
select * from f where id <= 2 order by id;
select * from f where id <= 1 order by id;
select id from f order by id;
