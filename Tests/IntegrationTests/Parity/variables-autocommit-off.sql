\set AUTOCOMMIT off
create table parity_ac (a int);
insert into parity_ac values (1);
rollback;
select count(*) from pg_class where relname = 'parity_ac';
create table parity_ac (a int);
commit;
insert into parity_ac values (2);
select 1/0;
select 'in failed transaction' as step;
rollback;
select count(*) from parity_ac;
commit;
\echo :AUTOCOMMIT
