\set ON_ERROR_STOP off
-- psql 18 lists a table's NOT NULL constraints under \d+ (servers of 18 on, where they are named
-- constraints): local, inherited, both, NO INHERIT and NOT VALID; psql 15 has no such footer.
-- A virtual generated column (PostgreSQL 18) is shown by its expression.
create schema nn;
create table nn.parent (a int not null, b int not null, c int);
create table nn.child (a int not null, d int not null no inherit) inherits (nn.parent);
alter table nn.parent add constraint c_nn not null c not valid;
create table nn.virt (x int, y int generated always as (x * 2) virtual);
\d+ nn.parent
\d+ nn.child
\d nn.child
\d+ nn.virt
drop schema nn cascade;
