package io.nostos.cli;

import com.datastax.oss.driver.api.core.CqlSession;
import io.nostos.catalog.CassandraTarget;
import io.nostos.catalog.Sessions;
import io.nostos.serving.ServingApp;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true,
    description = {"Serves the current version of every dataset over HTTP (see README, 'Reading data').",
        "Admin routes (rollback, promote) need $NOSTOS_ADMIN_TOKEN; reads need $NOSTOS_READ_TOKEN if set."})
final class ServeCommand implements Callable<Integer> {
  @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080", description = "HTTP port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--pointer-ttl-ms", paramLabel = "MS", defaultValue = "2000",
      description = "How long the current-version pointer is cached (default: ${DEFAULT-VALUE} ms): a promotion or "
          + "rollback by another process is visible within this bound.")
  long pointerTtlMs;

  @Mixin
  ConnectionOptions connection;

  @Override
  public Integer call() throws InterruptedException {
    CassandraTarget target = connection.target();
    try (CqlSession session = Sessions.open(target)) {
      ServingApp app = new ServingApp(session, target, new ServingApp.Config(port, System.getenv("NOSTOS_ADMIN_TOKEN"),
          System.getenv("NOSTOS_READ_TOKEN"), Duration.ofMillis(pointerTtlMs)));
      int bound = app.start();
      Output.out.printf("serving on http://127.0.0.1:%d (admin routes %s)%n", bound,
          System.getenv("NOSTOS_ADMIN_TOKEN") == null ? "disabled: set NOSTOS_ADMIN_TOKEN" : "enabled");
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        app.stop();
        stopped.countDown();
      }));
      stopped.await();
      return NostosCli.OK;
    }
  }
}
