\set ON_ERROR_STOP off
create temp table t (id int, name text, amount numeric, note text);
insert into t values
  (1, 'first', 1234567.891, 'one line'),
  (2, E'multi\nline', -42, NULL),
  (3, '日本語テキスト', NULL, E'tab\there'),
  (NULL, '', 0.5, E'a\nb\nc');
\pset null '<null>'
\pset border 0
select * from t order by id;
\x on
select * from t order by id;
\x off
\pset border 2
\C 'A title wider than the whole table, centred or not'
select * from t order by id;
\C Title
select * from t order by id;
select * from t where false;
\x on
select * from t order by id;
select * from t where false;
\x off
\C
\pset border 3
select * from t order by id;
\pset border 1
\pset linestyle old-ascii
select id, name as "two
lines", note from t order by id;
\x on
select id, name as "two
lines", note from t order by id;
\x off
\pset border 0
select id, name as "two
lines", note from t order by id;
\pset border 2
select id, name as "two
lines", note from t order by id;
\pset linestyle unicode
\pset border 1
select * from t order by id;
\pset border 2
select id, name as "two
lines", note from t order by id;
\pset unicode_border_linestyle double
\pset unicode_header_linestyle double
select * from t order by id;
\pset unicode_column_linestyle double
\x on
select * from t order by id;
\x off
\pset border 0
select * from t order by id;
\t on
\pset border 2
select * from t order by id;
\x on
select * from t order by id;
\x off
\t off
\pset unicode_border_linestyle triple
\pset unicode_column_linestyle s
\pset unicode_header_linestyle D
\pset linestyle u
\pset linestyle bogus
\pset linestyle
\pset border
\pset border -1
\pset border 1
\pset linestyle ascii
