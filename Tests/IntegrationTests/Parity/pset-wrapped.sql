\set ON_ERROR_STOP off
create temp table w (id int, short text, long text, num numeric);
insert into w values
  (1, 'a', repeat('abcdefghij ', 8), 3.14),
  (2, E'x\ny', 'short', 2.71828),
  (3, 'ü', repeat('日本語', 10), NULL),
  (4, NULL, E'line one is long enough to wrap here\nline two', 1e10);
\pset format wrapped
\pset columns 40
select * from w order by id;
\pset border 2
select * from w order by id;
\pset border 0
select * from w order by id;
\pset border 1
\pset linestyle unicode
select * from w order by id;
\pset linestyle old-ascii
select * from w order by id;
\pset linestyle ascii
\C 'Wrapped title'
\x on
select * from w order by id;
\pset border 2
select * from w order by id;
\pset border 0
select * from w order by id;
\pset linestyle unicode
\pset border 1
select * from w order by id;
\x off
\C
\pset linestyle ascii
\pset columns 20
select * from w order by id;
\pset columns 200
select * from w order by id;
\pset columns 0
select * from w order by id;
\pset columns 30
\x auto
select * from w order by id;
select id from w order by id;
\x off
select * from w where false;
\pset columns
\pset columns 12abc
\pset format aligned
