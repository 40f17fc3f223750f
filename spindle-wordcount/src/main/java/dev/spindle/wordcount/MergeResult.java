package dev.spindle.wordcount;

import java.util.List;

/**
 * The result of a {@code wordcount.merge} task. {@code files} and {@code failed} describe this run;
 * the totals and top words are those of the whole words database after the merge.
 *
 * @param files files this run covered, counted or failed
 * @param failed files of this run that could not be counted
 * @param top the most frequent words, most frequent first, ties by word
 */
public record MergeResult(
    int files,
    List<FileFailure> failed,
    long totalWords,
    long distinctWords,
    List<WordFrequency> top) {}
