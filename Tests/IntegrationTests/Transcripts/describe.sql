-- \dt and \d as psql shows them.
\dt
\dt disk*
\d diskfile
\d ingestqueue
\d no_such_table
