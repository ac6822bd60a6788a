package io.universepush.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** A scenario's figures, in order: printed as a two-column table and written as JSON. */
final class Report {
  private final String scenario;
  private final Map<String, Object> values = new LinkedHashMap<>();

  Report(String scenario) {
    this.scenario = scenario;
    values.put("scenario", scenario);
  }

  Report put(String key, Object value) {
    values.put(key, value);
    return this;
  }

  Object get(String key) {
    return values.get(key);
  }

  void print(PrintStream out) {
    int width = values.keySet().stream().mapToInt(String::length).max().orElse(10);
    out.println();
    out.println("== " + scenario);
    values.forEach(
        (key, value) -> {
          if (!key.equals("scenario")) {
            out.printf("  %-" + width + "s  %s%n", key, value);
          }
        });
  }

  void write(Path file) throws IOException {
    if (file != null) {
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), values);
    }
  }

  static String mib(long bytes) {
    return bytes < 0 ? "n/a" : String.format("%.1f MiB", bytes / 1048576.0);
  }
}
