select 1 as ok;
select 1
  + 1
  + no_such_column;
select 'ok after error' as step;
do $$ begin raise notice 'a notice from line %', 1; end $$;
do $$ begin raise warning 'a warning'; end $$;
do $$
begin
  raise notice 'multi-line do';
end
$$;
rollback;
select 1/0; select 'same line' as step;
create table parity_msg (a int primary key);
insert into parity_msg values (1), (1);
select *
from parity_no_such_table
where true;
