\o | tr a-z A-Z
select 'lower case' as words;
\echo echo is not piped
\qecho qecho is piped
\o
select 'back on stdout' as words;
\o out.txt
select 'into a file' as words;
\o
\! cat out.txt
\o |cat -n
select 1;
\o
