-- With ON_ERROR_STOP off, a script reports each error and carries on.
\set ON_ERROR_STOP off
select 1/0;
select 'still running' as status;
create table u (id int primary key);
insert into u values (1);
insert into u values (1);
select count(*) from u;
\nosuch
select 'after unknown command' as status;
