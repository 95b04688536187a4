package io.pers.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import one.profiler.AsyncProfiler;

/**
 * Profiles of the measured loads, when {@code bench.profile} names a folder ({@code BENCH_PROFILE}
 * in bench/run.sh). Each load leaves there:
 *
 * <ul>
 *   <li>{@code <mode>-c<concurrency>.html} and {@code .collapsed}: async-profiler's CPU samples of
 *       every thread of the JVM (the service, and the load's client under {@code io/pers/bench} and
 *       {@code jdk/internal/net/http} frames), as a flame graph and one line per stack;
 *   <li>{@code <mode>-c<concurrency>.sql.txt}: PostgreSQL's statements of that load by total time
 *       ({@code pg_stat_statements}, nested statements of functions such as {@code ledger_post} included).
 * </ul>
 *
 * Off by default: sampling costs a few percent.
 */
final class Profiles {

    private static final String FOLDER = System.getProperty("bench.profile", "");
    private static final int STATEMENTS = 30;

    private final String jdbcUrl;

    Profiles(String jdbcUrl) {
        this.jdbcUrl = jdbcUrl;
    }

    interface Profiled<T> {
        T run() throws Exception;
    }

    <T> T around(String name, Profiled<T> load) throws Exception {
        if (FOLDER.isEmpty()) {
            return load.run();
        }
        Path folder = Files.createDirectories(Path.of(FOLDER));
        AsyncProfiler profiler = AsyncProfiler.getInstance();
        try (Connection superuser = DriverManager.getConnection(jdbcUrl, "postgres", "");
                Statement sql = superuser.createStatement()) {
            sql.execute("create extension if not exists pg_stat_statements");
            sql.execute("select pg_stat_statements_reset()");
            profiler.execute("start,event=cpu,interval=1ms");
            try {
                return load.run();
            } finally {
                profiler.execute("stop");
                profiler.execute(
                        "collapsed,file=" + folder.resolve(name + ".collapsed").toAbsolutePath());
                profiler.execute(
                        "flamegraph,file=" + folder.resolve(name + ".html").toAbsolutePath());
                statements(sql, folder.resolve(name + ".sql.txt"));
            }
        }
    }

    private static void statements(Statement sql, Path file) throws SQLException, IOException {
        try (ResultSet top = sql.executeQuery("""
                        select calls, round(total_exec_time::numeric, 1), round(mean_exec_time::numeric, 3), rows,
                               regexp_replace(query, '\\s+', ' ', 'g')
                          from pg_stat_statements order by total_exec_time desc limit %d""".formatted(STATEMENTS));
                PrintWriter out = new PrintWriter(Files.newBufferedWriter(file))) {
            out.printf("%10s %12s %10s %10s  %s%n", "calls", "total ms", "mean ms", "rows", "statement");
            while (top.next()) {
                out.printf(
                        "%10d %12s %10s %10d  %s%n",
                        top.getLong(1), top.getString(2), top.getString(3), top.getLong(4), top.getString(5));
            }
        }
    }
}
