-- Transaction control passes through; a script's savepoints and rollbacks behave as on the server.
create table ledger (id int primary key, amount int);
begin;
insert into ledger values (1, 10);
savepoint s1;
insert into ledger values (2, 20);
rollback to savepoint s1;
commit;
begin;
insert into ledger values (3, 30);
rollback;
select * from ledger order by id;
