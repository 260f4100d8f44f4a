-- \pset and \x switch formats inside a session.
create table t (id int, label text, data jsonb);
insert into t values (1, 'comma, here', '{"a": 1}'), (2, null, null), (3, 'quote " here', '[1,2]');
\pset format unaligned
select * from t order by id;
\pset fieldsep ';'
select * from t order by id;
\pset format csv
select * from t order by id;
\pset format json
select * from t order by id;
insert into t values (4, 'four', null);
\pset format aligned
\pset null '(null)'
select * from t order by id;
\x
select * from t where id < 3 order by id;
\x off
\pset tuples_only on
select id, label from t order by id;
\pset tuples_only off
\pset footer off
select id from t order by id;
\pset
