\set ON_ERROR_STOP off
-- Publications and subscriptions belong to the database; subscriptions keep it from being
-- dropped, so every one made here is dropped at the end.
set client_min_messages = error;
create schema parity_repl;
create table parity_repl.orders (id int primary key, amount numeric, note text);
create table parity_repl.lines (id int primary key, order_id int);
create schema "Parity Repl Schema";
create table "Parity Repl Schema".t (a int);
create publication parity_repl_all for all tables;
create publication parity_repl_some for table parity_repl.orders (id, amount) where (amount > 0), parity_repl.lines
  with (publish = 'insert, update');
create publication "Parity_Repl_Schemas" for tables in schema parity_repl, "Parity Repl Schema" with (publish_via_partition_root = true);
create publication parity_repl_empty;
create subscription parity_repl_sub connection 'dbname=parity_repl_nowhere' publication parity_repl_all, "Parity_Repl_Schemas"
  with (connect = false, create_slot = false, enabled = false, slot_name = none);
create subscription parity_repl_sub2 connection 'host=/nonexistent port=1 dbname=x' publication p1
  with (connect = false, create_slot = false, enabled = false, slot_name = none, binary = true, streaming = true);
reset client_min_messages;
\dRp
\dRp parity_repl*
\dRp+
\dRp+ parity_repl_some
\dRp+ "Parity_Repl_Schemas"
\dRp+ PARITY_REPL_EMPTY
\dRpS parity_repl_?ll
\dRp+ nothing_here
\dRp nothing_here
\dRp a.b
\set QUIET on
\dRp+ nothing_here
\set QUIET off
\dRs
\dRs+
\dRs parity_repl_sub?
\dRs PARITY_REPL_SUB
\dRs+ "parity_repl_sub2"
\dRs nothing_here
\dRs a.b
\set ECHO_HIDDEN on
\dRp parity_repl_some
\dRp+ parity_repl_some
\dRs+ parity_repl_sub
\set ECHO_HIDDEN off
drop subscription parity_repl_sub;
drop subscription parity_repl_sub2;
drop publication parity_repl_all, parity_repl_some, "Parity_Repl_Schemas", parity_repl_empty;
