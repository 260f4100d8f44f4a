\echo in-sub.sql reached through \cd
