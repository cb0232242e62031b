package io.nostos.pipelines;

import java.io.Serializable;
import java.util.List;
import org.apache.beam.sdk.io.Compression;

/**
 * A part of one file of a files source for one worker to parse: the whole file, or a byte range
 * that starts at a record start (see {@link RecordBoundaries}).
 *
 * @param resource the file, as its Beam resource id
 * @param compression how the file is compressed (ranges are only cut in uncompressed files)
 * @param offset first byte of the range
 * @param length bytes of the range; -1 for the rest of the file
 * @param firstLine line number of the range's first line (1-based)
 * @param columnNames the columns of the file's records; empty: take them from its header line
 */
record FileSplit(String resource, Compression compression, long offset, long length, int firstLine,
    List<String> columnNames) implements Serializable {
  FileSplit {
    columnNames = List.copyOf(columnNames);
  }

  static FileSplit whole(String resource, Compression compression, List<String> columnNames) {
    return new FileSplit(resource, compression, 0, -1, 1, columnNames);
  }
}
