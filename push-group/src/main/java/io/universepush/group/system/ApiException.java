package io.universepush.group.system;

import io.universepush.rpc.group.GroupResultCode;
import org.springframework.http.HttpStatus;

/**
 * A refused request: its HTTP status and error code for the HTTP API, and its {@link GroupResultCode} for Dubbo
 * callers, who get the same rules.
 */
public class ApiException extends RuntimeException {
  private final HttpStatus status;
  private final String code;
  private final GroupResultCode result;

  public ApiException(HttpStatus status, String code, String message, GroupResultCode result) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.result = result;
  }

  public HttpStatus status() {
    return status;
  }

  public String code() {
    return code;
  }

  public GroupResultCode result() {
    return result;
  }

  /** 400 {@code invalid_field}, the message starting with the field's JSON name. */
  public static ApiException invalidField(String field, String problem) {
    return new ApiException(HttpStatus.BAD_REQUEST, "invalid_field", field + ": " + problem, GroupResultCode.INVALID);
  }

  /** 404 for a group that does not exist in the caller's app (another app's groups do not exist for it). */
  public static ApiException groupNotFound(String groupId) {
    return new ApiException(
        HttpStatus.NOT_FOUND, "not_found", "no group " + groupId + " in this app", GroupResultCode.GROUP_NOT_FOUND);
  }

  public static ApiException notAMember(String regId, String groupId) {
    return new ApiException(
        HttpStatus.FORBIDDEN,
        "not_a_member",
        "from: " + regId + " is not a member of group " + groupId,
        GroupResultCode.NOT_A_MEMBER);
  }

  public static ApiException tooLarge(String field, long size, long limit) {
    return new ApiException(
        HttpStatus.PAYLOAD_TOO_LARGE,
        "payload_too_large",
        field + ": " + size + " bytes, the limit is " + limit,
        GroupResultCode.TOO_LARGE);
  }
}
