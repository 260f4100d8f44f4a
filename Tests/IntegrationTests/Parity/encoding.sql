\encoding
\encoding LATIN1
\encoding
show client_encoding;
\encoding no_such_encoding
\encoding UTF8
\echo :ENCODING
