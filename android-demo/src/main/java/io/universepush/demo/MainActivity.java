package io.universepush.demo;

import android.app.Activity;
import android.content.BroadcastReceiver;
import android.content.Context;
import android.content.Intent;
import android.content.IntentFilter;
import android.os.Bundle;
import android.widget.TextView;

/**
 * Shows the messages the service receives, newest first. Started with an {@code appId} extra (and optionally the
 * {@code regId} and {@code token} of a device registered before); the service registers a new device with the app id
 * alone when there are none.
 */
public class MainActivity extends Activity {
  private TextView messages;
  private final BroadcastReceiver receiver =
      new BroadcastReceiver() {
        @Override
        public void onReceive(Context context, Intent intent) {
          messages.setText(intent.getStringExtra(PushService.EXTRA_TEXT) + "\n\n" + messages.getText());
        }
      };

  @Override
  protected void onCreate(Bundle savedInstanceState) {
    super.onCreate(savedInstanceState);
    messages = new TextView(this);
    messages.setText("Waiting for pushes...");
    setContentView(messages);
    Intent launch = getIntent();
    if (launch != null && launch.hasExtra("appId")) {
      DemoConfig.save(
          this, launch.getStringExtra("appId"), launch.getStringExtra("regId"), launch.getStringExtra("token"));
    }
    startService(new Intent(this, PushService.class));
  }

  @Override
  protected void onResume() {
    super.onResume();
    registerReceiver(receiver, new IntentFilter(PushService.ACTION_MESSAGE));
  }

  @Override
  protected void onPause() {
    unregisterReceiver(receiver);
    super.onPause();
  }
}
