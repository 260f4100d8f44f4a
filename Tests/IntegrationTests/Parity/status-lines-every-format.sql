-- The status line of a statement without rows, in every format, alone and after a result with
-- rows in the same query (where the format's renderer is already made), with QUIET on and off.
\set ON_ERROR_STOP off
create temp table s (id int, name text);
insert into s values (1, 'one');
\pset format aligned
insert into s values (2, 'two');
select * from s order by id \; update s set name = name where id = 1 \; select 1 as x;
\pset format unaligned
insert into s values (3, 'three');
select * from s order by id \; delete from s where id = 3;
\pset format csv
create temp table t (a int);
select id from s order by id \; insert into t values (1);
\pset format html
insert into t values (2);
select a from t order by a \; update t set a = a;
\pset format asciidoc
insert into t values (3);
select a from t order by a \; delete from t where a = 3;
\pset format latex
insert into t values (3);
\pset format latex-longtable
insert into t values (4);
select a from t order by a \; delete from t where a = 4;
\pset format troff-ms
insert into t values (4);
\pset format wrapped
insert into t values (5);
select a from t order by a \; drop table t;
\x on
insert into s values (4, 'four');
\pset format html
insert into s values (5, 'five');
\x off
\set QUIET on
\pset format aligned
insert into s values (6, 'six');
\pset format html
insert into s values (7, 'seven');
select count(*) from s \; update s set id = id;
\set QUIET off
\pset numericlocale on
\pset format aligned
insert into s values (8, 'eight');
select 1234567 as n \; update s set id = id where id = 8;
copy s to stdout;
