\echo in included.sql
select 'included' as source;
select 1/0;
\ir sub/relative.sql
