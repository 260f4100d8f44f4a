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
-- Borders out of range: each format clamps as psql does (-1 is 65535).
\pset format aligned
\x off
\C tt
select 1 as a, E'x\ny' as b;
\pset format aligned
\x on
\C tt
select 1 as a, E'x\ny' as b;
\pset format wrapped
\x off
\C tt
select 1 as a, E'x\ny' as b;
\pset format wrapped
\x on
\C tt
select 1 as a, E'x\ny' as b;
\pset format html
\x off
\C tt
select 1 as a, E'x\ny' as b;
\pset format html
\x on
\C tt
select 1 as a, E'x\ny' as b;
\pset format asciidoc
\x off
\C tt
select 1 as a, E'x\ny' as b;
\pset format asciidoc
\x on
\C tt
select 1 as a, E'x\ny' as b;
\pset format latex
\x off
\C tt
select 1 as a, E'x\ny' as b;
\pset format latex
\x on
\C tt
select 1 as a, E'x\ny' as b;
\pset format latex-longtable
\x off
\C tt
select 1 as a, E'x\ny' as b;
\pset format latex-longtable
\x on
\C tt
select 1 as a, E'x\ny' as b;
\pset format troff-ms
\x off
\C tt
select 1 as a, E'x\ny' as b;
\pset format troff-ms
\x on
\C tt
select 1 as a, E'x\ny' as b;
\pset format aligned
\pset border 5
\x off
\C tt
select 1 as a, E'x\ny' as b;
\pset format aligned
\pset border 5
\x on
\C tt
select 1 as a, E'x\ny' as b;
\pset format wrapped
\pset border 5
\x off
\C tt
select 1 as a, E'x\ny' as b;
\pset format wrapped
\pset border 5
\x on
\C tt
select 1 as a, E'x\ny' as b;
\pset format html
\pset border 5
\x off
\C tt
select 1 as a, E'x\ny' as b;
\pset format html
\pset border 5
\x on
\C tt
select 1 as a, E'x\ny' as b;
\pset format asciidoc
\pset border 5
\x off
\C tt
select 1 as a, E'x\ny' as b;
\pset format asciidoc
\pset border 5
\x on
\C tt
select 1 as a, E'x\ny' as b;
\pset format latex
\pset border 5
\x off
\C tt
select 1 as a, E'x\ny' as b;
\pset format latex
\pset border 5
\x on
\C tt
select 1 as a, E'x\ny' as b;
\pset format latex-longtable
\pset border 5
\x off
\C tt
select 1 as a, E'x\ny' as b;
\pset format latex-longtable
\pset border 5
\x on
\C tt
select 1 as a, E'x\ny' as b;
\pset format troff-ms
\pset border 5
\x off
\C tt
select 1 as a, E'x\ny' as b;
\pset format troff-ms
\pset border 5
\x on
\C tt
select 1 as a, E'x\ny' as b;
\pset format aligned
\pset border -1
\x off
\C tt
select 1 as a, E'x\ny' as b;
\pset format aligned
\pset border -1
\x on
\C tt
select 1 as a, E'x\ny' as b;
\pset format wrapped
\pset border -1
\x off
\C tt
select 1 as a, E'x\ny' as b;
\pset format wrapped
\pset border -1
\x on
\C tt
select 1 as a, E'x\ny' as b;
\pset format html
\pset border -1
\x off
\C tt
select 1 as a, E'x\ny' as b;
\pset format html
\pset border -1
\x on
\C tt
select 1 as a, E'x\ny' as b;
\pset format asciidoc
\pset border -1
\x off
\C tt
select 1 as a, E'x\ny' as b;
\pset format asciidoc
\pset border -1
\x on
\C tt
select 1 as a, E'x\ny' as b;
\pset format latex
\pset border -1
\x off
\C tt
select 1 as a, E'x\ny' as b;
\pset format latex
\pset border -1
\x on
\C tt
select 1 as a, E'x\ny' as b;
\pset format latex-longtable
\pset border -1
\x off
\C tt
select 1 as a, E'x\ny' as b;
\pset format latex-longtable
\pset border -1
\x on
\C tt
select 1 as a, E'x\ny' as b;
\pset format troff-ms
\pset border -1
\x off
\C tt
select 1 as a, E'x\ny' as b;
\pset format troff-ms
\pset border -1
\x on
\C tt
select 1 as a, E'x\ny' as b;
\pset border 1
\pset format aligned
\x off
\C
