-- Backslash commands inside a statement's lines, \g and \r.
select 1 as a
\echo the buffer still holds select 1
;
select 2 as b \g
select 'discarded'
\r
select 3 as c;
