package io.nostos.sstable;

import java.io.Serializable;
import java.util.List;

/**
 * What the sink wrote for one token range: enough to stream it, verify it and report on it.
 *
 * @param rangeId index of the range in the plan
 * @param range the planned token range
 * @param directory the {@code <keyspace>/<table>} directory holding the range's SSTable
 * @param rows CQL rows written
 * @param partitions distinct partition keys written
 * @param bytes total size of the SSTable files
 * @param minToken lowest token written (only meaningful when rows &gt; 0)
 * @param maxToken highest token written
 * @param files every file written, with its size and CRC32
 * @param sample a uniform random sample of the rows, as {@link EncodedRow}s, for read-back checks
 * @param spilledRuns how many sorted runs had to go to disk because the range did not fit the sort buffer
 */
public record RangeResult(
    int rangeId,
    TokenRange range,
    String directory,
    long rows,
    long partitions,
    long bytes,
    long minToken,
    long maxToken,
    List<FileChecksum> files,
    List<byte[]> sample,
    int spilledRuns)
    implements Serializable {

  /** One file of an SSTable and its checksum. */
  public record FileChecksum(String name, long size, long crc32) implements Serializable {}

  public RangeResult {
    files = List.copyOf(files);
    sample = List.copyOf(sample);
  }
}
