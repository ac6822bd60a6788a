package io.universepush.api.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Map;

/**
 * The body of {@code POST /v1/push}, as sent; {@link PushRequestValidator} checks it.
 *
 * @param audience {@code {"reg_ids":[...]}} and/or {@code {"aliases":[...]}}
 * @param message any JSON value, delivered as its UTF-8 JSON text
 * @param ttl seconds the message stays deliverable; 0 = only to devices online now
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record PushRequest(
    @Schema(example = "{\"reg_ids\":[\"3q2-7wEAAAAAAAAAAAAAAA\"]}") JsonNode audience,
    String alert,
    String title,
    @Schema(example = "{\"text\":\"hello\"}") JsonNode message,
    Map<String, String> extras,
    Long ttl) {}
