package io.universepush.sdk;

import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A {@link CursorStore} that survives restarts: all bindings' cursors in one small properties file, rewritten whole on
 * each change through a temporary file and a rename, so a crash leaves the old file or the new one, never half of
 * one. Uses {@link File} rather than java.nio.file for older Androids.
 *
 * <p>A write failure is logged and the cursor is kept in memory: the worst outcome is that fan-out messages already
 * handled are replayed after a restart, and the {@link DedupStore} absorbs those.
 */
public final class FileCursorStore implements CursorStore {
  private static final Logger LOG = Logger.getLogger(FileCursorStore.class.getName());

  private final File file;
  private final Map<String, String> cursors = new HashMap<String, String>();

  /**
   * Opens (or creates) the store, loading the cursors already in {@code file}.
   *
   * @throws IOException when an existing file cannot be read or the directory cannot be created
   */
  public FileCursorStore(File file) throws IOException {
    this.file = file;
    File dir = file.getAbsoluteFile().getParentFile();
    if (dir != null && !dir.isDirectory() && !dir.mkdirs()) {
      throw new IOException("cannot create " + dir);
    }
    if (file.exists()) {
      Properties properties = new Properties();
      InputStream in = new FileInputStream(file);
      try {
        properties.load(in);
      } finally {
        in.close();
      }
      for (String key : properties.stringPropertyNames()) {
        cursors.put(key, properties.getProperty(key));
      }
    }
  }

  public File file() {
    return file;
  }

  @Override
  public synchronized String cursor(String appId, String regId) {
    return cursors.get(key(appId, regId));
  }

  @Override
  public synchronized void saveCursor(String appId, String regId, String fanoutId) {
    String key = key(appId, regId);
    if (fanoutId.equals(cursors.put(key, fanoutId))) {
      return;
    }
    try {
      write();
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot persist the fan-out cursor to " + file + "; keeping it in memory", e);
    }
  }

  // Properties escapes the line break in the key on store().
  private static String key(String appId, String regId) {
    return appId + '\n' + regId;
  }

  private void write() throws IOException {
    Properties properties = new Properties();
    for (Map.Entry<String, String> cursor : cursors.entrySet()) {
      properties.setProperty(cursor.getKey(), cursor.getValue());
    }
    File tmp = new File(file.getPath() + ".tmp");
    FileOutputStream out = new FileOutputStream(tmp);
    try {
      properties.store(out, "Universe Push fan-out cursors: <app id>\\n<reg id>=<last fan-out id handled>");
      // On disk before the rename, or a power cut could leave the new name on an empty file.
      out.getFD().sync();
    } finally {
      out.close();
    }
    // renameTo replaces the target on POSIX (Android, Linux, macOS) but not on Windows.
    if (!tmp.renameTo(file) && !(file.delete() && tmp.renameTo(file))) {
      throw new IOException("cannot replace " + file);
    }
  }
}
