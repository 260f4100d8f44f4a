\set ON_ERROR_STOP off
create schema ty_parity;
create type ty_parity.mood as enum ('sad', 'ok', 'happy');
comment on type ty_parity.mood is 'how one feels';
create type ty_parity.pair as (a int, b text);
create type ty_parity.floatrange as range (subtype = float8, subtype_diff = float8mi);
create type ty_parity."Shell Type";
create domain ty_parity.posint as int constraint positive check (value > 0) not null default 1;
create domain ty_parity.code as varchar(8) collate "C" check (value ~ '^[A-Z]+$') check (length(value) > 1);
comment on domain ty_parity.code is 'upper-case code';
create domain ty_parity.plain as text;
grant usage on type ty_parity.mood to public;
create table ty_parity.uses_types (m ty_parity.mood, p ty_parity.pair);
set search_path = ty_parity, public;
\dT
\dT+
\dT ty_parity.*
\dT ty_parity.m*
\dT+ mood
\dT "Shell Type"
\dT MOOD
\dT ty_parity.mood[]
\dT+ ty_parity._mood
\dTS int
\dTS float
\dTS int4[]
\dTS+ pg_catalog.bool
\dTS timestamp*
\dT x.y.z.w
\dD
\dD+
\dD ty_parity.p*
\dD+ code
\dDS
\dDS information_schema.*
\set ECHO_HIDDEN on
\dT+ pair
\dD posint
\set ECHO_HIDDEN off
