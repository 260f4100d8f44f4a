select 1 as a
\p
\w buffer.txt
\r
\p
select 2 as b;
\p
\w buffer2.txt
\! cat buffer.txt buffer2.txt
select 3
\r
\echo reset done
