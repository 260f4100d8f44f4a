\i include-copy-out.sql
select 'after the included copy' as step;
