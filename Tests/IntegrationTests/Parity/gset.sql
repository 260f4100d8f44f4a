select 1 as one, 'two' as two, null as three \gset
\echo :one :two :three
select 10 as n, 'x' as s \gset p_
\echo :p_n :p_s
select 1 as a where false \gset
select g from generate_series(1, 2) g \gset
select 1 as "ROW_COUNT" \gset
\echo :ROW_COUNT
select 1 \gset
\echo :?column?
