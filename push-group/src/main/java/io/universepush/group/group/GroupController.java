package io.universepush.group.group;

import io.universepush.group.auth.AuthenticatedApp;
import io.universepush.group.limits.Limit;
import io.universepush.group.limits.RateLimited;
import io.universepush.group.system.ApiException;
import io.universepush.store.group.Group;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Groups and members of the calling app (HTTP Basic app_id:app_secret). */
@RestController
public class GroupController {
  private final Groups groups;

  public GroupController(Groups groups) {
    this.groups = groups;
  }

  public record CreateGroup(String name, String owner, List<String> members) {}

  public record Members(List<String> members) {}

  public record GroupView(String groupId, String name, String owner, long memberCount, long createdAt) {
    static GroupView of(Group group, long members) {
      return new GroupView(group.groupId(), group.name(), group.owner(), members, group.createdAtMs());
    }
  }

  public record Joined(String groupId, List<String> added, long memberCount) {}

  public record MemberList(String groupId, List<String> members) {}

  public record DeviceGroups(String regId, List<String> groups) {}

  @PostMapping("/v1/groups")
  @RateLimited(Limit.WRITE)
  public ResponseEntity<GroupView> create(AuthenticatedApp app, @RequestBody CreateGroup body) {
    List<String> members = body.members() == null ? List.of() : body.members();
    Group group = groups.create(app.appId(), body.name(), body.owner(), members);
    return ResponseEntity.status(HttpStatus.CREATED)
        .body(GroupView.of(group, groups.memberCount(app.appId(), group.groupId())));
  }

  @GetMapping("/v1/groups/{groupId}")
  @RateLimited(Limit.READ)
  public GroupView find(AuthenticatedApp app, @PathVariable String groupId) {
    Group group = groups.get(app.appId(), groupId);
    return GroupView.of(group, groups.memberCount(app.appId(), groupId));
  }

  @DeleteMapping("/v1/groups/{groupId}")
  @RateLimited(Limit.WRITE)
  public ResponseEntity<Void> dismiss(AuthenticatedApp app, @PathVariable String groupId) {
    if (!groups.dismiss(app.appId(), groupId)) {
      throw ApiException.groupNotFound(groupId);
    }
    return ResponseEntity.noContent().build();
  }

  @PostMapping("/v1/groups/{groupId}/members")
  @RateLimited(Limit.WRITE)
  public Joined join(AuthenticatedApp app, @PathVariable String groupId, @RequestBody Members body) {
    if (body.members() == null || body.members().isEmpty()) {
      throw ApiException.invalidField("members", "at least one reg id or alias is required");
    }
    Set<String> added = groups.join(app.appId(), groupId, body.members());
    return new Joined(groupId, List.copyOf(added), groups.memberCount(app.appId(), groupId));
  }

  @DeleteMapping("/v1/groups/{groupId}/members/{member}")
  @RateLimited(Limit.WRITE)
  public ResponseEntity<Void> leave(AuthenticatedApp app, @PathVariable String groupId, @PathVariable String member) {
    groups.get(app.appId(), groupId);
    if (!groups.leave(app.appId(), groupId, member)) {
      throw new ApiException(
          HttpStatus.NOT_FOUND,
          "not_a_member",
          "member: " + member + " is not a member of group " + groupId,
          io.universepush.rpc.group.GroupResultCode.NOT_A_MEMBER);
    }
    return ResponseEntity.noContent().build();
  }

  @GetMapping("/v1/groups/{groupId}/members")
  @RateLimited(Limit.READ)
  public MemberList members(AuthenticatedApp app, @PathVariable String groupId) {
    return new MemberList(groupId, List.copyOf(new TreeSet<>(groups.members(app.appId(), groupId))));
  }

  @GetMapping("/v1/devices/{regId}/groups")
  @RateLimited(Limit.READ)
  public DeviceGroups groupsOf(AuthenticatedApp app, @PathVariable String regId) {
    return new DeviceGroups(regId, List.copyOf(new TreeSet<>(groups.groupsOf(app.appId(), regId))));
  }
}
