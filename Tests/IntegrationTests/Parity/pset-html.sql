\set ON_ERROR_STOP off
create temp table h (id int, name text, note text);
insert into h values (1, '<b>&"bold"</b>', '  leading spaces'), (2, E'two\nlines', NULL), (3, ' ', E'\t');
\pset format html
select * from h order by id;
\pset null '(null)'
\C 'A <title> & more'
select * from h order by id;
\pset border 2
\pset tableattr 'class="x" width=90%'
select * from h order by id;
select * from h where false;
\pset footer off
select * from h order by id;
\pset footer on
\x on
select * from h order by id;
select * from h where false;
\t on
select * from h order by id;
\x off
select * from h order by id;
\t off
\C
\T
\T 'cellpadding=4'
\pset tableattr
\pset T
\H
select 1 as one;
\H
select 2 as two;
\html
\html
\pset format h
\pset format a
-- Command tags and large-object lines as html paragraphs.
\pset format html
create temp table hh (a int, "b<>" text);
insert into hh values (1, 'x');
insert into hh values (2, 'y') returning a, "b<>";
update hh set a = a + 1;
\lo_import blob.txt
\set blob :LASTOID
\lo_unlink :blob
prepare p as select 1;
deallocate p;
\pset format aligned
