package io.universepush.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A JVM's memory from outside: RSS from /proc, live heap after a full GC through jcmd. */
final class ProcessProbe {
  private static final Pattern RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");
  // G1: " garbage-first heap   total 524288K, used 123456K [..."
  private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total (\\d+)K, used (\\d+)K");

  private ProcessProbe() {}

  static long rssBytes(long pid) throws IOException {
    Matcher m = RSS.matcher(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
    return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
  }

  /** Runs a full GC in the process and returns the heap in use afterwards; -1 when jcmd cannot tell. */
  static long heapAfterGcBytes(long pid) throws IOException, InterruptedException {
    jcmd(pid, "GC.run");
    Matcher m = HEAP_USED.matcher(jcmd(pid, "GC.heap_info"));
    return m.find() ? Long.parseLong(m.group(2)) * 1024 : -1;
  }

  private static String jcmd(long pid, String command) throws IOException, InterruptedException {
    Path javaHome = Path.of(System.getProperty("java.home"));
    Path jcmd = javaHome.resolve("bin/jcmd");
    Process process =
        new ProcessBuilder(Files.isExecutable(jcmd) ? jcmd.toString() : "jcmd", Long.toString(pid), command)
            .redirectErrorStream(true)
            .start();
    byte[] out = process.getInputStream().readAllBytes();
    process.waitFor(60, TimeUnit.SECONDS);
    return new String(out, StandardCharsets.UTF_8);
  }
}
