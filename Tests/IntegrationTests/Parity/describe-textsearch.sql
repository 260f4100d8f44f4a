\set ON_ERROR_STOP off
create schema ts_parity;
create text search configuration ts_parity.my_english (copy = pg_catalog.english);
comment on text search configuration ts_parity.my_english is 'english copy';
create text search dictionary ts_parity.my_simple (template = pg_catalog.simple, stopwords = english, accept = false);
comment on text search dictionary ts_parity.my_simple is 'simple copy';
create text search configuration ts_parity."Few Tokens" (parser = default);
alter text search configuration ts_parity."Few Tokens" add mapping for word, asciiword with ts_parity.my_simple, simple;
create text search template ts_parity.my_template (lexize = dsimple_lexize, init = dsimple_init);
create text search parser ts_parity.my_parser (start = prsd_start, gettoken = prsd_nexttoken, end = prsd_end, lextypes = prsd_lextype, headline = prsd_headline);
comment on text search parser ts_parity.my_parser is 'copy of default';
\dF
\dF+ ts_parity.*
\dF+ "Few Tokens"
set search_path = ts_parity, public;
\dF+ "Few Tokens"
\dF+ pg_catalog.russian
\dF ts_parity.*
\dF *english
\dF+ nothing_like_this
\dFd
\dFd+
\dFd+ ts_parity.*
\dFd english*
\dFp
\dFp+
\dFp+ ts_parity.my_parser
\dFp nothing
\dFp+ nothing
\dFt
\dFt+
\dFt+ ts_parity.*
\dFt s*
\dF a.b.c.d
\set ECHO_HIDDEN on
\dF+ "Few Tokens"
\dFp+ my_parser
\dFd+ ts_parity.my_simple
\dFt+ ts_parity.my_template
\set ECHO_HIDDEN off
\set QUIET on
\dF+ nothing_like_this
\set QUIET off
