package io.nostos.pipelines;

import io.nostos.pipelines.spec.Spec;
import io.nostos.transforms.Record;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * Reads one {@link JdbcPartitions.Part} of a query, streaming rows with the spec's fetch size
 * (auto-commit off, which PostgreSQL and Redshift need to use a cursor). Safe to retry: a part is
 * read again from its start, and a failed bundle's output is discarded by the runner.
 */
final class JdbcPartitionReadFn extends DoFn<JdbcPartitions.Part, Record> {
  private final Spec.JdbcSource source;
  private transient Connection connection;

  JdbcPartitionReadFn(Spec.JdbcSource source) {
    this.source = source;
  }

  @Setup
  public void setup() throws ClassNotFoundException, SQLException {
    Class.forName(source.driver());
    connection = DriverManager.getConnection(source.url(), source.user(), source.password());
    connection.setAutoCommit(false);
  }

  @ProcessElement
  public void process(@Element JdbcPartitions.Part part, OutputReceiver<Record> out) throws Exception {
    try (PreparedStatement st = connection.prepareStatement(JdbcPartitions.sql(source.query(), part),
        ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
      st.setFetchSize(source.fetchSize());
      for (int i = 0; i < part.params().size(); i++) {
        st.setObject(i + 1, part.params().get(i));
      }
      Sources.RecordRowMapper mapper = new Sources.RecordRowMapper();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.output(mapper.mapRow(rs));
        }
      }
    } finally {
      connection.rollback();
    }
  }

  @Teardown
  public void teardown() throws SQLException {
    if (connection != null) {
      connection.close();
    }
  }
}
