-- Named statements of the words database; see schema.sql.

-- name: upsert_file
INSERT INTO files (path, status, words, distinct_words, error, task_id, updated_at)
VALUES (?, ?, ?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
ON CONFLICT (path) DO UPDATE SET
  status = excluded.status,
  words = excluded.words,
  distinct_words = excluded.distinct_words,
  error = excluded.error,
  task_id = excluded.task_id,
  updated_at = excluded.updated_at
RETURNING id

-- name: delete_file_words
DELETE FROM file_words WHERE file_id = ?

-- name: list_words
SELECT id, word FROM words

-- name: insert_word
INSERT INTO words (id, word) VALUES (?, ?)

-- name: insert_file_word
INSERT INTO file_words (file_id, word_id, count) VALUES (?, ?, ?)

-- name: list_files
SELECT id, path FROM files

-- name: delete_file
DELETE FROM files WHERE id = ?

-- name: clear_totals
DELETE FROM word_totals

-- name: compute_totals
INSERT INTO word_totals (word, count)
SELECT w.word, t.n
FROM (SELECT word_id, SUM(count) AS n FROM file_words GROUP BY word_id) t
JOIN words w ON w.id = t.word_id

-- name: totals
SELECT COALESCE(SUM(count), 0), COUNT(*) FROM word_totals

-- name: top_words
SELECT word, count FROM word_totals ORDER BY count DESC, word LIMIT ?

-- name: word_total
SELECT count FROM word_totals WHERE word = ?

-- name: counted_files
SELECT COUNT(*) FROM files WHERE status = 'counted'

-- name: failed_files
SELECT path, error FROM files WHERE status = 'failed' ORDER BY path

-- name: file_words_by_path
SELECT w.word, fw.count
FROM file_words fw JOIN files f ON f.id = fw.file_id JOIN words w ON w.id = fw.word_id
WHERE f.path = ?
