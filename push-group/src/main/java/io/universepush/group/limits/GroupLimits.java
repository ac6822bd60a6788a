package io.universepush.group.limits;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Request rates under {@code universe.push.group.limits}, per app (per client IP for failed authentications), held
 * in each instance's memory as push-api's are: N instances allow N times these rates.
 *
 * @param sendsPerSecond group and single chat sends (HTTP, legacy under the app id {@code legacy}, and Dubbo
 *     {@code GroupService.send}/{@code sendSingle} from connectors), sustained, per app
 * @param sendBurst sends one app may make at once
 * @param writesPerSecond group create, dismiss, join and leave, sustained, per app
 * @param writeBurst writes one app may make at once
 * @param readsPerSecond reads of groups, members, a device's groups and history, sustained, per app
 * @param readBurst reads one app may make at once
 * @param failedAuthsPerMinute wrong or unknown credentials one client IP may send per minute
 * @param failedAuthBurst failed authentications one client IP may have at once
 * @param maxTrackedKeys the most apps and IPs whose buckets are held; the least recently used go first
 */
@Validated
@ConfigurationProperties("universe.push.group.limits")
public record GroupLimits(
    @DefaultValue("500") @Min(1) int sendsPerSecond,
    @DefaultValue("1000") @Min(1) int sendBurst,
    @DefaultValue("100") @Min(1) int writesPerSecond,
    @DefaultValue("500") @Min(1) int writeBurst,
    @DefaultValue("200") @Min(1) int readsPerSecond,
    @DefaultValue("200") @Min(1) int readBurst,
    @DefaultValue("20") @Min(1) int failedAuthsPerMinute,
    @DefaultValue("20") @Min(1) int failedAuthBurst,
    @DefaultValue("100000") @Min(1) int maxTrackedKeys) {}
