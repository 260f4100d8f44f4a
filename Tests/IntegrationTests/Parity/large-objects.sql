begin;
\lo_import blob.txt
\set blob :LASTOID
select length(lo_get(:blob)) as bytes;
\lo_export :blob exported.txt
\! cat exported.txt
\lo_list
comment on large object :blob is 'the blob';
\lo_list+
\dl
\dl+ ignored_pattern
\dlS
\lo_list one two; three;
\set ECHO_HIDDEN on
\dl+
\lo_list
\set ECHO_HIDDEN off
\lo_unlink :blob
\lo_list
commit;
\lo_unlink 999999
\lo_import missing.txt
