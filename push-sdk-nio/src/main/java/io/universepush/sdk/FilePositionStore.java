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
 * A {@link PositionStore} that survives restarts: all bindings' positions in one small properties file, rewritten
 * whole on each change through a temporary file, an fsync and a rename, so a crash leaves the old file or the new one,
 * never half of one. Uses {@link File} rather than java.nio.file for older Androids.
 *
 * <p>One line per binding and channel: {@code <app id>\n<reg id>=<offset> <epoch>} for the app's channel (the format
 * of SDKs before groups, which still reads), {@code <app id>\n<reg id>\n<group id>=<offset> <epoch>} for a group. An
 * older SDK reading a newer file ignores the group lines, as keys it never asks for.
 *
 * <p>A value it cannot read (the fan-out cursors of older SDK versions, {@code <millis>-<seq>}) counts as no
 * position: the connector then starts the binding from its registration time, as for a new device.
 *
 * <p>A write failure is logged and the position is kept in memory: the worst outcome is that fan-out messages already
 * handled are sent again after a restart, and the {@link DedupStore} absorbs those.
 */
public final class FilePositionStore implements PositionStore {
  private static final Logger LOG = Logger.getLogger(FilePositionStore.class.getName());

  private final File file;
  private final Map<String, FanoutPosition> positions = new HashMap<String, FanoutPosition>();

  /**
   * Opens (or creates) the store, loading the positions already in {@code file}.
   *
   * @throws IOException when an existing file cannot be read or the directory cannot be created
   */
  public FilePositionStore(File file) throws IOException {
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
        FanoutPosition position = parse(properties.getProperty(key));
        if (position != null) {
          positions.put(key, position);
        }
      }
    }
  }

  public File file() {
    return file;
  }

  @Override
  public FanoutPosition position(String appId, String regId) {
    return position(appId, regId, APP_CHANNEL);
  }

  @Override
  public void savePosition(String appId, String regId, FanoutPosition position) {
    savePosition(appId, regId, APP_CHANNEL, position);
  }

  @Override
  public synchronized FanoutPosition position(String appId, String regId, String channel) {
    return positions.get(key(appId, regId, channel));
  }

  @Override
  public synchronized void savePosition(String appId, String regId, String channel, FanoutPosition position) {
    if (position == null) {
      throw new IllegalArgumentException("position is null");
    }
    if (position.equals(positions.put(key(appId, regId, channel), position))) {
      return;
    }
    persist();
  }

  @Override
  public synchronized void forgetGroup(String appId, String regId, String groupId) {
    if (!APP_CHANNEL.equals(groupId) && positions.remove(key(appId, regId, groupId)) != null) {
      persist();
    }
  }

  @Override
  public synchronized Map<String, FanoutPosition> groupPositions(String appId, String regId) {
    String prefix = key(appId, regId, APP_CHANNEL) + '\n';
    Map<String, FanoutPosition> groups = new HashMap<String, FanoutPosition>();
    for (Map.Entry<String, FanoutPosition> position : positions.entrySet()) {
      if (position.getKey().startsWith(prefix) && position.getKey().length() > prefix.length()) {
        groups.put(position.getKey().substring(prefix.length()), position.getValue());
      }
    }
    return groups;
  }

  private void persist() {
    try {
      write();
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot persist fan-out positions to " + file + "; keeping them in memory", e);
    }
  }

  // Properties escapes the line breaks in the key on store().
  private static String key(String appId, String regId, String channel) {
    return APP_CHANNEL.equals(channel) ? appId + '\n' + regId : appId + '\n' + regId + '\n' + channel;
  }

  private static String format(FanoutPosition position) {
    return position.offset() + " " + position.epoch();
  }

  /** {@code <offset> <epoch>}; null for anything else. */
  static FanoutPosition parse(String value) {
    int space = value.indexOf(' ');
    if (space <= 0 || space > 19) {
      return null;
    }
    for (int i = 0; i < space; i++) {
      if (value.charAt(i) < '0' || value.charAt(i) > '9') {
        return null;
      }
    }
    try {
      return new FanoutPosition(Long.parseLong(value.substring(0, space)), value.substring(space + 1));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private void write() throws IOException {
    Properties properties = new Properties();
    for (Map.Entry<String, FanoutPosition> position : positions.entrySet()) {
      properties.setProperty(position.getKey(), format(position.getValue()));
    }
    File tmp = new File(file.getPath() + ".tmp");
    FileOutputStream out = new FileOutputStream(tmp);
    try {
      properties.store(out, "Universe Push fan-out positions: <app id>\\n<reg id>[\\n<group id>]=<offset> <epoch>");
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
