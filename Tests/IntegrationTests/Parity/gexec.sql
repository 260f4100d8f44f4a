create table parity_gexec (a int);
select format('insert into parity_gexec values (%s)', g) from generate_series(1, 3) g \gexec
select count(*) from parity_gexec;
select 'select 1 as one', 'select 1/0', 'select ''after'' as step' \gexec
select 'create table parity_gexec2 (a int)', null \gexec
