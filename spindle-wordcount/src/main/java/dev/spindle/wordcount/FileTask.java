package dev.spindle.wordcount;

/** The payload of a {@code wordcount.file} task: the absolute path of one file. */
record FileTask(String path) {}
