\set ON_ERROR_STOP off
create temp table r (id int, name text, note text);
insert into r values (1, E'back\\slash', 'a|b'), (2, E'two\nlines', NULL), (3, ' ', '');
\pset format troff-ms
select * from r order by id;
\C 'Troff title'
select * from r order by id;
\pset border 2
select * from r order by id;
\pset border 0
select * from r order by id;
\x on
select * from r order by id;
\pset border 2
select * from r order by id;
\pset border 1
select * from r order by id;
\t on
select * from r order by id;
\t off
select * from r where false;
\x off
select * from r where false;
\pset format asciidoc
\pset border 1
select * from r order by id;
\C
select * from r order by id;
\pset border 0
select * from r order by id;
\pset border 2
select * from r order by id;
\pset border 3
select * from r order by id;
select * from r where false;
\t on
select * from r order by id;
\t off
\C 'Doc title'
\x on
select * from r order by id;
\pset border 0
select * from r order by id;
\t on
select * from r order by id;
\t off
\x off
\pset format t
\pset format as
