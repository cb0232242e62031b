package io.nostos.sstable.node;

/** The cassandra.yaml and logback.xml of a local node. */
final class NodeConfig {
  private NodeConfig() {}

  static String yaml(LocalCassandraNode.Ports ports) {
    return String.join("\n",
        "# Written by Nostos for a local single-node cluster. Changes are overwritten on start.",
        "cluster_name: nostos-local",
        "num_tokens: 16",
        "allocate_tokens_for_local_replication_factor: 1",
        "partitioner: org.apache.cassandra.dht.Murmur3Partitioner",
        "endpoint_snitch: SimpleSnitch",
        "seed_provider:",
        "  - class_name: org.apache.cassandra.locator.SimpleSeedProvider",
        "    parameters:",
        "      - seeds: \"127.0.0.1:" + ports.storagePort() + "\"",
        "listen_address: 127.0.0.1",
        "rpc_address: 127.0.0.1",
        "storage_port: " + ports.storagePort(),
        "native_transport_port: " + ports.nativePort(),
        "start_native_transport: true",
        "commitlog_sync: periodic",
        "commitlog_sync_period: 10000ms",
        // CQLSSTableWriter writes 5.0 ('oa') SSTables; the CASSANDRA_4 compatibility mode rejects them.
        "storage_compatibility_mode: NONE",
        // Like production: DROP TABLE takes a snapshot; Nostos clears it when it prunes.
        "auto_snapshot: true",
        "authenticator: AllowAllAuthenticator",
        "authorizer: AllowAllAuthorizer",
        "read_request_timeout: 20000ms",
        "range_request_timeout: 60000ms",
        "write_request_timeout: 10000ms",
        "request_timeout: 60000ms",
        "cas_contention_timeout: 5000ms",
        "concurrent_compactors: 1",
        "stream_throughput_outbound: 0MiB/s",
        "entire_sstable_stream_throughput_outbound: 0MiB/s",
        "disk_failure_policy: stop",
        "commit_failure_policy: stop",
        "");
  }

  static String logback() {
    return String.join("\n",
        "<configuration scan=\"false\">",
        "  <appender name=\"FILE\" class=\"ch.qos.logback.core.rolling.RollingFileAppender\">",
        "    <file>${cassandra.logdir}/system.log</file>",
        "    <rollingPolicy class=\"ch.qos.logback.core.rolling.FixedWindowRollingPolicy\">",
        "      <fileNamePattern>${cassandra.logdir}/system.log.%i.zip</fileNamePattern>",
        "      <minIndex>1</minIndex><maxIndex>3</maxIndex>",
        "    </rollingPolicy>",
        "    <triggeringPolicy class=\"ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy\">",
        "      <maxFileSize>20MB</maxFileSize>",
        "    </triggeringPolicy>",
        "    <encoder><pattern>%-5level [%thread] %date{ISO8601} %F:%L - %msg%n</pattern></encoder>",
        "  </appender>",
        "  <root level=\"INFO\"><appender-ref ref=\"FILE\"/></root>",
        "</configuration>",
        "");
  }
}
