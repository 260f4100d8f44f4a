\set ON_ERROR_STOP off
-- Keys WITHOUT OVERLAPS and PERIOD foreign keys (PostgreSQL 18): psql 18 shows a temporal key by
-- its constraint definition in \d's index list. (Servers before 18 refuse the statements.)
create schema tk;
create table tk.booking (room int4range, during tstzrange, primary key (room, during without overlaps));
create table tk.ref (room int4range, during tstzrange,
    foreign key (room, period during) references tk.booking (room, period during));
create table tk.chk (a int, constraint a_pos check (a > 0) not enforced);
\d+ tk.booking
\d tk.ref
\d tk.chk
\di tk.*
drop schema tk cascade;
