select 1 as a, 'text' as b \gx
select g, g * 2 as double from generate_series(1, 2) g \gx
\x on
select 1 as a \gx
\x off
select 1 as a \gx (format=unaligned)
