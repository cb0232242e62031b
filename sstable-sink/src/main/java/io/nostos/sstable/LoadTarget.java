package io.nostos.sstable;

import java.io.Serializable;
import java.util.List;

/**
 * Where the loader streams to: CQL contact points ({@code host:port}, used to learn the ring and
 * schema), the internode storage port, optional credentials, and the outbound throttle.
 * {@link #toString()} hides the password.
 *
 * @param throttleMibPerSec outbound streaming limit in MiB/s for this process; 0 = unthrottled
 * @param connectionsPerHost parallel streaming connections per node
 */
public record LoadTarget(
    List<String> contactPoints,
    int storagePort,
    String username,
    String password,
    int throttleMibPerSec,
    int connectionsPerHost)
    implements Serializable {

  public LoadTarget {
    contactPoints = List.copyOf(contactPoints);
    if (contactPoints.isEmpty()) {
      throw new IllegalArgumentException("at least one contact point is required");
    }
    if (throttleMibPerSec < 0) {
      throw new IllegalArgumentException("throttle must be >= 0 MiB/s (0 = unthrottled), got " + throttleMibPerSec);
    }
    if (connectionsPerHost < 1) {
      throw new IllegalArgumentException("connectionsPerHost must be >= 1, got " + connectionsPerHost);
    }
  }

  @Override
  public String toString() {
    return "LoadTarget{" + contactPoints + ", storagePort=" + storagePort
        + (username != null ? ", user=" + username + ", password=****" : "")
        + ", throttle=" + (throttleMibPerSec == 0 ? "none" : throttleMibPerSec + " MiB/s") + "}";
  }
}
