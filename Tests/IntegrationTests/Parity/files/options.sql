-- a comment line
select 1 as a, 'x' as b
union all select 2, 'y';
\echo an echo
select 1/0;
insert into parity_options_missing values (1);
select null as n, E'two\nlines' as t;
