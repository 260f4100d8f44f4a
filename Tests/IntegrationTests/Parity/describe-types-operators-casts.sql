\set ON_ERROR_STOP off
create schema op_parity;
create function op_parity.text_eq_len(text, text) returns boolean language sql immutable as 'select length($1) = length($2)';
create operator op_parity.=== (leftarg = text, rightarg = text, function = op_parity.text_eq_len, commutator = ===);
comment on operator op_parity.=== (text, text) is 'same length';
create function op_parity.negate(int) returns int language sql as 'select -$1';
create operator op_parity.~~~ (rightarg = int, function = op_parity.negate);
create type op_parity.temperature as (degrees float8);
create function op_parity.temp_to_float(op_parity.temperature) returns float8 language sql as 'select $1.degrees';
create cast (op_parity.temperature as float8) with function op_parity.temp_to_float(op_parity.temperature) as assignment;
comment on cast (op_parity.temperature as float8) is 'degrees';
create domain op_parity.dtext as text;
create type op_parity.wrapped as (t text);
create cast (op_parity.wrapped as text) with inout;
create collation op_parity."German" (provider = libc, locale = 'C');
create collation op_parity.simple from "C";
comment on collation op_parity.simple is 'copy of C';
create conversion op_parity.my_conv for 'LATIN1' to 'UTF8' from iso8859_1_to_utf8;
comment on conversion op_parity.my_conv is 'latin';
set search_path = op_parity, public;
\do
\do+
\do ===
\do op_parity.*
\do === text text
\do === text
\do ~~~ - int4
\do ~~~ int
\doS+ ||
\doS * int4 int4
\doS - - bigint
\do OP_PARITY.===
\do x.y.z.w
\dC
\dC+ temperature
\dC op_parity.*
\dC wrapped
\dC+ "op_parity"."wrapped"
\dC bigint
\dO
\dO+
\dO "German"
\dO op_parity.s*
\dOS+ "C"
\dc
\dc+
\dc op_parity.*
\dcS iso*to_utf8
\dcS+ *latin1_to*
\set ECHO_HIDDEN on
\dC+ temperature
\do+ === text text
\dO+ simple
\dc+ my_conv
\set ECHO_HIDDEN off
