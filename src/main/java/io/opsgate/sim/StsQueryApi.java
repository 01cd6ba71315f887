package io.opsgate.sim;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** STS (awsQuery) AssumeRole and GetCallerIdentity; AssumeRole hands out keys that carry the role's account. */
final class StsQueryApi implements QueryApi {

    private static final Pattern ROLE_ARN = Pattern.compile("arn:aws[a-z-]*:iam::(\\d{12}):role/(?:[\\w+=,.@-]+/)*([\\w+=,.@-]{1,64})");
    private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]{2,64}");

    private final AccessKeys keys;
    private final Map<String, String> requiredExternalIds = new ConcurrentHashMap<>();
    private final Clock credentialClock;

    /**
     * @param credentialClock clock for credential expiry; the SDK compares Expiration with the real clock, so this
     *                        is the system clock even when the metrics run on a test clock
     */
    StsQueryApi(AccessKeys keys, Clock credentialClock) {
        this.keys = keys;
        this.credentialClock = credentialClock;
    }

    /** From now on AssumeRole into roles of this account is denied unless ExternalId matches (null clears). */
    void requireExternalId(String accountId, String externalId) {
        if (externalId == null) {
            requiredExternalIds.remove(accountId);
        } else {
            requiredExternalIds.put(accountId, externalId);
        }
    }

    @Override
    public String handle(ApiRequest r) {
        return switch (r.action()) {
            case "AssumeRole" -> assumeRole(r);
            case "GetCallerIdentity" -> getCallerIdentity(r);
            default -> throw QueryApi.invalidAction(r.action());
        };
    }

    private String assumeRole(ApiRequest r) {
        QueryParams p = r.params();
        String roleArn = p.get("RoleArn");
        String sessionName = p.get("RoleSessionName");
        if (roleArn == null) {
            throw AwsError.missingParameter("The parameter RoleArn is required.");
        }
        if (sessionName == null) {
            throw AwsError.missingParameter("The parameter RoleSessionName is required.");
        }
        if (!SESSION_NAME.matcher(sessionName).matches()) {
            throw new AwsError(400, "ValidationError", "1 validation error detected: Value '" + sessionName
                    + "' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression "
                    + "pattern: [\\w+=,.@-]*");
        }
        Matcher m = ROLE_ARN.matcher(roleArn);
        if (!m.matches()) {
            throw new AwsError(400, "ValidationError", roleArn + " is invalid");
        }
        Integer duration = p.integer("DurationSeconds");
        int seconds = duration == null ? 3600 : duration;
        if (seconds < 900 || seconds > 43200) {
            throw new AwsError(400, "ValidationError", "1 validation error detected: Value '" + seconds
                    + "' at 'durationSeconds' failed to satisfy constraint: Member must have value "
                    + (seconds < 900 ? "greater than or equal to 900" : "less than or equal to 43200"));
        }
        String account = m.group(1);
        String roleName = m.group(2);
        String required = requiredExternalIds.get(account);
        if (required != null && !required.equals(p.get("ExternalId"))) {
            throw new AwsError(403, "AccessDenied", "User: " + callerArn(r) + " is not authorized to perform: "
                    + "sts:AssumeRole on resource: " + roleArn);
        }
        String roleId = "AROA" + AccessKeys.token(Hashing.mix(Long.parseLong(account), roleName), 17);
        String accessKey = keys.issue(new AccessKeys.Session(account, roleName, sessionName, roleId));
        String sessionToken = "FwoGZXIvYXdzE" + AccessKeys.token(Hashing.mix(accessKey.hashCode(), accessKey), 60);
        XmlWriter xml = new XmlWriter(1024);
        xml.openNs("AssumeRoleResponse", r.protocol().namespace()).open("AssumeRoleResult")
                .open("AssumedRoleUser")
                .elem("AssumedRoleId", roleId + ":" + sessionName)
                .elem("Arn", "arn:aws:sts::" + account + ":assumed-role/" + roleName + "/" + sessionName)
                .close("AssumedRoleUser")
                .open("Credentials")
                .elem("AccessKeyId", accessKey)
                .elem("SecretAccessKey", keys.secret(accessKey))
                .elem("SessionToken", sessionToken)
                .elem("Expiration", credentialClock.instant().plus(Duration.ofSeconds(seconds)))
                .close("Credentials")
                .elem("PackedPolicySize", 0)
                .close("AssumeRoleResult");
        return xml.endQuery("AssumeRoleResponse", r.requestId());
    }

    private String getCallerIdentity(ApiRequest r) {
        AccessKeys.Session session = keys.sessionOf(r.accessKeyId());
        String userId = session != null ? session.roleId() + ":" + session.sessionName()
                : "AIDA" + AccessKeys.token(Hashing.mix(Long.parseLong(r.accountId()), r.accessKeyId()), 17);
        XmlWriter xml = new XmlWriter(512);
        xml.openNs("GetCallerIdentityResponse", r.protocol().namespace()).open("GetCallerIdentityResult")
                .elem("Arn", callerArn(r))
                .elem("UserId", userId)
                .elem("Account", r.accountId())
                .close("GetCallerIdentityResult");
        return xml.endQuery("GetCallerIdentityResponse", r.requestId());
    }

    private String callerArn(ApiRequest r) {
        AccessKeys.Session session = keys.sessionOf(r.accessKeyId());
        if (session != null) {
            return "arn:aws:sts::" + session.accountId() + ":assumed-role/" + session.roleName() + "/"
                    + session.sessionName();
        }
        return "arn:aws:iam::" + r.accountId() + ":user/opsgate-sim";
    }
}
