package io.universepush.connector.delivery;

import io.universepush.connector.session.Session;
import io.universepush.rpc.connector.Delivery;
import io.universepush.store.device.Device;
import io.universepush.store.device.DeviceStore;
import io.universepush.store.fanout.FanoutEntry;
import io.universepush.store.fanout.FanoutLog;
import io.universepush.store.message.MessageStore;
import io.universepush.store.message.StoredMessage;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Replays a version-3 binding's fan-out log after the cursor it sent in CONNECT (or from the device's registration):
 * the tag and app-wide pushes it missed while offline, or that the live bus dropped. Entries are filtered with the
 * device's platform and tags, expired messages skipped, the rest written in log order with their fan-out ids. One page
 * per call, as large as the session's free capacity; the cursor is kept on the session and the next page follows when
 * acks free capacity, as the pending flush does.
 */
@Component
public class FanoutCatchUp {
  private static final Logger log = LoggerFactory.getLogger(FanoutCatchUp.class);

  private final FanoutLog fanoutLog;
  private final DeviceStore devices;
  private final MessageStore messages;
  private final DeliveryWriter writer;

  public FanoutCatchUp(FanoutLog fanoutLog, DeviceStore devices, MessageStore messages, DeliveryWriter writer) {
    this.fanoutLog = fanoutLog;
    this.devices = devices;
    this.messages = messages;
    this.writer = writer;
  }

  /**
   * Blocking: reads the store. Replays pages of the binding's catch-up, if it has one outstanding, while the session
   * has capacity (a page whose entries mostly do not match the device costs no capacity, so the next one follows at
   * once); stops when the log is drained or the session is full, keeping the cursor for later.
   */
  void replay(Session session, String regId) {
    String cursor = session.catchUpCursor(regId);
    String appId = session.appOf(regId);
    if (cursor == null || appId == null) {
      return;
    }
    Optional<Device> found = devices.find(appId, regId);
    if (found.isEmpty()) {
      session.finishCatchUp(regId);
      return;
    }
    Device device = found.get();
    String platform = session.platformOf(regId) != null ? session.platformOf(regId) : device.platform();
    Set<String> tags = device.tags() == null ? Set.of() : device.tags();
    while (session.isOpen() && session.holds(regId)) {
      int capacity = session.freeCapacity();
      if (capacity == 0) {
        session.advanceCatchUp(regId, cursor);
        session.markMorePending(regId);
        return;
      }
      List<FanoutEntry> page =
          fanoutLog.after(appId, cursor.isEmpty() ? null : cursor, device.createdAtMs(), capacity);
      long now = System.currentTimeMillis();
      Set<String> msgIds = new LinkedHashSet<>();
      for (FanoutEntry entry : page) {
        if (!entry.isExpired(now) && entry.matches(platform, tags)) {
          msgIds.add(entry.msgId());
        }
      }
      Map<String, StoredMessage> stored = messages.findAll(msgIds);
      List<Delivery> deliveries = new ArrayList<>(msgIds.size());
      boolean full = false;
      for (FanoutEntry entry : page) {
        StoredMessage message = msgIds.contains(entry.msgId()) ? stored.get(entry.msgId()) : null;
        if (message != null && !message.isExpired(now)) {
          if (!session.tryReserve()) {
            full = true;
            break;
          }
          Delivery delivery = PendingFlusher.toDelivery(message, regId);
          delivery.setFanoutId(entry.id());
          deliveries.add(delivery);
        }
        cursor = entry.id();
      }
      log.debug("replaying {} fan-out message(s) of {} to {}", deliveries.size(), appId, regId);
      writer.submit(session, deliveries);
      if (full) {
        session.advanceCatchUp(regId, cursor);
        session.markMorePending(regId);
        return;
      }
      if (page.size() < capacity) {
        session.finishCatchUp(regId);
        return;
      }
      session.advanceCatchUp(regId, cursor);
    }
  }
}
