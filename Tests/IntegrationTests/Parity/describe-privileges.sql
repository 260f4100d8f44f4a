\set ON_ERROR_STOP off
-- Roles are shared by the whole cluster: names of this case only, dropped first and last.
set client_min_messages = warning;
drop role if exists parity_priv_reader, parity_priv_writer, "Parity_Priv_Owner";
reset client_min_messages;
create role parity_priv_reader;
create role parity_priv_writer;
create role "Parity_Priv_Owner";
create schema parity_priv;
create table parity_priv.items (id int primary key, label text, secret text);
grant select on parity_priv.items to parity_priv_reader;
grant insert, update (label) on parity_priv.items to parity_priv_writer with grant option;
grant select (id, label) on parity_priv.items to public;
alter table parity_priv.items enable row level security;
create policy items_readable on parity_priv.items for select using (id > 0);
create policy "Items Restricted" on parity_priv.items as restrictive for update to parity_priv_writer, parity_priv_reader
  using (label is not null) with check (label <> '');
create policy items_all on parity_priv.items with check (true);
create view parity_priv.item_labels as select id, label from parity_priv.items;
grant select on parity_priv.item_labels to parity_priv_reader;
create sequence parity_priv.counter;
revoke all on parity_priv.counter from public;
grant usage on parity_priv.counter to parity_priv_writer;
create materialized view parity_priv.totals as select count(*) as n from parity_priv.items;
create table parity_priv."Mixed Case" (a int) partition by range (a);
grant all on parity_priv."Mixed Case" to "Parity_Priv_Owner";
create table parity_priv.no_grants (a int);
create index on parity_priv.no_grants (a);
\dp parity_priv.*
\z parity_priv.*
\dp parity_priv.item?
\dp parity_priv."Mixed Case"
\z PARITY_PRIV.ITEMS
\dp *.items
\dp parity_priv.no_*
\dpS+ parity_priv.totals
\dp pg_catalog.pg_class
\dp no_such_table
\dp a.b.c.d
\dp other_db.parity_priv.items
\z parity_priv.items extra
\pset format unaligned
\dp parity_priv.counter
\pset format aligned
-- Default privileges.
alter default privileges in schema parity_priv grant select on tables to parity_priv_reader;
alter default privileges for role "Parity_Priv_Owner" grant execute on functions to parity_priv_writer;
alter default privileges for role "Parity_Priv_Owner" revoke usage on types from public;
alter default privileges for role parity_priv_writer in schema parity_priv grant usage on sequences to parity_priv_reader;
alter default privileges for role parity_priv_writer grant create on schemas to parity_priv_reader;
\ddp
\ddp parity_priv
\ddp Parity_Priv_Owner
\ddp "Parity_Priv_Owner"
\ddp parity_priv_*
\ddp+ nothing
\ddp a.b.c
\set ECHO_HIDDEN on
\dp parity_priv.items
\z
\ddp parity_priv
\set ECHO_HIDDEN off
drop schema parity_priv cascade;
drop owned by parity_priv_reader, parity_priv_writer, "Parity_Priv_Owner";
drop role parity_priv_reader, parity_priv_writer, "Parity_Priv_Owner";
