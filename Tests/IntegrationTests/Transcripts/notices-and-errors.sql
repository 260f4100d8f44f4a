-- Notices arrive on stderr in order; errors carry DETAIL, HINT and CONTEXT.
\set ON_ERROR_STOP off
do $$ begin raise notice 'checking % rows', 3; end $$;
create table k (id int primary key);
insert into k values (1);
insert into k values (1);
do $$ begin raise exception 'custom failure' using detail = 'the detail', hint = 'the hint'; end $$;
select 1 +;
\errverbose
