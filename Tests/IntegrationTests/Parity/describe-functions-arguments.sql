\set ON_ERROR_STOP off
create schema fnarg;
create function fnarg.f() returns int language sql as 'select 1';
create function fnarg.f(int) returns int language sql as 'select 1';
create function fnarg.f(int, text) returns int language sql as 'select 1';
create function fnarg.f(text, int) returns int language sql as 'select 1';
create function fnarg.f(float8, numeric, int2[]) returns int language sql as 'select 1';
create function fnarg.f(timestamptz[], varchar) returns int language sql as 'select 1';
\df fnarg.f
\df fnarg.f int
\df fnarg.f int4 text
\df fnarg.f INTEGER -
\df fnarg.f - -
\df fnarg.f text *
\df fnarg.f float decimal int2[]
\df fnarg.f timestamptz[] "character varying"
\df fnarg.f pg_catalog.int4
\df fnarg.f x.y.z.w
\df fnarg.f int4;
\df+ fnarg.f integer text
\set ECHO_HIDDEN on
\df fnarg.f int4 text
\dfn fnarg.* - -
\set ECHO_HIDDEN off
