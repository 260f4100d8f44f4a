\set ON_ERROR_STOP off
-- \d on partitioned tables and indexes, partitions (bounds, constraints, default, nested), inheritance.
create schema part;
create table part.measure (city int not null, logdate date not null, peak int, unitsales int) partition by range (logdate);
create table part.m2006 partition of part.measure for values from ('2006-02-01') to ('2006-03-01');
create table part.m2007 partition of part.measure for values from ('2007-01-01') to ('2008-01-01') partition by list (city);
create table part.m2007_a partition of part.m2007 for values in (1, 2, 3);
create table part.mdefault partition of part.measure default;
create index measure_peak on part.measure (peak);
create table part.ref (id int primary key);
alter table part.measure add constraint measure_city_fk foreign key (city) references part.ref (id);
create function part.tf() returns trigger language plpgsql as $$ begin return new; end $$;
create trigger measure_trg after insert on part.measure for each row execute function part.tf();
create table part.empty (a int) partition by hash (a);
create table part.lists (k text, v int) partition by list (k);
create table part.lists_ab partition of part.lists for values in ('a', 'b');
create table part.lists_null partition of part.lists for values in (null);
create table part.base (a int);
create table part.kid1 () inherits (part.base);
create table part.kid2 (b int) inherits (part.base);
\d part.measure
\d+ part.measure
\d part.m2006
\d+ part.m2006
\d part.m2007
\d+ part.m2007
\d+ part.m2007_a
\d+ part.mdefault
\d part.measure_peak
\d+ part.measure_peak
\d part.ref
\d part.empty
\d+ part.empty
\d+ part.lists_null
\d part.base
\d+ part.base
\d part.kid2
\dP
\dP+
\dPt
\dPi
\dPn
\dPn+
\dPtn+
\dPin
\dP part.*
\dP part.m2007
\dP+ part.m2*
\set ECHO_HIDDEN on
\dPtn+ part.*
\set ECHO_HIDDEN off
\dP no_such
drop schema part cascade;
