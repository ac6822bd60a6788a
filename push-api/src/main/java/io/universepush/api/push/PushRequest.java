package io.universepush.api.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Map;

/**
 * The body of {@code POST /v1/push}, for the OpenAPI document: the endpoint reads the JSON itself, so that
 * {@link PushRequestValidator} can name every bad or unknown field. See docs/API.md.
 *
 * @param audience {@code "all"}, or an object with {@code reg_ids}, {@code aliases}, {@code tags} and/or {@code
 *     "all": true}
 * @param platform {@code "all"} (default), one of {@code android}, {@code ios}, {@code web}, or a list of them
 * @param message any JSON value, delivered as its UTF-8 JSON text
 * @param ttl seconds the message stays deliverable; 0 = only to devices online now
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record PushRequest(
    @Schema(example = "{\"tags\":[\"news\"]}") JsonNode audience,
    @Schema(example = "[\"android\",\"ios\"]") JsonNode platform,
    String alert,
    String title,
    @Schema(example = "{\"text\":\"hello\"}") JsonNode message,
    Map<String, String> extras,
    Long ttl,
    IosRequest ios,
    AndroidRequest android) {

  /** {@code badge}: null leaves the badge as it is. */
  public record IosRequest(String sound, Integer badge, Boolean production, Map<String, String> extras) {}

  public record AndroidRequest(Map<String, String> extras) {}
}
