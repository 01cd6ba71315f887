# OpsGate runtime image. It packages the jar Maven built, so build that first:
#   mvn -B package -DskipTests && docker build -t opsgate .
# The default command runs the demo (embedded AWS simulator); for real AWS override it, e.g.
#   docker run -v $PWD/opsgate.yml:/etc/opsgate/opsgate.yml:ro opsgate run -c /etc/opsgate/opsgate.yml
FROM eclipse-temurin:17.0.13_11-jre

# Not root: OpsGate needs no privileges, only a writable directory for the alert gateway's SQLite store.
RUN groupadd --system opsgate \
    && useradd --system --gid opsgate --home-dir /var/lib/opsgate --shell /usr/sbin/nologin opsgate \
    && mkdir -p /var/lib/opsgate \
    && chown opsgate:opsgate /var/lib/opsgate

COPY target/opsgate.jar /opt/opsgate/opsgate.jar

USER opsgate
WORKDIR /var/lib/opsgate
EXPOSE 9108

# The JVM options the service is benchmarked with (bench/run uses exactly these; BENCHMARKS.md): the
# serial collector, a heap sized for about 10,000 volumes and 5,000 instances per process, and the C1
# compiler only (the service mostly serves pre-rendered bytes; C2's code and compiler memory cost about
# 30 MB of RSS), which keeps the process under 300 MB of RSS. A larger fleet needs a larger heap:
# override the variable, e.g. -e JAVA_TOOL_OPTIONS="-XX:+UseSerialGC -Xmx256m -XX:TieredStopAtLevel=1".
ENV JAVA_TOOL_OPTIONS="-XX:+UseSerialGC -Xmx128m -XX:TieredStopAtLevel=1"
ENTRYPOINT ["java", "-jar", "/opt/opsgate/opsgate.jar"]
CMD ["demo", "--listen", "0.0.0.0:9108"]
