\set ON_ERROR_STOP off
-- A table's own footers (here \dn's publications) and titles in every format and border.
create schema footed;
create table footed.t (a int);
create publication footed_pub for tables in schema footed;
\dn footed
\dn nothing_matches
\x on
\dn footed
\x off
\pset border 2
\dn footed
\x on
\dn footed
\x off
\pset border 0
\dn footed
\x on
\dn footed
\x off
\pset border 1
\pset linestyle unicode
\dn footed
\x on
\dn footed
\x off
\pset linestyle ascii
\pset format wrapped
\pset columns 20
\dn footed
\x on
\dn footed
\x off
\pset format unaligned
\dn footed
\x on
\dn footed
\x off
\pset format html
\dn footed
\x on
\dn footed
\x off
\pset format asciidoc
\dn footed
\x on
\dn footed
\x off
\pset format latex
\dn footed
\x on
\dn footed
\x off
\pset format latex-longtable
\dn footed
\x on
\dn footed
\x off
\pset format troff-ms
\dn footed
\x on
\dn footed
\x off
\t on
\pset format aligned
\dn footed
\pset format html
\dn footed
\t off
\pset format aligned
\C 'A much longer title than the table is wide'
select 1 as a;
\pset border 2
select 1 as a;
\pset border 0
select 1 as a;
\C 'T'
select 1 as a, 2 as bb;
\pset border 2
select 1 as a, 2 as bb;
drop publication footed_pub;
\pset format unaligned
\pset recordsep '#'
\C 'U title'
select 1 as a, 2 as b union all select 3, 4;
\x on
select 1 as a, 2 as b union all select 3, 4;
\x off
\pset recordsep_zero
select 1 as a;
