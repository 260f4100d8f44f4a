\set ON_ERROR_ROLLBACK on
create table parity_oer (a int);
begin;
insert into parity_oer values (1);
select 1/0;
insert into parity_oer values (2);
commit;
select count(*) from parity_oer;
\set ON_ERROR_ROLLBACK off
begin;
insert into parity_oer values (3);
select 1/0;
insert into parity_oer values (4);
commit;
select count(*) from parity_oer;
\set ON_ERROR_ROLLBACK interactive
begin;
select 1/0;
select 'interactive in a script' as step;
rollback;
