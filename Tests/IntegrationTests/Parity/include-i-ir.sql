\echo main start
\i included.sql
\i sub/relative.sql
\ir sub/relative.sql
\i no-such-file.sql
\include included.sql
\include_relative sub/relative.sql
\echo main end
