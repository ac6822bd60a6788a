package io.universepush.api.app;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.universepush.store.app.App;
import io.universepush.store.app.AppCredentials;
import java.time.Instant;
import java.util.List;

/** Request and response bodies of the app administration endpoints. */
public final class AppDtos {
  private AppDtos() {}

  /** Creation and rename: the name, and (creation only) whether devices may register with the app id alone. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record AppName(String name, Boolean openRegistration) {}

  /** A partial update: a field left out (or null) keeps its value. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record AppPatch(String name, Boolean openRegistration) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record AppView(String appId, String name, boolean openRegistration, Instant createdAt) {
    static AppView of(App app) {
      return new AppView(
          app.appId(),
          app.name(),
          app.openRegistration(),
          app.createdAtMs() > 0 ? Instant.ofEpochMilli(app.createdAtMs()) : null);
    }
  }

  /** The secret appears only in this answer (creation, rotation): it is stored hashed. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record AppSecret(String appId, String appSecret, String name, boolean openRegistration) {
    static AppSecret of(AppCredentials credentials) {
      return new AppSecret(
          credentials.app().appId(),
          credentials.secret(),
          credentials.app().name(),
          credentials.app().openRegistration());
    }
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record AppList(List<AppView> apps) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record AppDeleted(String appId, int devicesDeleted, int sessionsClosed) {}
}
