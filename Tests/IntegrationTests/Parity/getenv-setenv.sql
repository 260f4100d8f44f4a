\getenv greeting PARITY_GREETING
\echo :greeting
\getenv missing PARITY_NO_SUCH_VARIABLE
\echo :missing
\setenv PARITY_SET value-from-setenv
\! echo "$PARITY_SET"
\getenv back PARITY_SET
\echo :back
\setenv PARITY_SET
\! echo "unset: [$PARITY_SET]"
\getenv
\setenv
