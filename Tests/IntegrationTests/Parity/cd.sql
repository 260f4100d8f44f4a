\cd sub
\i in-sub.sql
\cd ..
\i sub/in-sub.sql
\cd no-such-directory
\echo after failed cd
