create table parity_copy (a int, b text);
copy parity_copy from stdin;
1	one
2	two with spaces
3	\N
\.
select * from parity_copy order by a;
copy parity_copy (a, b) from stdin (format csv, header true);
a,b
4,"four, with comma"
\.
select count(*) from parity_copy;
