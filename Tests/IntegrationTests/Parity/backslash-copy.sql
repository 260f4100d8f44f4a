create table parity_copy (a int, b text);
\copy parity_copy from 'rows.csv' with (format csv)
select * from parity_copy order by a;
\copy parity_copy to 'out.txt'
\! cat out.txt
\copy (select a, b from parity_copy where a < 3 order by a) to stdout with csv header
\copy parity_copy (a, b) from stdin
10	ten
\.
select count(*) from parity_copy;
\copy parity_copy to pstdout with (format csv)
\copy parity_copy from 'missing-file.csv'
\copy parity_copy from 
