-- Aligned output as psql prints it: numbers right, text left, NULL empty, footers, command tags.
create table sample_types (id int, name text, ratio numeric, ok boolean, note text);
insert into sample_types values (1, 'alpha', 1.5, true, null), (22, 'beta', -0.25, false, 'two
lines');
select * from sample_types order by id;
select 1 as one; select 'x' as two;
select id,
       name
  from sample_types
 where id > 100;
update sample_types set ok = not ok;
delete from sample_types where id = 22;
select count(*) from file where name like 'N2024%';
