-- fitsstorage-schema.sql — the sample FITS archive schema curate is demonstrated
-- and tested on: the core tables of a Gemini-style FitsStorage archive.
--
--   psql -X -v ON_ERROR_STOP=1 -d DB -f Sample/fitsstorage-schema.sql
--   psql -X -v ON_ERROR_STOP=1 -v size=1000 -d DB -f Sample/fitsstorage-seed.sql
--
-- A file is a logical archive file (one name). Each time a file is (re)ingested
-- a diskfile row records that version on disk; exactly one diskfile per file is
-- meant to be canonical (the current version) and present (on disk). Nothing in
-- the schema enforces that: there is deliberately NO unique index on canonical
-- rows, which is how concurrent ingests leave two canonical diskfiles for one
-- file — the problem curate exists to find and fix.

CREATE TABLE file (
    id   serial PRIMARY KEY,
    name text NOT NULL UNIQUE
);

CREATE TABLE diskfile (
    id          serial PRIMARY KEY,
    file_id     integer NOT NULL REFERENCES file,
    filename    text,
    path        text,
    present     boolean,
    canonical   boolean,
    file_md5    text,
    file_size   bigint,
    lastmod     timestamptz,
    entrytime   timestamptz,
    compressed  boolean,
    data_md5    text,
    data_size   bigint,
    isfits      boolean,
    fvwarnings  integer,
    fverrors    integer,
    mdready     boolean
);

CREATE INDEX diskfile_file_id_idx   ON diskfile (file_id);
CREATE INDEX diskfile_filename_idx  ON diskfile (filename);
CREATE INDEX diskfile_present_idx   ON diskfile (present);
CREATE INDEX diskfile_canonical_idx ON diskfile (canonical);
CREATE INDEX diskfile_lastmod_idx   ON diskfile (lastmod);
CREATE INDEX diskfile_entrytime_idx ON diskfile (entrytime);

CREATE TABLE header (
    id             serial PRIMARY KEY,
    diskfile_id    integer NOT NULL REFERENCES diskfile,
    program_id     text,
    observation_id text,
    data_label     text,
    telescope      text,
    instrument     text,
    ut_datetime    timestamp,
    object         text,
    ra             numeric,
    dec            numeric,
    exposure_time  numeric
);

CREATE INDEX header_diskfile_id_idx ON header (diskfile_id);

CREATE TABLE ingestqueue (
    id         serial PRIMARY KEY,
    filename   text NOT NULL,
    path       text NOT NULL,
    inprogress boolean,
    fail_dt    timestamp,
    added      timestamp,
    force      boolean,
    after      timestamp,
    batch      text,
    sortkey    text,
    error      text
);
