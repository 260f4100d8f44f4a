select 1 as a;
\a\t
select 2 as b;
\a \t
select 3 as c;
