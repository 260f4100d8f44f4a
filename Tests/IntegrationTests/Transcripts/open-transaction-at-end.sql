-- Input that ends inside a transaction: rolled back, said on stderr, exit status 3.
create table pending (id int);
begin;
insert into pending values (1);
