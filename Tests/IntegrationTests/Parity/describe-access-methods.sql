\set ON_ERROR_STOP off
create access method parity_heap type table handler heap_tableam_handler;
comment on access method parity_heap is 'another heap';
create schema am_parity;
create operator family am_parity.my_int_ops using btree;
create operator class am_parity.my_int4_ops for type int4 using btree family am_parity.my_int_ops as
  operator 1 <, operator 3 =, operator 5 >, function 1 btint4cmp(int4, int4);
create operator class am_parity."Text Ops" for type text using hash as operator 1 =, function 1 hashtext(text);
\dA
\dA+
\dA b*
\dA+ hash
\dA "parity_heap"
\dA x.y
\dAc btree int4
\dAc+ btree int4
\dAc hash text
\dAc * am_parity.*
\dAc+ btree am_parity.int4
\dAc brin
\dAf btree int4
\dAf+ btree int4
\dAf hash
\dAf * text
\dAf+ btree am_parity.*
\dAo btree am_parity.*
\dAo+ btree am_parity.my_int_ops
\dAo gist box_ops
\dAo+ hash "Text Ops"
\dAp btree am_parity.*
\dAp+ btree am_parity.my_int_ops
\dAp hash text_ops
\dAp+ spgist quad_point_ops
\dAc x.y
\dAf btree a.b.c.d
\set ECHO_HIDDEN on
\dA+ parity_heap
\dAc btree am_parity.int4
\dAf+ btree int4
\dAo+ btree am_parity.my_int_ops
\dAp btree am_parity.my_int_ops
\set ECHO_HIDDEN off
drop access method parity_heap;
