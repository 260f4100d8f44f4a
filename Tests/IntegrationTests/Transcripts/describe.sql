-- \dt and \d show what a curator needs to investigate rows.
\dt
\dt disk*
\d diskfile
\d ingestqueue
\d no_such_table
