-- \set, \echo and interpolation of :name, :'name' and :"name".
\set table_name 'odd "table"'
\set value 'it''s'
\set limit 2
\echo table is :table_name, value is :value
create table :"table_name" (v text);
insert into :"table_name" values (:'value');
select v, v::text as cast_is_not_a_variable from :"table_name";
select :limit + 1 as limit_plus_one;
select ':limit' as quoted_is_literal;
\echo :undefined_stays
\set joined a b c
\echo :joined
\echo -n no newline
\echo
\unset limit
\echo :limit
