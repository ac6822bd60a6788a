package io.universepush.api.legacy;

import static io.universepush.api.legacy.LegacyResponses.OK;
import static io.universepush.api.legacy.LegacyResponses.TOKEN_EMPTY;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.universepush.api.legacy.LegacyResponses.NodeInfo;
import io.universepush.api.legacy.LegacyResponses.OnlineNum;
import io.universepush.api.legacy.LegacyResponses.OnlineStatus;
import io.universepush.api.legacy.LegacyResponses.Redirect;
import io.universepush.api.legacy.LegacyResponses.Result;
import io.universepush.store.node.ConnectorNode;
import io.universepush.store.node.NodeDirectory;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** universe_push's monitoring and connector redirect endpoints. */
@RestController
@LegacyEndpoints
@Tag(name = "legacy", description = "universe_push compatible endpoints")
public class LegacyMonitorController {
  private final NodeDirectory nodes;
  private final LegacyPushes pushes;

  public LegacyMonitorController(NodeDirectory nodes, LegacyPushes pushes) {
    this.nodes = nodes;
    this.pushes = pushes;
  }

  @Operation(summary = "Liveness")
  @GetMapping("/monitor/alive")
  public Result alive() {
    return new Result(OK, "alive");
  }

  @Operation(summary = "Connections over all live connectors")
  @GetMapping("/monitor/onlinenum")
  public OnlineNum onlineNum() {
    long connections = nodes.liveNodes().stream().mapToLong(ConnectorNode::connections).sum();
    return new OnlineNum(OK, "ok", connections);
  }

  @Operation(summary = "Whether the device of a universe_push token is connected")
  @GetMapping("/monitor/onlinestatus")
  public OnlineStatus onlineStatus(@RequestParam(required = false) String token) {
    if (token == null || token.isBlank()) {
      return new OnlineStatus(TOKEN_EMPTY, "token is empty", false);
    }
    boolean online = pushes.onlineRoute(token).isPresent();
    return new OnlineStatus(OK, online ? "online" : "offline", online);
  }

  @Operation(summary = "Connectors to connect to (TCP), least loaded first")
  @RequestMapping(
      path = "/manager/redirect",
      method = {RequestMethod.GET, RequestMethod.POST})
  public Redirect redirect() {
    List<NodeInfo> infos =
        nodes.liveNodes().stream().map(node -> new NodeInfo(node.host(), node.tcpPort())).toList();
    return new Redirect(OK, "ok", infos);
  }
}
