select 1 as a, 'x'::text as b, now() as c, null::numeric(10, 2) as d \gdesc
select 1/0 \gdesc
create table parity_gdesc (a int) \gdesc
select * from no_such_table \gdesc
