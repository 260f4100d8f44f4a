select 'before' as step;
select 1/0;
select 'after' as step;
