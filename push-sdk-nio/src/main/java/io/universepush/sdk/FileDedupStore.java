package io.universepush.sdk;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.RandomAccessFile;
import java.io.Writer;
import java.nio.charset.Charset;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A {@link DedupStore} that survives restarts: the ids live in memory (bounded, least recently seen forgotten first) and
 * each new id is appended to a text file, one per line, and synced to the disk before {@link #markSeen(String)}
 * returns (so before the client acknowledges the message). When the file holds twice the capacity it is rewritten with
 * the ids still remembered, so it stays bounded too. Uses {@link File} rather than java.nio.file for older Androids.
 *
 * <p>A write failure is logged and the store carries on in memory: losing de-duplication across a restart is better
 * than losing the push.
 */
public final class FileDedupStore implements DedupStore {
  private static final Logger LOG = Logger.getLogger(FileDedupStore.class.getName());
  private static final Charset UTF_8 = Charset.forName("UTF-8");

  private final File file;
  private final MemoryDedupStore memory;
  private int linesInFile;

  public FileDedupStore(File file) throws IOException {
    this(file, MemoryDedupStore.DEFAULT_CAPACITY);
  }

  /**
   * Opens (or creates) the store, loading the ids already in {@code file}.
   *
   * @throws IOException when an existing file cannot be read or the directory cannot be written
   */
  public FileDedupStore(File file, int capacity) throws IOException {
    this.file = file;
    this.memory = new MemoryDedupStore(capacity);
    File dir = file.getAbsoluteFile().getParentFile();
    if (dir != null && !dir.isDirectory() && !dir.mkdirs()) {
      throw new IOException("cannot create " + dir);
    }
    if (file.exists()) {
      load();
      // A crash may have cut the last line short; appending after it would glue two ids together.
      if (linesInFile > capacity || !endsWithNewline()) {
        compact();
      }
    }
  }

  private void load() throws IOException {
    BufferedReader in = new BufferedReader(new InputStreamReader(new FileInputStream(file), UTF_8));
    try {
      String line;
      while ((line = in.readLine()) != null) {
        linesInFile++;
        if (!line.isEmpty()) {
          memory.markSeen(unescape(line));
        }
      }
    } finally {
      in.close();
    }
  }

  private boolean endsWithNewline() throws IOException {
    RandomAccessFile raf = new RandomAccessFile(file, "r");
    try {
      long length = raf.length();
      if (length == 0) {
        return true;
      }
      raf.seek(length - 1);
      return raf.read() == '\n';
    } finally {
      raf.close();
    }
  }

  @Override
  public synchronized boolean seen(String key) {
    return memory.seen(key);
  }

  @Override
  public synchronized void markSeen(String key) {
    if (memory.seen(key)) {
      return;
    }
    memory.markSeen(key);
    try {
      append(key);
      if (linesInFile >= 2 * memory.capacity()) {
        compact();
      }
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot persist message id to " + file + "; de-duplicating in memory only", e);
    }
  }

  /** How many ids are remembered. */
  public synchronized int size() {
    return memory.size();
  }

  public File file() {
    return file;
  }

  private void append(String msgId) throws IOException {
    FileOutputStream out = new FileOutputStream(file, true);
    try {
      out.write((escape(msgId) + "\n").getBytes(UTF_8));
      // The ack follows: a mark only in the page cache would be lost with a power cut, and the message shown twice.
      out.getFD().sync();
    } finally {
      out.close();
    }
    linesInFile++;
  }

  /** Rewrites the file with the remembered ids, through a temporary file so a crash leaves one or the other. */
  private void compact() throws IOException {
    List<String> ids = memory.idsOldestFirst();
    File tmp = new File(file.getPath() + ".tmp");
    FileOutputStream tmpOut = new FileOutputStream(tmp);
    Writer out = new BufferedWriter(new OutputStreamWriter(tmpOut, UTF_8));
    try {
      for (String id : ids) {
        out.write(escape(id));
        out.write('\n');
      }
      out.flush();
      // On disk before the rename, or a power cut could leave the new name on an empty file.
      tmpOut.getFD().sync();
    } finally {
      out.close();
    }
    // renameTo replaces the target on POSIX (Android, Linux, macOS) but not on Windows.
    if (!tmp.renameTo(file) && !(file.delete() && tmp.renameTo(file))) {
      throw new IOException("cannot replace " + file);
    }
    linesInFile = ids.size();
  }

  private static String escape(String id) {
    if (id.indexOf('\\') < 0 && id.indexOf('\n') < 0 && id.indexOf('\r') < 0) {
      return id;
    }
    StringBuilder sb = new StringBuilder(id.length() + 8);
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c == '\\') {
        sb.append("\\\\");
      } else if (c == '\n') {
        sb.append("\\n");
      } else if (c == '\r') {
        sb.append("\\r");
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private static String unescape(String line) {
    if (line.indexOf('\\') < 0) {
      return line;
    }
    StringBuilder sb = new StringBuilder(line.length());
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\\' && i + 1 < line.length()) {
        char n = line.charAt(++i);
        sb.append(n == 'n' ? '\n' : n == 'r' ? '\r' : n);
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
