\set ON_ERROR_STOP off
-- A privilege on a parameter is shared by the whole cluster: granted to a role of this case
-- only, revoked with the role first and last.
set client_min_messages = warning;
do $$ begin
  if exists (select from pg_roles where rolname = 'parity_config_role') then
    execute 'drop owned by parity_config_role';
  end if;
end $$;
drop role if exists parity_config_role;
reset client_min_messages;
create role parity_config_role;
-- The programs' own application names would differ: the same one for both.
set application_name = 'parity';
set work_mem = '3MB';
grant set on parameter work_mem to parity_config_role;
\dconfig
\dconfig work_mem
\dconfig+ work_mem
\dconfig *_mem
\dconfig+ *work_mem
\dconfig "work_mem"
\dconfig "Work_Mem"
\dconfig WORK_MEM
\dconfig ENABLE_SEQ?CAN
\dconfig enable_(hash|merge)join
\dconfigS+ nothing_here
\dconfig a.b.c
\x
\dconfig+ work_mem
\x
\set ECHO_HIDDEN on
\dconfig+ work_mem
\dconfig
\set ECHO_HIDDEN off
reset work_mem;
drop owned by parity_config_role;
drop role parity_config_role;
