package exportwatch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;

/**
 * Runs Neo4j Community embedded with its Bolt connector, so exportwatch needs
 * only a JDK and Maven rather than a Neo4j installation. The Go package
 * graph/launcher starts this class as a child process and talks to it over
 * Bolt only; this class prints one READY line so the parent can tell a slow
 * start from a failed one.
 *
 * Arguments: --home DIR --bolt HOST:PORT [--pagecache BYTES] [--watch-stdin]
 * The password, when auth is wanted, comes in EXPORTWATCH_NEO4J_PASSWORD so it
 * never appears in a process listing.
 */
public final class Neo4jLauncher {
    public static void main(String[] args) throws Exception {
        Path home = null;
        String bolt = "127.0.0.1:7687";
        long pagecache = 256L * 1024 * 1024;
        boolean watchStdin = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--home" -> home = Path.of(args[++i]);
                case "--bolt" -> bolt = args[++i];
                case "--pagecache" -> pagecache = Long.parseLong(args[++i]);
                case "--watch-stdin" -> watchStdin = true;
                default -> fail("unknown argument " + args[i]);
            }
        }
        if (home == null) {
            fail("--home is required");
        }
        int colon = bolt.lastIndexOf(':');
        if (colon < 0) {
            fail("--bolt must be HOST:PORT, got " + bolt);
        }
        SocketAddress boltAddress = new SocketAddress(bolt.substring(0, colon), Integer.parseInt(bolt.substring(colon + 1)));
        String password = System.getenv("EXPORTWATCH_NEO4J_PASSWORD");
        boolean auth = password != null && !password.isEmpty();

        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, boltAddress)
                .setConfig(BoltConnector.advertised_address, boltAddress)
                // The store is checkpointed before Bolt stops; waiting the
                // default 5 s for idle Bolt threads only delays exit.
                .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofSeconds(1))
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, auth)
                .setConfig(GraphDatabaseSettings.pagecache_memory, pagecache)
                .build();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // SIGTERM lands here: a clean shutdown checkpoints and flushes the store.
            System.out.println("STOPPING");
            System.out.flush();
            dbms.shutdown();
            stopped.countDown();
        }, "exportwatch-shutdown"));

        if (auth) {
            GraphDatabaseService system = dbms.database("system");
            system.executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED",
                    Map.of("password", password));
        }
        // Fail early if the default database did not come up.
        dbms.database("neo4j").executeTransactionally("RETURN 1");

        System.out.println("READY bolt://" + bolt);
        System.out.flush();

        if (watchStdin) {
            // The parent holds our stdin open; EOF means it died without
            // stopping us, and an orphaned database would hold the port and
            // the store lock forever.
            Thread watcher = new Thread(() -> {
                InputStream in = System.in;
                try {
                    while (in.read() >= 0) {
                        // keep reading until EOF
                    }
                } catch (IOException ignored) {
                    // treated like EOF
                }
                System.exit(0);
            }, "exportwatch-stdin-watch");
            watcher.setDaemon(true);
            watcher.start();
        }
        stopped.await();
    }

    private static void fail(String message) {
        System.err.println("neo4j launcher: " + message);
        System.exit(2);
    }
}
