\set ON_ERROR_STOP off
create temp table n (i int, b bigint, x numeric, f float8, m money, t text);
insert into n values (1, 1234567890123, 1234567.891, -98765.4321, 1234.5, '1234567'),
  (-1234, -12, 0.001, 1e20, -0.5, 'text'), (NULL, 999, 123456, 'NaN', NULL, NULL),
  (100, 1000, -1000.5, 'Infinity', 0, '1000');
\pset numericlocale on
select * from n order by b;
\x on
select * from n order by b;
\x off
\pset format unaligned
select * from n order by b;
\pset format csv
select * from n order by b;
\pset format html
select * from n order by b;
\pset format wrapped
\pset columns 50
select * from n order by b;
\pset format aligned
\pset border 2
select * from n order by b;
\pset numericlocale off
select * from n order by b;
\pset numericlocale
