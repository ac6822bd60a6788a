package io.universepush.api.message;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Delivery counters of one message. {@code pending} = targets - delivered - expired: the devices that have not
 * acknowledged it yet and still may.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record MessageStatus(String msgId, long targets, long sent, long delivered, long pending, long expired) {}
