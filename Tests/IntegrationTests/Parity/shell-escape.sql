\! echo from the shell
\! echo "quoted $PARITY_GREETING" | tr a-z A-Z
\! exit 3
\echo after a failing shell command
\! echo to stderr 1>&2
