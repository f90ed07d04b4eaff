// A MongoDB-wire-compatible in-memory server for the test suite (mongo-java-server).
// Run with:  java -cp 'target/lib/*' MongoTestServer.java [port]   (0 picks a free port)
// Prints "ready on 127.0.0.1:PORT" once it accepts connections.
// The stock server reports wire version 8, which recent Node drivers refuse; this one reports 17
// (MongoDB 6.0) and enables the oplog so change streams work.
import java.util.List;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

public class MongoTestServer {
    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 27017;
        MongoVersion version = new MongoVersion() {
            public List<Integer> getVersionArray() { return List.of(6, 0, 0); }
            public int getWireVersion() { return 17; }
        };
        MongoServer server = new MongoServer(new MemoryBackend().version(version));
        server.enableOplog();
        server.bind("127.0.0.1", port);
        System.out.println("ready on 127.0.0.1:" + server.getLocalAddress().getPort());
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow));
    }
}
