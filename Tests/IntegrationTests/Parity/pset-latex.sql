\set ON_ERROR_STOP off
create temp table l (id int, name text, price numeric);
insert into l values (1, 'a_b & c%$#{}', 10.5), (2, E'back\\slash ^~ <>|', NULL), (3, E'two\nlines', -3);
\pset format latex
select * from l order by id;
\C 'Title_with & specials'
select * from l order by id;
\pset border 0
select * from l order by id;
\pset border 2
select * from l order by id;
\pset border 3
select * from l order by id;
\x on
select * from l order by id;
\pset border 0
select * from l order by id;
\pset border 1
select * from l order by id;
select * from l where false;
\x off
\t on
select * from l order by id;
\t off
\pset format latex-longtable
\pset border 1
select * from l order by id;
\C
select * from l order by id;
\pset border 2
\C 'Long title'
select * from l order by id;
\pset border 3
select * from l order by id;
\pset tableattr '0.2 0.3'
\pset border 1
select * from l order by id;
\pset tableattr '0.5'
select id, name, name as again from l order by id;
\x on
select * from l order by id;
\x off
\t on
select * from l order by id;
\t off
\pset format latex-l
\pset format lat
\pset format l
