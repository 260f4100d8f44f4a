create table parity_copy (a int, b text);
select 'before' as step;
copy parity_copy from stdin;
1	one
2	two
