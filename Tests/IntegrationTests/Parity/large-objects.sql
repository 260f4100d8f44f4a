begin;
\lo_import blob.txt
\set blob :LASTOID
select length(lo_get(:blob)) as bytes;
\lo_export :blob exported.txt
\! cat exported.txt
\lo_list
\lo_unlink :blob
\lo_list
commit;
\lo_unlink 999999
\lo_import missing.txt
