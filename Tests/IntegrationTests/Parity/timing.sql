\timing on
select 1 as a;
\timing off
select 2 as b;
\timing
select 3 as c;
\timing
\timing maybe
