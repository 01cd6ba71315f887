package io.opsgate.sim;

import java.util.Map;

/**
 * One message the simulator's SNS accepted from {@code Publish}, as it arrived.
 *
 * @param attributes message attribute name → string value
 * @param groupId    FIFO {@code MessageGroupId}, else null
 */
public record SnsMessage(String topicArn, String messageId, String subject, String message,
                         Map<String, String> attributes, String groupId, String deduplicationId, String accountId) {
}
