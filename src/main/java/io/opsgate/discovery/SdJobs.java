package io.opsgate.discovery;

import io.opsgate.config.ConfigException;
import io.opsgate.config.SdJob;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Compiles {@code discovery.jobs} into queries, reporting a bad parameter at its place in the file. */
public final class SdJobs {
    private SdJobs() {
    }

    /** @return job name to its query, in config order */
    public static Map<String, SdQuery> compile(Map<String, SdJob> jobs) throws ConfigException {
        Map<String, SdQuery> out = new LinkedHashMap<>();
        for (SdJob job : jobs.values()) {
            try {
                out.put(job.name(), SdQuery.parse(job.kind(), job.params()));
            } catch (SdQuery.Invalid e) {
                throw job.at().of(e.parameter()).error(e.getMessage().replace("query parameter", "key"));
            }
        }
        return Collections.unmodifiableMap(out);
    }
}
