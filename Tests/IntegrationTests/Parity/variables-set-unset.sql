\set ON_ERROR_STOP off
\set quoted 'a\tb' "q" 'it''s' `echo hi` :{?quoted} :{?nope}
\echo :quoted
\set copy :quoted :'quoted' tail
\echo :copy
\set é 'x' \echo after
\echo :é
\unset
\unset a-b
\unset quoted extra
\echo :quoted
\set a-b 1
\set empty
\echo [:empty]
