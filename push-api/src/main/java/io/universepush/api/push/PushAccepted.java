package io.universepush.api.push;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * The answer to a push: its id and how many devices it targets. Reg ids and aliases that matched no device of the
 * app are listed, and were left out.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record PushAccepted(String msgId, int accepted, List<String> unknownRegIds, List<String> unknownAliases) {}
