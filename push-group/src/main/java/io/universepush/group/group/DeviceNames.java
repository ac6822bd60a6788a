package io.universepush.group.group;

import io.universepush.group.system.ApiException;
import io.universepush.store.device.DeviceStore;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Turns what callers name devices by (reg ids or aliases) into reg ids of the caller's app. A name that is neither a
 * reg id nor an alias of the app (a device of another app, say) is refused with the field that named it: nothing is
 * changed by a request that names one.
 */
@Component
public class DeviceNames {
  private static final Pattern NAME = Pattern.compile("[\\x21-\\x7e]{1,128}");

  private final DeviceStore devices;

  public DeviceNames(DeviceStore devices) {
    this.devices = devices;
  }

  /** Every device named, in order, each name a reg id or an alias (all of the alias' devices). */
  public Set<String> resolveAll(String appId, String field, List<String> names) {
    Set<String> regIds = new LinkedHashSet<>();
    if (names.isEmpty()) {
      return regIds;
    }
    for (int i = 0; i < names.size(); i++) {
      checkName(field + "[" + i + "]", names.get(i));
    }
    Set<String> known = devices.findAll(appId, new LinkedHashSet<>(names)).keySet();
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      if (known.contains(name)) {
        regIds.add(name);
        continue;
      }
      Set<String> byAlias = devices.regIdsByAlias(appId, name);
      if (byAlias.isEmpty()) {
        throw ApiException.invalidField(
            field + "[" + i + "]", "no device of this app has the reg id or alias " + name);
      }
      regIds.addAll(byAlias);
    }
    return regIds;
  }

  /** One device: a reg id of the app, or an alias that names exactly one device. */
  public String resolveOne(String appId, String field, String name, boolean recipient) {
    checkName(field, name);
    if (devices.find(appId, name).isPresent()) {
      return name;
    }
    Set<String> byAlias = devices.regIdsByAlias(appId, name);
    if (byAlias.size() == 1) {
      return byAlias.iterator().next();
    }
    if (byAlias.size() > 1) {
      throw ApiException.invalidField(field, "the alias " + name + " names " + byAlias.size() + " devices, not one");
    }
    if (recipient) {
      throw new ApiException(
          HttpStatus.NOT_FOUND,
          "recipient_not_found",
          field + ": no device of this app has the reg id or alias " + name,
          io.universepush.rpc.group.GroupResultCode.RECIPIENT_NOT_FOUND);
    }
    throw ApiException.invalidField(field, "no device of this app has the reg id or alias " + name);
  }

  /** The devices among these reg ids that exist in the app. */
  public Collection<String> existing(String appId, Collection<String> regIds) {
    return devices.existing(appId, regIds);
  }

  private static void checkName(String field, String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw ApiException.invalidField(field, "must be a reg id or an alias of 1 to 128 visible ASCII characters");
    }
  }
}
