\set name world
\set quote 'it''s'
\set ident 'Mixed Case'
\set empty ''
select :'name' as greeting, :'quote' as q;
create table :"ident" (a int);
select count(*) from :"ident";
select :name;
\echo :{?name} :{?undefined} :{?empty}
\echo :name :'name' :"name" :undefined
select :'undefined';
select ':name' as literal, $$:name$$ as dollar, "a:name" from (select 1 as "a:name") s;
\set n 3
select :n + 1 as four;
\unset name
\echo :{?name}
select 1 as ":name";
