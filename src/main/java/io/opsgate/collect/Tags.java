package io.opsgate.collect;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ec2.model.Tag;

/** EC2 tag lists as maps. */
final class Tags {
    private Tags() {
    }

    static Map<String, String> of(List<Tag> tags) {
        Map<String, String> map = new HashMap<>();
        for (Tag tag : tags) {
            if (tag.key() != null) {
                map.put(tag.key(), tag.value() == null ? "" : tag.value());
            }
        }
        return map;
    }
}
