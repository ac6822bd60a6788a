package io.universepush.demo;

import android.app.AlarmManager;
import android.app.PendingIntent;
import android.app.Service;
import android.content.BroadcastReceiver;
import android.content.Context;
import android.content.Intent;
import android.content.IntentFilter;
import android.net.ConnectivityManager;
import android.net.NetworkInfo;
import android.os.IBinder;
import android.os.SystemClock;
import android.util.Log;
import io.universepush.sdk.ConnectionState;
import io.universepush.sdk.DeviceRegistrar;
import io.universepush.sdk.DeviceRegistration;
import io.universepush.sdk.FileDedupStore;
import io.universepush.sdk.FilePositionStore;
import io.universepush.sdk.PushClient;
import io.universepush.sdk.PushListener;
import io.universepush.sdk.PushMessage;
import java.io.File;
import java.io.IOException;

/**
 * Keeps one push connection for the app. Knowing only the app id (never the app secret: anyone can unpack an APK), it
 * registers the device once with the app id alone and keeps the reg id and token it gets. Reconnects when the network comes back, and wakes itself with an inexact
 * alarm so the heartbeat survives the CPU sleeping (a plain timer stops while the phone dozes).
 */
public class PushService extends Service {
  static final String ACTION_MESSAGE = "io.universepush.demo.MESSAGE";
  static final String EXTRA_TEXT = "text";
  private static final String ACTION_KEEPALIVE = "io.universepush.demo.KEEPALIVE";
  private static final String TAG = "UniversePush";
  private static final long KEEPALIVE_MS = 4 * 60 * 1000L;

  private PushClient client;
  private Thread registering;
  private final BroadcastReceiver networkReceiver =
      new BroadcastReceiver() {
        @Override
        public void onReceive(Context context, Intent intent) {
          if (isOnline()) {
            restartClient();
          }
        }
      };

  @Override
  public void onCreate() {
    super.onCreate();
    registerReceiver(networkReceiver, new IntentFilter(ConnectivityManager.CONNECTIVITY_ACTION));
    scheduleKeepalive();
  }

  @Override
  public int onStartCommand(Intent intent, int flags, int startId) {
    if (client == null || (intent != null && ACTION_KEEPALIVE.equals(intent.getAction()) && !isOnlineClient())) {
      restartClient();
    }
    return START_STICKY;
  }

  @Override
  public void onDestroy() {
    unregisterReceiver(networkReceiver);
    stopClient();
    super.onDestroy();
  }

  @Override
  public IBinder onBind(Intent intent) {
    return null;
  }

  private synchronized void restartClient() {
    stopClient();
    final DemoConfig config = DemoConfig.load(this);
    if (!config.isComplete()) {
      if (config.appId.length() == 0) {
        Log.w(TAG, "no app id yet: start the activity with the appId extra");
      } else if (registering == null) {
        registering = new Thread(new Runnable() {
          @Override
          public void run() {
            register(config);
          }
        }, "push-register");
        registering.start();
      }
      return;
    }
    PushClient.Builder builder =
        PushClient.builder()
            .apiUrl(config.apiUrl)
            .endpoint(config.host, config.port)
            .credentials(config.appId, config.regId, config.token)
            .listener(new BroadcastingListener());
    try {
      // On files, so a restarted process neither shows a push twice nor misses the broadcasts sent meanwhile.
      builder
          .dedupStore(new FileDedupStore(new File(getFilesDir(), "push-dedup")))
          .positionStore(new FilePositionStore(new File(getFilesDir(), "push-positions")));
    } catch (IOException e) {
      Log.w(TAG, "push state kept in memory only", e);
    }
    client = builder.build();
    client.connect();
  }

  /** Off the main thread: Android forbids network calls there. */
  private void register(DemoConfig config) {
    boolean registered = false;
    try {
      DeviceRegistration registration =
          DeviceRegistrar.registerWithAppId(config.apiUrl, config.appId, "android", null, null);
      DemoConfig.save(this, config.appId, registration.regId(), registration.token());
      registered = true;
    } catch (IOException e) {
      Log.w(TAG, "registration failed; retried on the next network change or keepalive", e);
    } finally {
      synchronized (this) {
        registering = null;
      }
    }
    if (registered) {
      restartClient();
    }
  }

  private synchronized void stopClient() {
    if (client != null) {
      client.close();
      client = null;
    }
  }

  private synchronized boolean isOnlineClient() {
    return client != null && client.state() == ConnectionState.CONNECTED;
  }

  private boolean isOnline() {
    ConnectivityManager cm = (ConnectivityManager) getSystemService(Context.CONNECTIVITY_SERVICE);
    NetworkInfo info = cm.getActiveNetworkInfo();
    return info != null && info.isConnected();
  }

  private void scheduleKeepalive() {
    AlarmManager alarms = (AlarmManager) getSystemService(Context.ALARM_SERVICE);
    Intent intent = new Intent(this, PushService.class).setAction(ACTION_KEEPALIVE);
    PendingIntent pending = PendingIntent.getService(this, 0, intent, PendingIntent.FLAG_UPDATE_CURRENT);
    alarms.setInexactRepeating(
        AlarmManager.ELAPSED_REALTIME_WAKEUP,
        SystemClock.elapsedRealtime() + KEEPALIVE_MS,
        KEEPALIVE_MS,
        pending);
  }

  /** Hands each message to the activity, if it is showing. */
  private final class BroadcastingListener implements PushListener {
    @Override
    public void onConnected(String nodeId) {
      Log.i(TAG, "connected to " + nodeId);
    }

    @Override
    public void onDisconnected(String reason) {
      Log.i(TAG, "disconnected: " + reason);
    }

    @Override
    public void onFanoutLost(String appId, String regId) {
      // A real app would fetch what it missed from its own server here.
      Log.w(TAG, "broadcasts sent while offline are gone; resynchronise " + appId);
    }

    @Override
    public void onMessage(PushMessage message) {
      String text = message.alert() == null || message.alert().isEmpty()
          ? message.payloadAsString()
          : message.alert() + "\n" + message.payloadAsString();
      sendBroadcast(new Intent(ACTION_MESSAGE).putExtra(EXTRA_TEXT, text).setPackage(getPackageName()));
    }
  }
}
