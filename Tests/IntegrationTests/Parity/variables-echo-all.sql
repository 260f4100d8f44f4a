\set ECHO all
select 1 as a;
-- a comment
\echo an echo
select 1/0;
select 'two'
  as b;
\set ECHO none
select 'not echoed' as c;
