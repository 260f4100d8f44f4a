-- \i runs another file's commands as if typed here.
\set who included
\i :transcripts/include-helper.inc
select :'who' as back_in_main;
