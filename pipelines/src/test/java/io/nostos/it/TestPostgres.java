package io.nostos.it;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** One real PostgreSQL server per test JVM (the Redshift stand-in), stopped when the JVM exits. */
public final class TestPostgres {
  private static EmbeddedPostgres pg;

  private TestPostgres() {}

  public static synchronized EmbeddedPostgres server() {
    if (pg == null) {
      try {
        EmbeddedPostgres p = EmbeddedPostgres.builder().start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          try {
            p.close();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }));
        pg = p;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
      }
    }
    return pg;
  }

  public static String jdbcUrl() {
    return server().getJdbcUrl("postgres", "postgres");
  }

  /** Runs SQL statements (separated by ';' at line ends). */
  public static void execute(String sql) {
    try (Connection c = server().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      for (String stmt : sql.split(";\\s*\\n")) {
        if (!stmt.isBlank()) {
          s.execute(stmt);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("SQL failed: " + e.getMessage(), e);
    }
  }
}
