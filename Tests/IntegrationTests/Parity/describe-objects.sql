\set ON_ERROR_STOP off
create schema obj_parity;
create table obj_parity.measured (id int primary key, a int, b int, c text, constraint a_positive check (a > 0));
comment on constraint a_positive on obj_parity.measured is 'a must be positive';
create domain obj_parity.even as int constraint even_check check (value % 2 = 0);
comment on constraint even_check on domain obj_parity.even is 'only even numbers';
create rule keep_log as on delete to obj_parity.measured do also nothing;
comment on rule keep_log on obj_parity.measured is 'a rule';
create function obj_parity.noop() returns trigger language plpgsql as $$begin return new; end$$;
create trigger "Before Insert" before insert on obj_parity.measured for each row execute function obj_parity.noop();
comment on trigger "Before Insert" on obj_parity.measured is 'a trigger';
create operator family obj_parity.fam using btree;
comment on operator family obj_parity.fam using btree is 'a family';
create operator class obj_parity.cls for type int4 using btree family obj_parity.fam as operator 1 <, function 1 btint4cmp(int4, int4);
comment on operator class obj_parity.cls using btree is 'a class';
create statistics obj_parity.ab_stats (ndistinct, dependencies) on a, b from obj_parity.measured;
create statistics obj_parity."Expr Stats" on (a + b), c from obj_parity.measured;
create statistics obj_parity.mcv_only (mcv) on a, c from obj_parity.measured;
create function obj_parity.on_ddl() returns event_trigger language plpgsql as $$begin null; end$$;
create event trigger parity_ddl_end on ddl_command_end when tag in ('CREATE TABLE', 'DROP TABLE') execute function obj_parity.on_ddl();
create event trigger "Parity Start" on ddl_command_start execute function obj_parity.on_ddl();
alter event trigger "Parity Start" disable;
comment on event trigger parity_ddl_end is 'after ddl';
set search_path = obj_parity, public;
\dd
\ddS pg_catalog.*
\dd obj_parity.*
\dd keep*
\dd "Before Insert"
\dd A_POSITIVE
\dd even_check
\dd x.y.z.w
\dX
\dX obj_parity.*
\dX ab*
\dX "Expr Stats"
\dX+ mcv_only
\dX a.b.c.d
\dy
\dy+
\dy parity*
\dy "Parity Start"
\dy+ nothing
\dy x.y
\set ECHO_HIDDEN on
\dd keep_log
\dX ab_stats
\dy+ parity_ddl_end
\set ECHO_HIDDEN off
drop event trigger parity_ddl_end;
drop event trigger "Parity Start";
