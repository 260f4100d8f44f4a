select 'before quit' as step;
\q
select 'after quit' as step;
