\echo in sub/relative.sql
select 'relative' as source;
