-- More rules for a FitsStorage archive, written as a check pack: no compiling, just SQL.
-- Load it with   scripts/demo --plugin-dir Examples/packs   (or copy it into ~/.config/curate/plugins),
-- then   \check archive-extra   and   \fix compressed-flag-mismatch --dry-run
-- The format is described in docs/plugins.md ("Check packs").

-- pack: archive-extra
-- version: 1.0
-- description: More rules for the FITS archive: compression flags, failed queue entries, truncated files

-- check: compressed-flag-mismatch
-- severity: warning
-- description: a diskfile whose compressed flag disagrees with its filename (.bz2 or not)
-- tables: diskfile
-- rows: diskfile_id -> diskfile.id, file_id -> file.id
SELECT d.id AS diskfile_id, d.file_id, d.filename, d.compressed,
       d.filename LIKE '%.bz2' AS named_compressed
FROM diskfile d
WHERE d.filename IS NOT NULL
  AND d.compressed IS DISTINCT FROM (d.filename LIKE '%.bz2')
ORDER BY d.id;

-- The file on disk is what its name says: downloads pick the decompressor from the flag, so
-- the flag is made to follow the name. Locking the diskfile rows keeps an ingest from
-- rewriting them meanwhile; the target query re-checks each locked row.
-- fix: compressed-flag-mismatch
-- summary: set compressed from the filename (true when it ends in .bz2), as the ingest would have
-- table: diskfile
-- key: id
-- scope-type: integer
-- set: compressed
-- lock:
SELECT d.id AS scope
FROM diskfile d
WHERE d.filename IS NOT NULL
  AND d.compressed IS DISTINCT FROM (d.filename LIKE '%.bz2')
  AND {where d}
ORDER BY d.id
FOR UPDATE;
-- target:
SELECT d.id, d.filename LIKE '%.bz2' AS compressed
FROM diskfile d
WHERE d.id = ANY($1::integer[])
  AND d.filename IS NOT NULL
  AND d.compressed IS DISTINCT FROM (d.filename LIKE '%.bz2');

-- check: queue-failed-inprogress
-- severity: warning
-- description: an ingestqueue entry that failed but is still marked in progress
-- tables: ingestqueue
-- rows: id -> ingestqueue.id
SELECT q.id, q.filename, q.path, q.fail_dt, q.error
FROM ingestqueue q
WHERE q.inprogress AND q.fail_dt IS NOT NULL
ORDER BY q.id;

-- fix: queue-failed-inprogress
-- summary: clear inprogress, leaving the entry failed as the queue expects (its error stays for a person to read)
-- table: ingestqueue
-- key: id
-- scope-type: integer
-- set: inprogress
-- lock:
SELECT q.id AS scope
FROM ingestqueue q
WHERE q.inprogress AND q.fail_dt IS NOT NULL AND {where q}
ORDER BY q.id
FOR UPDATE;
-- target:
SELECT q.id, false AS inprogress
FROM ingestqueue q
WHERE q.id = ANY($1::integer[]) AND q.inprogress AND q.fail_dt IS NOT NULL;

-- check: diskfile-truncated
-- severity: error
-- description: a present FITS diskfile smaller than one FITS block (CURATE_MIN_FITS_BYTES, default 2880)
-- tables: diskfile, file
-- param: CURATE_MIN_FITS_BYTES = 2880 | the smallest data size a present FITS file can have, in bytes
-- no-fix: fetch the file again, re-ingest it, then run \check diskfile-truncated
SELECT d.id AS diskfile_id, f.name AS file_name, d.file_size, d.data_size
FROM diskfile d
JOIN file f ON f.id = d.file_id
WHERE d.present AND d.isfits
  AND COALESCE(d.data_size, d.file_size) < $1::bigint
ORDER BY d.id;
