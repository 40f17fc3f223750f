package dev.spindle.store.sqlite;

import dev.spindle.core.store.StoreException;
import dev.spindle.core.store.StoreLockedException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Exclusive use of one database file, held from open to close through {@code <db>.lock}.
 *
 * <p>The writer keeps the next task id and lease token in memory; that is only safe while no other
 * process writes the same file, so a second opener is refused instead of sharing it.
 */
final class StoreFileLock implements AutoCloseable {
  private final Path lockFile;
  private final FileChannel channel;
  private final FileLock lock;

  private StoreFileLock(Path lockFile, FileChannel channel, FileLock lock) {
    this.lockFile = lockFile;
    this.channel = channel;
    this.lock = lock;
  }

  static StoreFileLock acquire(Path dbFile) {
    Path lockFile = dbFile.resolveSibling(dbFile.getFileName() + ".lock");
    FileChannel channel;
    try {
      channel =
          FileChannel.open(
              lockFile,
              StandardOpenOption.CREATE,
              StandardOpenOption.READ,
              StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new StoreException(
          "could not create the lock file "
              + lockFile
              + " beside the SQLite store "
              + dbFile
              + "; check that the directory is writable",
          e);
    }
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    } catch (IOException e) {
      closeQuietly(channel);
      throw new StoreException("could not lock " + lockFile, e);
    }
    if (lock == null) {
      String holder = readHolder(channel);
      closeQuietly(channel);
      throw new StoreLockedException(
          "the SQLite store "
              + dbFile
              + " is already open in another Spindle process or store instance"
              + holder
              + " (it holds "
              + lockFile
              + "). An embedded store serves one process: stop the other process or close the"
              + " other store, give this one a different file, or use the PostgreSQL store to"
              + " share tasks between nodes.");
    }
    writeHolder(channel);
    return new StoreFileLock(lockFile, channel, lock);
  }

  /** The process id that wrote the lock, for the error message only; locks are advisory. */
  private static String readHolder(FileChannel channel) {
    try {
      ByteBuffer buf = ByteBuffer.allocate(64);
      int n = channel.read(buf, 0);
      String pid = n > 0 ? new String(buf.array(), 0, n, StandardCharsets.US_ASCII).strip() : "";
      return pid.isEmpty() ? "" : " (process id " + pid + ")";
    } catch (IOException e) {
      return "";
    }
  }

  private static void writeHolder(FileChannel channel) {
    try {
      channel.truncate(0);
      channel.write(
          ByteBuffer.wrap(
              (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)),
          0);
    } catch (IOException e) {
      // The pid is only a hint in the message a second opener sees; the lock itself is held.
    }
  }

  Path lockFile() {
    return lockFile;
  }

  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException e) {
      // Closing the channel below releases the lock as well.
    }
    // The file stays: deleting it would let a waiting opener lock an unlinked file while a
    // third one creates and locks a new one, and both would think they own the store.
    closeQuietly(channel);
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // Nothing left to release.
    }
  }
}
