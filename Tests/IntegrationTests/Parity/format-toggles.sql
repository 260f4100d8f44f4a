select 1 as a, 'x' as b;
\t
select 1 as a, 'x' as b;
\t
\a
select 1 as a, 'x' as b;
\f ;
select 1 as a, 'x' as b;
\f
\a
\C My Title
select 1 as a, 'x' as b;
\C
select 1 as a;
\t on
\t off
\a
\a
