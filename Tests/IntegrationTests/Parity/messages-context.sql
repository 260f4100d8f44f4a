create function parity_fail() returns int language plpgsql as $$
begin
  raise exception 'failing in a function' using detail = 'some detail', hint = 'some hint';
end $$;
create function parity_notice() returns int language plpgsql as $$
begin
  raise notice 'notice in a function';
  return 1;
end $$;
select parity_fail();
select parity_notice();
\set SHOW_CONTEXT never
select parity_fail();
\set SHOW_CONTEXT always
select parity_fail();
select parity_notice();
\set SHOW_CONTEXT errors
select parity_notice();
\set SHOW_CONTEXT bogus
