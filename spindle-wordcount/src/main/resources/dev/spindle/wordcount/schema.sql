-- The words database written by the wordcount.merge task.
-- Re-counting a file replaces its rows, and word_totals is recomputed from file_words on every
-- merge, so counting the same files again never adds them twice.

-- One row per file ever counted (or attempted): its latest status.
CREATE TABLE IF NOT EXISTS files (
  id             INTEGER PRIMARY KEY,
  path           TEXT    NOT NULL UNIQUE,              -- absolute, normalized
  status         TEXT    NOT NULL CHECK (status IN ('counted', 'failed')),
  words          INTEGER NOT NULL,                     -- word occurrences; 0 when failed
  distinct_words INTEGER NOT NULL,                     -- 0 when failed
  error          TEXT,                                 -- why it failed; NULL when counted
  task_id        INTEGER NOT NULL,                     -- the merge task that wrote this row
  updated_at     TEXT    NOT NULL                      -- ISO-8601 UTC
);

-- Every word seen, numbered, so that the per-file rows are three integers each: a 50 MB corpus
-- has millions of (file, word) pairs, and integer keys make them fast to insert and to sum.
CREATE TABLE IF NOT EXISTS words (
  id   INTEGER PRIMARY KEY,
  word TEXT    NOT NULL UNIQUE                         -- lower-cased with Locale.ROOT
);

-- Occurrences of each word in each counted file.
CREATE TABLE IF NOT EXISTS file_words (
  file_id INTEGER NOT NULL REFERENCES files (id),
  word_id INTEGER NOT NULL REFERENCES words (id),
  count   INTEGER NOT NULL CHECK (count > 0),
  PRIMARY KEY (file_id, word_id)
) WITHOUT ROWID;

-- Occurrences of each word over all counted files: the sum of file_words.
CREATE TABLE IF NOT EXISTS word_totals (
  word  TEXT    NOT NULL PRIMARY KEY,
  count INTEGER NOT NULL
) WITHOUT ROWID;

CREATE INDEX IF NOT EXISTS word_totals_by_count ON word_totals (count DESC, word);

-- Per-file counts by path, for people querying the file with the sqlite3 shell.
CREATE VIEW IF NOT EXISTS file_word_counts AS
  SELECT f.path AS path, w.word AS word, fw.count AS count
  FROM file_words fw JOIN files f ON f.id = fw.file_id JOIN words w ON w.id = fw.word_id;
