package io.scgrn.spark;

import io.scgrn.app.batch.ClusterBackend;
import io.scgrn.app.batch.TaskExecutor;
import io.scgrn.app.run.GroupInference;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --spark MASTER}: a {@link JavaSparkContext} in this process (the driver); tasks run on the cluster's
 * executors. Executors need scgrn's classes: by default {@code spark.executor.extraClassPath} is this process's
 * class path (an install at the same path on every node, or a shared file system); under {@code spark-submit} the
 * application jar and {@code --jars} travel as usual and the settings given there win.
 */
public final class SparkBackend implements ClusterBackend {
    private static final Logger LOG = LoggerFactory.getLogger(SparkBackend.class);
    /** How long to try a standalone master's port before giving up with a one-line message. */
    static final int CONNECT_TIMEOUT_MS = 5000;

    @Override
    public String name() {
        return "spark";
    }

    @Override
    public Cluster connect(String master, String appName) {
        checkReachable(master);
        SparkConf conf = new SparkConf().setAppName(appName);
        if (!conf.contains("spark.master")) {
            conf.setMaster(master);
        }
        setDefault(conf, "spark.ui.enabled", "false");
        setDefault(conf, "spark.executor.extraClassPath", System.getProperty("java.class.path"));
        // every executor re-reads its task's plan and input, so one retry after a lost executor is enough
        setDefault(conf, "spark.task.maxFailures", "4");
        // a task's folder is written once: no speculative duplicates
        setDefault(conf, "spark.speculation", "false");
        // DJL trains one model per process: one task per executor JVM at a time
        setDefault(conf, "spark.executor.cores", "1");
        // scgrn's own JVM options (Arrow, offline DJL, one PyTorch thread) on the executors too
        setDefault(conf, "spark.executor.extraJavaOptions", "--add-opens=java.base/java.nio=ALL-UNNAMED "
                + "-Dai.djl.offline=true -Doffline=true -Dai.djl.pytorch.num_threads=1 "
                + "-Darrow.allocation.manager.type=Unsafe");
        if (master.startsWith("spark://") || master.startsWith("local")) {
            setDefault(conf, "spark.driver.host", System.getProperty("scgrn.spark.driver.host", "127.0.0.1"));
        }
        try {
            JavaSparkContext sc = new JavaSparkContext(conf);
            return new SparkCluster(sc);
        } catch (RuntimeException e) {
            throw new ClusterException("cannot start a Spark application on " + master + ": " + firstLine(e), e);
        }
    }

    private static void setDefault(SparkConf conf, String key, String value) {
        if (!conf.contains(key)) {
            conf.set(key, value);
        }
    }

    /** A standalone master ({@code spark://h1:p1,h2:p2}) must accept a connection on at least one address. */
    static void checkReachable(String master) {
        if (!master.startsWith("spark://")) {
            return;
        }
        List<String> tried = new ArrayList<>();
        for (String hp : master.substring("spark://".length()).split(",")) {
            int colon = hp.lastIndexOf(':');
            String host = colon < 0 ? hp : hp.substring(0, colon);
            int port;
            try {
                port = colon < 0 ? 7077 : Integer.parseInt(hp.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new ClusterException("bad Spark master address '" + master + "': port '"
                        + hp.substring(colon + 1) + "' is not a number", e);
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
                return;
            } catch (IOException e) {
                tried.add(host + ":" + port + " (" + e.getMessage() + ")");
            }
        }
        throw new ClusterException("cannot reach the Spark master " + master + ": " + String.join(", ", tried), null);
    }

    static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /** An open application. */
    static final class SparkCluster implements Cluster {
        private final JavaSparkContext sc;

        SparkCluster(JavaSparkContext sc) {
            this.sc = sc;
        }

        @Override
        public int parallelism() {
            return Math.max(1, sc.defaultParallelism());
        }

        @Override
        public TaskExecutor batchExecutor(BatchJob job) {
            return new SparkTaskExecutor(sc, job);
        }

        @Override
        public GroupInference groupInference() {
            return new SparkGroupInference(sc);
        }

        @Override
        public void checkOutputFolder(Path dir) {
            OutputProbe.check(sc, parallelism(), dir);
        }

        @Override
        public void close() {
            LOG.debug("stopping the Spark application");
            sc.stop();
        }
    }
}
