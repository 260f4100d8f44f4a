\echo plain echo
\echo -n no newline
\echo after
\echo 'quoted  spaces' "double" :nonexistent
\qecho qecho to stdout
\warn warn to stderr
\warn -n warn without newline
\warn
\o echo-out.txt
\echo echo while \o
\qecho qecho while \o
\warn warn while \o
\o
\! cat echo-out.txt
