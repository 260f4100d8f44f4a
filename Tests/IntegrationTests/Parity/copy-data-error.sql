create table parity_copy (a int, b text);
copy parity_copy from stdin;
1	one
2	two
x	bad
4	four
\.
select count(*) from parity_copy;
copy parity_copy from stdin;
1	too	many
\.
select 'still running' as step;
