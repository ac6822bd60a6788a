package io.universepush.demo;

import android.content.Context;
import android.content.SharedPreferences;

/** Where the demo keeps its device credentials: set once by the Activity, read by the Service after restarts. */
final class DemoConfig {
  private static final String PREFS = "universe-push-demo";

  final String apiUrl;
  final String host;
  final int port;
  final String appId;
  final String regId;
  final String token;

  private DemoConfig(String apiUrl, String host, int port, String appId, String regId, String token) {
    this.apiUrl = apiUrl;
    this.host = host;
    this.port = port;
    this.appId = appId;
    this.regId = regId;
    this.token = token;
  }

  static DemoConfig load(Context context) {
    SharedPreferences p = context.getSharedPreferences(PREFS, Context.MODE_PRIVATE);
    return new DemoConfig(
        p.getString("apiUrl", "http://10.0.2.2:8080"),
        p.getString("host", "10.0.2.2"),
        p.getInt("port", 6789),
        p.getString("appId", ""),
        p.getString("regId", ""),
        p.getString("token", ""));
  }

  static void save(Context context, String appId, String regId, String token) {
    context
        .getSharedPreferences(PREFS, Context.MODE_PRIVATE)
        .edit()
        .putString("appId", appId)
        .putString("regId", regId)
        .putString("token", token)
        .commit();
  }

  boolean isComplete() {
    return appId.length() > 0 && regId.length() > 0 && token.length() > 0;
  }
}
