-- A script stops at its first error with status 3, naming the line and the statement.
create table kept (id int);
insert into kept values (1);
insert into no_such_table values (1);
insert into kept values (2);
select 'never reached';
