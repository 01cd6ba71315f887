package io.opsgate.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The shapes of AWS identifiers, checked at load time so that a typo fails at startup, not at the first call. */
final class AwsNames {
    /** Commercial ({@code us-east-1}), GovCloud ({@code us-gov-west-1}), China ({@code cn-north-1}), ISO partitions. */
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\\d{1,2}");
    private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");
    private static final Pattern ROLE_ARN = Pattern.compile(
            "arn:aws(?:-cn|-us-gov)?:iam::(\\d{12}):role/(?:[\\w+=,.@-]+/)*[\\w+=,.@-]{1,64}");

    private AwsNames() {
    }

    static boolean isRegion(String s) {
        return REGION.matcher(s).matches();
    }

    static boolean isAccountId(String s) {
        return ACCOUNT_ID.matcher(s).matches();
    }

    /** The account id inside a role ARN, or null if {@code arn} is not an IAM role ARN. */
    static String roleArnAccount(String arn) {
        Matcher m = ROLE_ARN.matcher(arn);
        return m.matches() ? m.group(1) : null;
    }
}
