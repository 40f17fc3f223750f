package dev.spindle.wordcount;

import java.util.Map;

/**
 * The result of a {@code wordcount.file} task.
 *
 * @param words every word occurrence in the file
 * @param counts occurrences per lower-cased word
 */
public record FileCount(String path, long words, Map<String, Long> counts) {}
