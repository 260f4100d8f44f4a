copy (select g as n, 'row ' || g as label from generate_series(1, 3) g) to stdout;
copy (select 1 as a, 'x,y' as b, null as c) to stdout (format csv, header true);
copy (select E'tab\there' as t) to stdout;
select 'after copy' as step;
