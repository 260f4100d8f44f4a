-- Mistyped and misused commands get clear messages; help comes from the registry.
\set ON_ERROR_STOP off
\timng
\conifo
\pset bogus
\pset format xml
\x sideways
\help pset
\help nosuch
\timing --help
\echo done
