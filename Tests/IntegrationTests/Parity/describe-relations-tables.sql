\set ON_ERROR_STOP off
-- \d on tables of the template database and on tables made here, with every footer psql 15 prints.
\d diskfile
\d+ file
\d+ header
create schema rel;
create table rel.owner (id int primary key, code text unique, note text default 'none' collate "C");
create table rel.item (
    id bigint generated always as identity primary key,
    owner_id int references rel.owner (id) on delete cascade,
    qty int not null check (qty > 0),
    price numeric(10,2) default 0,
    total numeric generated always as (qty * price) stored,
    tag text,
    span int4range,
    constraint qty_small check (qty < 1000),
    exclude using gist (span with &&)
);
comment on column rel.item.qty is 'how many';
comment on table rel.item is 'items';
create unique index item_tag_idx on rel.item (tag) where tag is not null;
create index item_expr_idx on rel.item (lower(tag)) include (qty);
alter table rel.item alter column tag set storage external;
alter table rel.item alter column tag set statistics 500;
alter table rel.item alter column tag set compression pglz;
create table rel.deferred (a int, b int, c int not null,
    constraint deferred_a unique (a) deferrable initially deferred,
    constraint deferred_b unique nulls not distinct (b) deferrable);
create unique index deferred_c on rel.deferred (c);
cluster rel.item using item_expr_idx;
alter table rel.owner replica identity full;
alter table rel.deferred replica identity using index deferred_c;
create statistics rel.item_stats (ndistinct, dependencies) on qty, price from rel.item;
create statistics rel.item_all on qty, tag from rel.item;
create statistics rel.item_expr on (lower(tag)) from rel.item;
alter statistics rel.item_all set statistics 50;
alter table rel.item enable row level security;
create policy item_read on rel.item for select to public using (qty > 1);
create policy item_strict on rel.item as restrictive for update to postgres using (true) with check (qty < 10);
create policy item_all on rel.item;
alter table rel.owner enable row level security;
alter table rel.owner force row level security;
create table rel.open (a int);
create policy open_p on rel.open using (a > 0);
create rule item_log as on delete to rel.owner do also notify owner_deleted;
create rule item_never as on update to rel.owner do instead nothing;
alter table rel.owner disable rule item_never;
create function rel.trg() returns trigger language plpgsql as $$ begin return new; end $$;
create trigger t_before before insert on rel.item for each row execute function rel.trg();
create trigger t_off after update on rel.item for each row execute function rel.trg();
alter table rel.item disable trigger t_off;
create trigger t_always after delete on rel.item for each statement execute function rel.trg();
alter table rel.item enable always trigger t_always;
create trigger t_replica before update of qty on rel.item for each row when (old.qty is distinct from new.qty) execute function rel.trg();
alter table rel.item enable replica trigger t_replica;
create publication rel_pub for table rel.item (id, qty) where (qty > 5), rel.owner;
create type rel.pair as (x int, y text);
create table rel.typed of rel.pair (x with options not null);
create unlogged table rel.scratch (v text) with (fillfactor = 70, autovacuum_enabled = false, toast.autovacuum_enabled = false);
create table rel.parent (a int, b text);
create table rel.child (c int) inherits (rel.parent);
create table rel.other_parent (d int);
create table rel.multi () inherits (rel.parent, rel.other_parent);
\d rel.owner
\d+ rel.owner
\d rel.item
\d+ rel.item
\d rel.deferred
\d+ rel.deferred
\d rel.open
\d rel.typed
\d+ rel.scratch
\d rel.parent
\d+ rel.parent
\d+ rel.child
\d+ rel.multi
\d rel.pair
\d+ rel.pair
\set HIDE_TABLEAM on
\set HIDE_TOAST_COMPRESSION on
\d+ rel.owner
\set HIDE_TABLEAM off
\set HIDE_TOAST_COMPRESSION off
-- patterns
\d rel.*own*
\d "rel".OWNER
\d rel.own?r
\d x.y.z.w
\d otherdb.rel.owner
\d no_such_relation
\dS pg_class
\d+ pg_catalog.pg_am
\x on
\d rel.open
\x off
\pset format unaligned
\d rel.open
\d+ rel.item
\pset tuples_only on
\d rel.owner
\pset tuples_only off
\pset format csv
\d rel.owner
\pset format aligned
\pset footer off
\d rel.owner
\dt rel.*
\pset footer on
\pset title 'a title'
\d rel.owner
\pset title
-- ECHO_HIDDEN shows OIDs: only the template's relations have the same ones in every copy,
-- so one of them gets every kind of footer here.
alter table public.file add constraint file_name_check check (name <> '');
create rule file_rule as on update to public.file do also notify file_changed;
create trigger file_trg before insert on public.file for each row execute function rel.trg();
create policy file_policy on public.file using (true);
create statistics rel.file_stats on id, name from public.file;
\set ECHO_HIDDEN on
\d+ file
\set ECHO_HIDDEN noexec
\d header
\set ECHO_HIDDEN off
\d rel.owner extra
-- psql drops a pattern's trailing semicolons
\d rel.open;
\dt rel.open;;
\dP rel.*;
drop publication rel_pub;
drop schema rel cascade;
