select 1 as a, 'b' as b \g (format=csv)
select 2 as a \g (format=unaligned tuples_only=on)
select 3 as a \g out.txt
\! cat out.txt
select 4 as a \g |cat -n
select 5 as a \g
\g
select 6 as a \g (bogus=1)
select 7 as a \g (format=nonsense)
