\set ECHO all
select 1;

select 2;

select 'a

b' as quoted;
/* a comment

ends here */ select 3;
select (

4);
select $$x

y$$ as dollar;

\set ECHO none
select 5;

\set ECHO all
select 6;

