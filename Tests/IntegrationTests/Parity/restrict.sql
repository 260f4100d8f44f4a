\restrict parityKey123
select 'inside restrict' as step;
\echo refused
\! echo refused too
\unrestrict wrongKey
\unrestrict parityKey123
\echo allowed again
