\set from_shell `echo hello from the shell`
\echo :from_shell
\echo `echo one two`
\echo '`echo in single quotes`'
\set t `printf 'trailing newline\n'`
\echo [:t]
\set failed `exit 3`
\echo [:failed]
\set twolines `printf 'a\nb'`
\echo :twolines
