\set ON_ERROR_STOP off
create schema src_parity;
create function src_parity.add(a int, b int) returns int language sql immutable strict as $$
select a + b
$$;
create function src_parity.add(a text, b text) returns text language plpgsql as $$
begin
  return a || b;
end
$$;
create function src_parity.std(a int) returns int language sql begin atomic
  select a * 2;
  select a * 3;
end;
create function src_parity.ret(a int) returns int language sql return a + 1;
create procedure src_parity."Do It"(x int) language plpgsql as $$begin raise notice '%', x; end$$;
create table src_parity.t (id int, name text);
create view src_parity.v as select id, name from src_parity.t where id > 0;
create view src_parity.checked with (security_barrier = true) as select id from src_parity.t where id > 1 with local check option;
create view src_parity."Odd View" with (check_option = cascaded) as select * from src_parity.t;
create materialized view src_parity.mv as select 1 as one;
\sf src_parity.add(int, int)
\sf+ src_parity.add(int,int)
\sf+ src_parity.add(text, text)
\sf src_parity.add
\sf+ src_parity.std
\sf+ src_parity.ret
\sf src_parity."Do It"
\sf src_parity.nothing
\sf src_parity.nothing(int)
\sf
\sv src_parity.v
\sv+ src_parity.v
\sv src_parity.checked
\sv+ src_parity."Odd View"
\sv src_parity.mv
\sv src_parity.t
\sv src_parity.nothing
\sv
\sv pg_catalog.pg_roles
\set ECHO_HIDDEN on
\sf src_parity.ret
\sv src_parity.v
\set ECHO_HIDDEN off
\set ECHO_HIDDEN noexec
\sf src_parity.ret
\set ECHO_HIDDEN off
\echo done
