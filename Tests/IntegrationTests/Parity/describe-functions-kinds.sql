\set ON_ERROR_STOP off
create schema fn_parity;
create function fn_parity.add_one(i int4) returns int4 language sql immutable as 'select i + 1';
comment on function fn_parity.add_one(int4) is 'adds one';
create function fn_parity.add_one(t text) returns text language sql stable as $$select t || '1'$$;
create function fn_parity.body_std(a int, b int default 2) returns int language sql
  return a * b;
create function fn_parity.secure() returns void language plpgsql security definer parallel safe as $$
begin
  perform 1;
end
$$;
create function fn_parity.trig() returns trigger language plpgsql as $$begin return new; end$$;
create procedure fn_parity.proc(inout x int, y text) language sql as $$select 1$$;
create function fn_parity.wnd(int) returns int language internal window as 'window_row_number';
create function fn_parity.sum_state(int, int) returns int language sql as 'select $1 + $2';
create aggregate fn_parity.mysum(int) (sfunc = fn_parity.sum_state, stype = int, initcond = '0');
create aggregate fn_parity.mycount(*) (sfunc = int8inc, stype = int8, initcond = '0');
comment on aggregate fn_parity.mysum(int) is 'my sum';
create function fn_parity."Mixed Case"(variadic text[]) returns setof record language sql as 'select 1, 2';
grant execute on function fn_parity.add_one(int4) to public;
set search_path = fn_parity, public;
\df
\df+
\dfn
\dfa
\dfp
\dft
\dfw
\dfan
\dfpt
\dfntw fn_parity.*
\dfS+ fn_parity.add*
\df "Mixed Case"
\df fn_parity."Mixed Case"
\df FN_PARITY.ADD_ONE
\df add_on?
\da
\da+ fn_parity.*
\daS count
\da my*
\df pg_catalog.nosuchfunction
\df a.b.c.d
\df otherdb.fn_parity.add_one
\set ECHO_HIDDEN on
\dfa+ my*
\df add_one int4
\set ECHO_HIDDEN off
\set ECHO_HIDDEN noexec
\df add_one
\da
\set ECHO_HIDDEN off
\echo after
