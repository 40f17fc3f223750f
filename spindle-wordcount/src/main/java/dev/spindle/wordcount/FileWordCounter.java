package dev.spindle.wordcount;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ExecutionException;

/**
 * Counts the words of one UTF-8 file, streaming it in chunks so that a file of any size needs only
 * a chunk of memory (plus its distinct words).
 *
 * <p>Reads go through an {@link AsynchronousFileChannel}: the read runs on the channel's own thread
 * pool while the calling virtual thread parks in {@code Future.get}, so waiting on the disk does
 * not pin the virtual thread's carrier, which stays free to run other tasks. Input is decoded with
 * {@link CodingErrorAction#REPORT}: a file that is not valid UTF-8 fails with the byte offset of
 * the first bad sequence instead of being counted with replacement characters that would split
 * words.
 */
final class FileWordCounter {
  static final int DEFAULT_CHUNK_BYTES = 64 * 1024;

  private final int chunkBytes;

  FileWordCounter(int chunkBytes) {
    if (chunkBytes < 4) {
      throw new IllegalArgumentException(
          "chunkBytes must hold a UTF-8 sequence, was " + chunkBytes);
    }
    this.chunkBytes = chunkBytes;
  }

  /**
   * @param checkpoint runs between chunks; it may throw to stop early (a cancelled task)
   * @throws MalformedUtf8Exception if the file is not valid UTF-8
   */
  FileCount count(Path file, Runnable checkpoint) throws IOException, InterruptedException {
    WordScanner scanner = new WordScanner();
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer bytes = ByteBuffer.allocate(chunkBytes);
    // Room for a chunk (UTF-8 never decodes to more chars than it has bytes) and a carried word.
    CharBuffer chars = CharBuffer.allocate(chunkBytes * 2);
    long readTo = 0; // file offset of the next byte to read
    long bufferStart = 0; // file offset of bytes[0]
    try (AsynchronousFileChannel channel =
        AsynchronousFileChannel.open(file, StandardOpenOption.READ)) {
      boolean eof = false;
      while (!eof) {
        checkpoint.run();
        int n = read(channel, bytes, readTo);
        if (n < 0) {
          eof = true;
        } else {
          readTo += n;
        }
        bytes.flip();
        chars = decode(decoder, bytes, chars, scanner, eof, bufferStart);
        if (eof) {
          while (decoder.flush(chars).isOverflow()) {
            chars = scanner.scan(chars, false);
          }
        }
        chars = scanner.scan(chars, eof);
        bufferStart += bytes.position();
        bytes.compact();
      }
    }
    return new FileCount(file.toString(), scanner.words(), scanner.counts());
  }

  private static CharBuffer decode(
      CharsetDecoder decoder,
      ByteBuffer bytes,
      CharBuffer chars,
      WordScanner scanner,
      boolean eof,
      long bufferStart)
      throws MalformedUtf8Exception {
    while (true) {
      CoderResult r = decoder.decode(bytes, chars, eof);
      if (r.isError()) {
        throw new MalformedUtf8Exception(bufferStart + bytes.position());
      }
      if (!r.isOverflow()) {
        return chars; // underflow: at most an incomplete sequence is left, kept for the next read
      }
      chars = scanner.scan(chars, false);
    }
  }

  private static int read(AsynchronousFileChannel channel, ByteBuffer into, long position)
      throws IOException, InterruptedException {
    try {
      return channel.read(into, position).get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException("read failed: " + e.getCause(), e.getCause());
    }
  }

  /** The file is not valid UTF-8. */
  static final class MalformedUtf8Exception extends IOException {
    MalformedUtf8Exception(long offset) {
      super("not valid UTF-8 at byte offset " + offset);
    }
  }
}
