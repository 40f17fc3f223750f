package dev.spindle.wordcount;

/** A file (or directory) that could not be counted, and why, in words a person can act on. */
public record FileFailure(String path, String error) {}
