\set ON_ERROR_STOP off
-- Databases and tablespaces are shared by the whole cluster: names of this case only, dropped
-- first and last. The tablespace's folder is named after the test database (normalised in the
-- output) and made by the server itself, so it belongs to the server's user.
set client_min_messages = warning;
drop database if exists parity_dbs_one;
drop database if exists "Parity_Dbs_Two";
drop database if exists parity_dbs_icu;
drop tablespace if exists parity_dbs_space;
reset client_min_messages;
select '/tmp/parity_dbs_' || current_database() as location \gset
-- The programs read the COPY's row first: one that exits without reading it may make the
-- server's write fail (a broken pipe), in one shell's run and not in the other's.
select format('cat >/dev/null; mkdir -p %s', :'location') as mkdir, format('cat >/dev/null; rmdir %s', :'location') as rmdir \gset
copy (select) to program :'mkdir';
create tablespace parity_dbs_space location :'location';
comment on tablespace parity_dbs_space is 'an empty tablespace';
grant create on tablespace parity_dbs_space to public;
create database parity_dbs_one template template0 encoding 'SQL_ASCII' lc_collate 'C' lc_ctype 'C' connection limit 3;
comment on database parity_dbs_one is 'the first';
revoke connect on database parity_dbs_one from public;
grant connect, temporary on database parity_dbs_one to postgres;
create database "Parity_Dbs_Two" template template0 encoding 'UTF8' lc_collate 'C.UTF-8' lc_ctype 'C.UTF-8';
create database parity_dbs_icu template template0 encoding 'UTF8' locale_provider icu icu_locale 'en';
\l parity_dbs*
\l+ parity_dbs*
\list "Parity_Dbs_Two"
\list+ PARITY_DBS_ONE
\l parity_dbs_?n?
\l parity_dbs_(one|icu)
\l *_Two
\l nothing_here
\l a.b
select current_database() as db \gset
\l :db
\x
\l+ parity_dbs_one
\x
\pset format unaligned
\l parity_dbs_icu
\pset format aligned
\db parity_dbs*
\db+ parity_dbs_space
\dbS+ PARITY_DBS_SPACE
\db pg_*
\db pg_glob?l;
\db "pg_default"
\db a.b
\set ECHO_HIDDEN on
\l+ parity_dbs_one
\list parity_dbs_one
\db+ parity_dbs_space
\set ECHO_HIDDEN off
drop database parity_dbs_one;
drop database "Parity_Dbs_Two";
drop database parity_dbs_icu;
drop tablespace parity_dbs_space;
copy (select) to program :'rmdir';
