\set QUIET on
create table parity_q (a int);
insert into parity_q values (1);
select * from parity_q;
\t
\a
\x
\timing off
\set QUIET off
\t
\a
\x
insert into parity_q values (2);
