package zebra.solr;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.solr.client.solrj.request.CollectionAdminRequest;
import org.apache.solr.cloud.MiniSolrCloudCluster;
import org.apache.solr.core.CoreContainer;
import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;

/**
 * A local Solr 9 for Zebra, from Maven Central jars: one node with a `zebra` core (standalone), or two nodes
 * with an embedded ZooKeeper and a 2-shard `zebra` collection (--cloud). Runs until killed.
 *
 * <p>Usage: ZebraSolr --state DIR --configset DIR [--port N] [--cloud]. The standalone node keeps its index
 * under DIR/home across restarts; the cloud cluster (nodes on port N and N+1) starts fresh every time.
 */
public final class ZebraSolr {
  private static final String CONTEXT = "/solr";
  private static final String NAME = "zebra";
  private static final String STANDALONE_SOLR_XML =
      "<solr>\n"
          + "  <int name=\"maxBooleanClauses\">${solr.max.booleanClauses:8192}</int>\n"
          + "  <str name=\"allowPaths\">${solr.allowPaths:}</str>\n"
          + "</solr>\n";

  private ZebraSolr() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = parse(args);
    Path state = Path.of(require(opts, "--state")).toAbsolutePath();
    Path configset = Path.of(require(opts, "--configset")).toAbsolutePath();
    if (!Files.isRegularFile(configset.resolve("conf/solrconfig.xml"))) {
      throw new IllegalArgumentException("no conf/solrconfig.xml in configset " + configset);
    }
    boolean cloud = opts.containsKey("--cloud");
    int port = Integer.parseInt(opts.getOrDefault("--port", cloud ? "8984" : "8983"));
    System.setProperty("solr.max.booleanClauses", System.getProperty("solr.max.booleanClauses", "8192"));
    if (cloud) {
      startCloud(state.resolve("cloud"), configset, port);
    } else {
      startStandalone(state.resolve("home"), configset, port);
    }
    System.out.println("zebra-solr: listening on http://127.0.0.1:" + port + CONTEXT + "/" + NAME);
    Thread.currentThread().join();
  }

  static void startStandalone(Path home, Path configset, int port) throws Exception {
    Files.createDirectories(home);
    Files.writeString(home.resolve("solr.xml"), STANDALONE_SOLR_XML);
    // Solr looks up `configSet=zebra` in <home>/configsets; refresh the copy so edits to the repo apply.
    Path target = home.resolve("configsets").resolve(NAME);
    deleteTree(target);
    copyTree(configset, target);
    JettyConfig config = JettyConfig.builder().setPort(port).setContext(CONTEXT).stopAtShutdown(true).build();
    JettySolrRunner node = new JettySolrRunner(home.toString(), new Properties(), config);
    node.start();
    CoreContainer cores = node.getCoreContainer();
    if (!cores.getAllCoreNames().contains(NAME) && !cores.getCoreInitFailures().containsKey(NAME)) {
      cores.create(NAME, Map.of("configSet", NAME));
    }
  }

  static void startCloud(Path base, Path configset, int port) throws Exception {
    deleteTree(base);
    Files.createDirectories(base);
    JettyConfig config = JettyConfig.builder().setContext(CONTEXT).stopAtShutdown(true).build();
    MiniSolrCloudCluster cluster =
        new MiniSolrCloudCluster(0, base, MiniSolrCloudCluster.DEFAULT_CLOUD_SOLR_XML, config);
    for (int i = 0; i < 2; i++) {
      cluster.startJettySolrRunner("node" + (i + 1), CONTEXT, JettyConfig.builder(config).setPort(port + i).build());
    }
    cluster.uploadConfigSet(configset.resolve("conf"), NAME);
    CollectionAdminRequest.createCollection(NAME, NAME, 2, 1).process(cluster.getSolrClient());
    cluster.waitForActiveCollection(NAME, 2, 2);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        cluster.shutdown();
      } catch (Exception e) {
        System.err.println("zebra-solr: shutdown failed: " + e);
      }
    }));
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> out = new java.util.HashMap<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--cloud" -> out.put("--cloud", "true");
        case "--state", "--configset", "--port" -> {
          if (i + 1 >= args.length) throw new IllegalArgumentException(args[i] + " needs a value");
          out.put(args[i], args[++i]);
        }
        default -> throw new IllegalArgumentException(
            "unknown argument " + args[i] + "; usage: ZebraSolr --state DIR --configset DIR [--port N] [--cloud]");
      }
    }
    return out;
  }

  private static String require(Map<String, String> opts, String key) {
    String v = opts.get(key);
    if (v == null) throw new IllegalArgumentException(key + " is required");
    return v;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        Path dest = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(dest);
        } else {
          Files.copy(p, dest, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) return;
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }
}
