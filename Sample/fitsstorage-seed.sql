-- fitsstorage-seed.sql — fills the sample FITS archive (fitsstorage-schema.sql)
-- with deterministic, realistic-looking data plus a known number of the
-- problems curate's checks look for.
--
--   psql -X -v ON_ERROR_STOP=1 -v size=N -d DB -f Sample/fitsstorage-seed.sql
--
-- size (psql variable, default 1000) is the number of files. Run it once, on
-- the empty tables the schema file makes (it refuses to run on a filled file
-- table). The same size always gives the same rows, byte for byte: there is no
-- randomness, every value is arithmetic on the file number i (1..size) and md5.
-- All rows are ordered in time: higher ids are newer. The archive's "now" is
-- 2024-06-30 12:00:00 UTC; the last night observed is 2024-06-29, 800 files a
-- night (400 per site).
--
-- PROBLEM COUNTS. Let N = size and, for a residue r (1..99),
--     c(r) = floor((N + 100 - r) / 100)      -- how many i in 1..N have i % 100 = r
-- (so c(r) = N/100 exactly when N is a multiple of 100: 1% of files each),
-- and O = floor(N / 5).
--
--   file i with i % 100 = 7   duplicate canonical: TWO diskfile rows, both
--                             canonical AND present, same filename/path/md5,
--                             entrytime 2 s apart (the ingest race)
--                               -> c(7) files, 2*c(7) rows
--   file i with i % 100 = 14  a stale older version still flagged present:
--                             one present+NOT canonical row (v1) beside its
--                             canonical+present row (v2)
--                               -> c(14) present-but-not-canonical rows
--   file i with i % 100 = 23  no canonical diskfile: its only diskfile row is
--                             present=false, canonical=false
--                               -> c(23) files
--   file i with i % 100 = 32  no diskfile at all  -> c(32) files
--   file i with i % 100 = 41  its canonical diskfile has TWO identical header
--                             rows (same data_label)
--                               -> c(41) diskfiles with 2 headers,
--                                  c(41) surplus header rows
--   file i with i % 100 = 61  ingestqueue row stuck in progress: inprogress,
--                             added 3 days before "now"  -> c(61) rows
--   file i with i % 100 = 66  TWO ingestqueue rows for the same filename+path,
--                             both in progress, added ~4 minutes before "now"
--                               -> c(66) pairs, 2*c(66) rows
--   (files with i % 5 = 0 have one older version, present=false and
--    canonical=false, plus their canonical one: O files; that is normal.)
--
-- Normal queue rows: i % 100 in (53, 58) pending (not in progress, added
-- within the last hour), i % 100 = 71 failed (fail_dt and error set, not in
-- progress), i % 100 = 74 in progress for 30 s (healthy). So "in progress and
-- added more than an hour before 2024-06-30 12:00" finds exactly the c(61)
-- stuck rows; a check that compares with now() also counts the 2*c(66) + c(74)
-- recent in-progress rows, since the sample's "now" lies in the past.
-- Residues of the problems are never multiples of 5, so no file has two
-- problems and no problem file has an older version.
--
-- TOTALS
--   file        N
--   diskfile    N - c(32) + c(7) + c(14) + O
--     canonical rows               N - c(32) - c(23) + c(7)
--     present rows                 N - c(32) - c(23) + c(7) + c(14)
--     canonical AND present rows   N - c(32) - c(23) + c(7)
--   header      one per diskfile + c(41)
--   ingestqueue c(53) + c(58) + c(61) + 2*c(66) + c(71) + c(74)
--
--   size       file  diskfile  header  ingestqueue  c(r)     O
--   200         200       242     244           14     2    40
--   1000       1000      1210    1220           70    10   200
--   1000000 1000000   1210000 1220000        70000 10000 200000
-- (verified by running this file at those sizes; queries that count them:
--  duplicate canonical files:
--    SELECT count(*) FROM (SELECT file_id FROM diskfile WHERE canonical AND present
--                          GROUP BY file_id HAVING count(*) > 1) d;          -- c(7)
--  present but not canonical:
--    SELECT count(*) FROM diskfile WHERE present AND NOT canonical;          -- c(14)
--  files with no canonical diskfile (but some diskfile):
--    SELECT count(*) FROM file f WHERE EXISTS (SELECT FROM diskfile d WHERE d.file_id = f.id)
--      AND NOT EXISTS (SELECT FROM diskfile d WHERE d.file_id = f.id AND d.canonical); -- c(23)
--  files with no diskfile:
--    SELECT count(*) FROM file f WHERE NOT EXISTS (SELECT FROM diskfile d WHERE d.file_id = f.id); -- c(32)
--  header duplicates:
--    SELECT count(*) FROM (SELECT diskfile_id FROM header GROUP BY diskfile_id
--                          HAVING count(*) > 1) h;                              -- c(41)
--  stuck queue rows:
--    SELECT count(*) FROM ingestqueue WHERE inprogress
--      AND added < timestamp '2024-06-30 12:00' - interval '1 hour';         -- c(61)
--  duplicate in-progress queue entries:
--    SELECT count(*) FROM (SELECT filename, path FROM ingestqueue WHERE inprogress
--                          GROUP BY 1, 2 HAVING count(*) > 1) q;              -- c(66)
-- )

\set ON_ERROR_STOP on
\if :{?size}
\else
    \set size 1000
\endif

SET client_min_messages = warning;
BEGIN;
SET LOCAL work_mem = '256MB';              -- sorts for row numbering stay in memory
SET LOCAL maintenance_work_mem = '512MB';  -- index builds after the load

-- Refuse to seed twice: the generator numbers rows itself.
DO $$
BEGIN
    IF EXISTS (SELECT FROM file) OR EXISTS (SELECT FROM diskfile)
       OR EXISTS (SELECT FROM header) OR EXISTS (SELECT FROM ingestqueue) THEN
        RAISE EXCEPTION 'fitsstorage-seed.sql expects empty tables (load fitsstorage-schema.sql into a new database)';
    END IF;
END
$$;

-- One row per file with everything derived from i.
CREATE TEMP TABLE seed_file ON COMMIT DROP AS
WITH base AS (
    SELECT i,
           i % 100 AS r,
           -- a well-mixed 32-bit number per file (Knuth's multiplicative hash)
           (i::bigint * 2654435761) % 4294967296 AS h,
           -- night number (0 = first night) and position in the night
           (i - 1) / 800 AS night,
           (i - 1) % 800 AS k,
           date '2024-06-29' - ((:size::integer - 1) / 800) + (i - 1) / 800 AS obsdate
    FROM generate_series(1, :size::integer) AS i
), site AS (
    SELECT b.*,
           k % 2 AS south,                 -- 0 = Gemini-North, 1 = Gemini-South
           k / 2 + 1 AS seq,               -- frame number in the night, 1..400
           (k / 2) / 20 AS block,          -- 20 frames per observation
           (k / 2) % 20 AS frame
    FROM base b
), obs AS (
    SELECT s.*,
           -- one number per (night, site, observation): programs and
           -- observation numbers derived from it are unique within a semester
           (night * 2 + south) * 20 + block AS bid,
           extract(year FROM obsdate)::integer
             - CASE WHEN extract(month FROM obsdate) = 1 THEN 1 ELSE 0 END AS semyear,
           CASE WHEN extract(month FROM obsdate) BETWEEN 2 AND 7 THEN 'A' ELSE 'B' END AS semletter
    FROM site s
), named AS (
    SELECT o.*,
           (CASE WHEN south = 0 THEN 'N' ELSE 'S' END) || to_char(obsdate, 'YYYYMMDD')
               || 'S' || lpad(seq::text, 4, '0') || '.fits' AS name,
           CASE WHEN south = 0 THEN 'dataflow/GN/' ELSE 'dataflow/GS/' END
               || to_char(obsdate, 'YYYYMMDD') AS path,
           i % 3 = 0 AS compressed,
           CASE WHEN south = 0 THEN 'Gemini-North' ELSE 'Gemini-South' END AS telescope,
           CASE WHEN south = 0
                THEN (ARRAY['GMOS-N', 'GMOS-N', 'GMOS-N', 'GNIRS', 'GNIRS', 'NIRI',
                            'NIFS', 'GRACES', 'Alopeke', 'MAROON-X'])[1 + bid % 10]
                ELSE (ARRAY['GMOS-S', 'GMOS-S', 'GMOS-S', 'F2', 'F2', 'GSAOI',
                            'GHOST', 'GHOST', 'Zorro', 'IGRINS'])[1 + bid % 10]
           END AS instrument,
           1 + bid % 150 AS pnum,
           1 + (bid / 150) % 100 AS obsnum,
           obsdate + interval '5 hours' + seq * interval '90 seconds' AS ut_datetime
    FROM obs o
)
SELECT n.i, n.r, n.h, n.name, n.path, n.compressed,
       CASE WHEN n.compressed THEN n.name || '.bz2' ELSE n.name END AS filename,
       n.telescope, n.instrument, n.ut_datetime,
       'G' || CASE WHEN n.south = 0 THEN 'N' ELSE 'S' END || '-' || n.semyear || n.semletter || '-'
           || (ARRAY['Q', 'Q', 'Q', 'Q', 'C', 'DD', 'FT', 'LP'])[1 + n.pnum % 8] || '-' || n.pnum
           AS program_id,
       n.obsnum, n.frame, n.block, n.bid,
       -- calibrations open every night's first observation block
       CASE WHEN n.block = 0
            THEN (ARRAY['Bias', 'Twilight', 'GCALflat', 'Dark', 'Arc'])[1 + n.frame % 5]
            ELSE (ARRAY['NGC ', 'M ', 'HD ', 'IC ', 'SN2024', 'WISEA J', 'Abell ', 'HIP '])[1 + n.bid % 8]
                 || (1 + (n.bid * 7919) % 7840)::text
       END AS object,
       CASE WHEN n.block = 0 AND n.frame % 5 IN (0, 3) THEN NULL
            ELSE round(((n.bid * 137.50776405) % 360)::numeric, 6) END AS ra,
       CASE WHEN n.block = 0 AND n.frame % 5 IN (0, 3) THEN NULL
            WHEN n.south = 0 THEN round((-30 + ((n.bid * 7907) % 110000) / 1000.0)::numeric, 6)
            ELSE round((-85 + ((n.bid * 7907) % 110000) / 1000.0)::numeric, 6) END AS dec,
       CASE WHEN n.block = 0
            THEN (ARRAY[0, 5, 1, 600, 30])[1 + n.frame % 5]
            ELSE (ARRAY[30, 60, 120, 300, 600, 900, 1200])[1 + n.bid % 7] END::numeric AS exposure_time,
       2880 * (1200 + n.h % 20000) AS data_size,
       35 + n.h % 30 AS compress_pct,
       1 + n.h % 12 AS reprocess_hours,
       20 + n.h % 40 AS ingest_seconds,
       CASE WHEN n.h % 17 = 0 THEN 1 + n.h % 3 ELSE 0 END AS fvwarnings
FROM named n;
ANALYZE seed_file;  -- the joins below need real row counts, not a guess

-- Loading is several times faster into bare tables: put the secondary indexes
-- and foreign keys of diskfile and header aside, and make them again after the
-- load (the same definitions, read back from the catalog).
CREATE TEMP TABLE seed_ddl ON COMMIT DROP AS
SELECT 1 AS step,
       format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname) AS drop_ddl,
       format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname,
              pg_get_constraintdef(c.oid)) AS create_ddl
FROM pg_constraint c
WHERE c.contype = 'f' AND c.conrelid IN ('diskfile'::regclass, 'header'::regclass)
UNION ALL
SELECT 0,
       format('DROP INDEX %s', i.indexrelid::regclass),
       pg_get_indexdef(i.indexrelid)
FROM pg_index i
WHERE i.indrelid IN ('diskfile'::regclass, 'header'::regclass)
  AND NOT i.indisprimary AND NOT i.indisunique
  AND NOT EXISTS (SELECT FROM pg_constraint c WHERE c.conindid = i.indexrelid);

DO $$
DECLARE d record;
BEGIN
    FOR d IN SELECT drop_ddl FROM seed_ddl ORDER BY step DESC, drop_ddl LOOP
        EXECUTE d.drop_ddl;
    END LOOP;
END
$$;

INSERT INTO file (id, name)
SELECT i, name FROM seed_file ORDER BY i;

-- The diskfile rows of each file (v = version, 1 = first ingest).
--   normal file            v1 canonical+present
--   i % 5 = 0              v1 old (not present, not canonical), v2 canonical+present
--   i % 100 = 7            v1 canonical+present, twice (the ingest race)
--   i % 100 = 14           v1 present but NOT canonical (stale), v2 canonical+present
--   i % 100 = 23           v1 neither present nor canonical, nothing else
--   i % 100 = 32           nothing
INSERT INTO diskfile (id, file_id, filename, path, present, canonical, file_md5, file_size,
                      lastmod, entrytime, compressed, data_md5, data_size, isfits,
                      fvwarnings, fverrors, mdready)
SELECT row_number() OVER (ORDER BY v.lastmod + s.ingest_seconds * interval '1 second'
                                   + v.copy * interval '2 seconds', s.i, v.v, v.copy),
       s.i, s.filename, s.path, v.present, v.canonical,
       CASE WHEN s.compressed THEN md5('file/' || s.filename || '/v' || v.v)
            ELSE md5('data/' || s.name || '/v' || v.v) END,
       CASE WHEN s.compressed THEN (s.data_size + 2880 * (v.v - 1)) * s.compress_pct / 100
            ELSE s.data_size + 2880 * (v.v - 1) END,
       v.lastmod,
       v.lastmod + s.ingest_seconds * interval '1 second' + v.copy * interval '2 seconds',
       s.compressed,
       md5('data/' || s.name || '/v' || v.v),
       s.data_size + 2880 * (v.v - 1),
       true, s.fvwarnings, 0, true
FROM seed_file s
CROSS JOIN LATERAL (
    SELECT (s.ut_datetime + interval '5 minutes') AT TIME ZONE 'UTC' AS first_lastmod,
           (s.ut_datetime + interval '5 minutes' + s.reprocess_hours * interval '1 hour')
               AT TIME ZONE 'UTC' AS second_lastmod
) t
CROSS JOIN LATERAL (
    VALUES -- (v, copy, present, canonical, lastmod, wanted)
        (1, 0, true,  true,  t.first_lastmod,  s.r NOT IN (14, 23, 32) AND s.i % 5 <> 0),
        (1, 1, true,  true,  t.first_lastmod,  s.r = 7),
        (1, 0, false, false, t.first_lastmod,  s.i % 5 = 0 OR s.r = 23),
        (1, 0, true,  false, t.first_lastmod,  s.r = 14),
        (2, 0, true,  true,  t.second_lastmod, s.i % 5 = 0 OR s.r = 14)
) AS v(v, copy, present, canonical, lastmod, wanted)
WHERE v.wanted
ORDER BY 1;

ANALYZE diskfile;

-- One header per diskfile; the canonical diskfile of files with i % 100 = 41 gets two.
INSERT INTO header (id, diskfile_id, program_id, observation_id, data_label, telescope,
                    instrument, ut_datetime, object, ra, dec, exposure_time)
SELECT row_number() OVER (ORDER BY d.id, c.copy),
       d.id, s.program_id,
       s.program_id || '-' || s.obsnum,
       s.program_id || '-' || s.obsnum || '-' || lpad((s.frame + 1)::text, 3, '0'),
       s.telescope, s.instrument, s.ut_datetime, s.object, s.ra, s.dec, s.exposure_time
FROM diskfile d
JOIN seed_file s ON s.i = d.file_id
CROSS JOIN LATERAL generate_series(0, CASE WHEN s.r = 41 AND d.canonical THEN 1 ELSE 0 END) AS c(copy)
ORDER BY 1;

-- The ingest queue. "now" is 2024-06-30 12:00:00.
INSERT INTO ingestqueue (id, filename, path, inprogress, fail_dt, added, force, after,
                         batch, sortkey, error)
SELECT row_number() OVER (ORDER BY q.added, s.i, q.copy),
       s.filename, s.path, q.inprogress, q.fail_dt, q.added, false, q.added,
       'dataflow', 'z' || s.filename, q.error
FROM (SELECT * FROM seed_file WHERE r IN (53, 58, 61, 66, 71, 74)) s
CROSS JOIN LATERAL (
    VALUES -- (copy, inprogress, added, fail_dt, error, wanted)
        -- pending
        (0, false, timestamp '2024-06-30 12:00' - (1 + (s.i / 100) % 50) * interval '1 minute',
         NULL::timestamp, NULL::text, s.r IN (53, 58)),
        -- stuck in progress since 3 days
        (0, true, timestamp '2024-06-27 12:00' - ((s.i / 100) % 50) * interval '1 minute',
         NULL, NULL, s.r = 61),
        -- two workers ingesting the same file right now
        (0, true, timestamp '2024-06-30 11:56' - ((s.i / 100) % 50) * interval '1 second',
         NULL, NULL, s.r = 66),
        (1, true, timestamp '2024-06-30 11:56' - ((s.i / 100) % 50) * interval '1 second' + interval '1 second',
         NULL, NULL, s.r = 66),
        -- failed
        (0, false, timestamp '2024-06-30 05:00' - ((s.i / 100) % 50) * interval '1 minute',
         timestamp '2024-06-30 05:01' - ((s.i / 100) % 50) * interval '1 minute',
         'Error ingesting ' || s.filename || ': fitsverify reported 1 error: missing END card', s.r = 71),
        -- healthy, in progress for 30 seconds
        (0, true, timestamp '2024-06-30 11:59:30', NULL, NULL, s.r = 74)
) AS q(copy, inprogress, added, fail_dt, error, wanted)
WHERE q.wanted
ORDER BY 1;

-- The indexes first, then the foreign keys (each validated by one join).
DO $$
DECLARE d record;
BEGIN
    FOR d IN SELECT create_ddl FROM seed_ddl ORDER BY step, create_ddl LOOP
        EXECUTE d.create_ddl;
    END LOOP;
END
$$;

SELECT setval(pg_get_serial_sequence('file', 'id'), coalesce(max(id), 1), max(id) IS NOT NULL) FROM file \g /dev/null
SELECT setval(pg_get_serial_sequence('diskfile', 'id'), coalesce(max(id), 1), max(id) IS NOT NULL) FROM diskfile \g /dev/null
SELECT setval(pg_get_serial_sequence('header', 'id'), coalesce(max(id), 1), max(id) IS NOT NULL) FROM header \g /dev/null
SELECT setval(pg_get_serial_sequence('ingestqueue', 'id'), coalesce(max(id), 1), max(id) IS NOT NULL) FROM ingestqueue \g /dev/null

COMMIT;

ANALYZE file;
ANALYZE diskfile;
ANALYZE header;
ANALYZE ingestqueue;
