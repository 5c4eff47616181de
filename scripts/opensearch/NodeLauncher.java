import java.io.IOException;
import java.util.Arrays;

import org.codelibs.opensearch.runner.OpenSearchRunner;

/**
 * Starts one OpenSearch node in this JVM through the codelibs runner, with a fixed node name and HTTP port.
 *
 * Usage: NodeLauncher NODE_NAME HTTP_PORT [runner options: -basePath DIR -confPath DIR ...]
 *
 * Why not the runner's own main: it names every node "Node 1" when each JVM runs one node (so a three-node
 * cluster of separate JVMs could not tell its nodes apart), it moves to the next free HTTP port instead of
 * failing, and it swallows the start-up exception. Here the name and port are pinned and failures are printed.
 */
public final class NodeLauncher {
    private NodeLauncher() {
    }

    public static void main(final String[] args) throws InterruptedException {
        if (args.length < 2) {
            System.err.println("usage: NodeLauncher NODE_NAME HTTP_PORT [runner options]");
            System.exit(2);
        }
        final String nodeName = args[0];
        final String httpPort = args[1];
        final String[] runnerArgs = Arrays.copyOfRange(args, 2, args.length);
        final OpenSearchRunner runner = new OpenSearchRunner();
        runner.onBuild((index, settings) -> {
            settings.put("node.name", nodeName);
            settings.put("http.port", httpPort);
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                runner.close();
            } catch (final IOException e) {
                e.printStackTrace();
            }
        }));
        try {
            runner.build(runnerArgs);
        } catch (final RuntimeException e) {
            System.err.println("OpenSearch node " + nodeName + " failed to start:");
            e.printStackTrace();
            System.exit(1);
        }
        System.out.println("policykb: node " + nodeName + " started, HTTP port " + httpPort);
        while (!runner.isClosed()) {
            Thread.sleep(2000);
        }
    }
}
