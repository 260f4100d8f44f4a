create table parity_inc (a int, b text);
\i include-copy.sql
select * from parity_inc order by a;
