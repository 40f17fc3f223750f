package dev.spindle.wordcount;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** A word and how often it occurs; written in JSON as a pair {@code ["word", 42]}. */
@JsonFormat(shape = JsonFormat.Shape.ARRAY)
@JsonPropertyOrder({"word", "count"})
public record WordFrequency(String word, long count) {}
