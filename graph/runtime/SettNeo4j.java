import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;

/**
 * Runs Neo4j Community embedded with its Bolt connector on the loopback interface, for Sett's local
 * development and tests. Arguments: home directory, Bolt port, page cache in MiB, and optionally the
 * pid of a process whose end also ends this one. The password of the neo4j user comes from the
 * environment variable SETT_NEO4J_LOCAL_PASSWORD, so that it never shows in a process list. Further
 * settings come from HOME/neo4j.conf when it exists.
 * Stops cleanly on SIGTERM/SIGINT.
 */
public final class SettNeo4j {
    public static void main(String[] args) throws Exception {
        String password = System.getenv("SETT_NEO4J_LOCAL_PASSWORD");
        if (args.length < 3 || password == null || password.length() < 8) {
            System.err.println("usage: SETT_NEO4J_LOCAL_PASSWORD=... SettNeo4j HOME BOLT_PORT PAGECACHE_MIB [OWNER_PID]");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        long pageCacheBytes = Long.parseLong(args[2]) * 1024L * 1024L;
        Path readyFile = home.resolve("sett-neo4j.ready");
        Files.deleteIfExists(readyFile);

        DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(home);
        Path settings = home.resolve("neo4j.conf");
        if (Files.exists(settings)) {
            builder.loadPropertiesFromFile(settings);
        }
        DatabaseManagementService dbms = builder
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(HttpConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.pagecache_memory, pageCacheBytes)
                .setConfig(GraphDatabaseSettings.shutdown_transaction_end_timeout, Duration.ofSeconds(5))
                // Bolt waits 5 s twice on shutdown by default; a local server has no clients worth that
                .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofSeconds(1))
                .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofSeconds(1))
                .build();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Files.deleteIfExists(readyFile);
            } catch (java.io.IOException ignored) {
                // the next start deletes it
            }
            dbms.shutdown();
            stopped.countDown();
        }, "sett-neo4j-shutdown"));

        try {
            setPassword(dbms, password);
        } catch (RuntimeException failure) {
            failure.printStackTrace();
            System.exit(1);
        }

        if (args.length > 3) {
            long ownerPid = Long.parseLong(args[3]);
            ProcessHandle.of(ownerPid).ifPresentOrElse(
                    owner -> owner.onExit().thenRun(() -> System.exit(0)),
                    () -> System.exit(0));
        }
        Files.writeString(readyFile, Long.toString(ProcessHandle.current().pid()));
        System.out.println("sett-neo4j: bolt listening on 127.0.0.1:" + port);
        System.out.flush();
        stopped.await();
    }

    /**
     * Sets the password of the built-in neo4j user, so the server never runs with default credentials.
     * Neo4j refuses a "change" to the current password, so it passes through a random one first.
     */
    private static void setPassword(DatabaseManagementService dbms, String password) {
        GraphDatabaseService system = dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
        String alter = "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED";
        system.executeTransactionally(alter, Map.of("password", java.util.UUID.randomUUID().toString()));
        system.executeTransactionally(alter, Map.of("password", password));
    }
}
