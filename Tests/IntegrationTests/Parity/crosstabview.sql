create table parity_ct (r text, c text, v int);
insert into parity_ct values ('r1', 'c1', 1), ('r1', 'c2', 2), ('r2', 'c1', 3), ('r2', 'c3', 4);
select r, c, v from parity_ct order by r, c \crosstabview
select r, c, v from parity_ct order by r, c \crosstabview c r v
select r, c, v from parity_ct \crosstabview r c v c
select r from parity_ct \crosstabview
select r, c, v, v from parity_ct \crosstabview
