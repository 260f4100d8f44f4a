\set ON_ERROR_STOP off
create schema parity_one;
comment on schema parity_one is 'first';
create schema "Parity Two";
\dn
\dn+
\dnS pg_c*
\dn parity*
\dn "Parity Two"
\dn PARITY_ONE
\dn x.y
\dn a.b.c
\set ECHO_HIDDEN on
\dn+ parity_one
\set ECHO_HIDDEN noexec
\dn parity_one
\set ECHO_HIDDEN off
\dn nothing_here
