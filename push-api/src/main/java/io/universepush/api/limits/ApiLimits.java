package io.universepush.api.limits;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Request rates under {@code universe.push.api.limits}, per app (per client IP for failed authentications and open
 * registrations). Requests made with device credentials take from a bucket per app of their own, with the same
 * rates, so that devices cannot use up their app server's budget. Held in
 * memory by each push-api instance: N instances behind a balancer allow N times these rates.
 *
 * @param pushesPerSecond {@code POST /v1/push} and the legacy {@code /push/send*} endpoints, sustained, per app (the
 *     legacy endpoints share the app id {@code legacy})
 * @param pushBurst pushes one app may send at once
 * @param registrationsPerSecond device writes ({@code POST}, {@code PUT}, {@code DELETE} of {@code /v1/devices}),
 *     sustained, per app
 * @param registrationBurst device writes one app may make at once
 * @param readsPerSecond {@code GET}s of messages, devices and routes, sustained, per app
 * @param readBurst reads one app may make at once
 * @param failedAuthsPerMinute wrong or unknown credentials one client IP may send per minute, sustained; beyond
 *     them every authenticated request from that IP is refused before its secret is checked
 * @param failedAuthBurst failed authentications one client IP may have at once
 * @param openRegistrationsPerSecond registrations with the app id alone ({@code X-App-Id}, no secret), sustained,
 *     per app; on buckets of their own, so devices never use up the app server's device writes
 * @param openRegistrationBurst open registrations one app may receive at once
 * @param openRegistrationsPerMinutePerIp open registrations one client IP may make per minute, sustained, whatever the
 *     app (unknown app ids count too); a carrier's NAT puts many phones behind one IP, so not too low
 * @param openRegistrationBurstPerIp open registrations one client IP may make at once
 * @param maxTrackedKeys the most apps and IPs whose buckets are held; the least recently used go first (a key that
 *     comes back starts with a full bucket)
 */
@Validated
@ConfigurationProperties("universe.push.api.limits")
public record ApiLimits(
    @DefaultValue("500") @Min(1) int pushesPerSecond,
    @DefaultValue("1000") @Min(1) int pushBurst,
    @DefaultValue("100") @Min(1) int registrationsPerSecond,
    @DefaultValue("500") @Min(1) int registrationBurst,
    @DefaultValue("200") @Min(1) int readsPerSecond,
    @DefaultValue("200") @Min(1) int readBurst,
    @DefaultValue("20") @Min(1) int failedAuthsPerMinute,
    @DefaultValue("20") @Min(1) int failedAuthBurst,
    @DefaultValue("20") @Min(1) int openRegistrationsPerSecond,
    @DefaultValue("100") @Min(1) int openRegistrationBurst,
    @DefaultValue("30") @Min(1) int openRegistrationsPerMinutePerIp,
    @DefaultValue("60") @Min(1) int openRegistrationBurstPerIp,
    @DefaultValue("100000") @Min(1) int maxTrackedKeys) {}
