package io.pers.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Prints a benchmark's figures beside its ceiling: the same kind of operation with PERS's own work
 * taken out, measured in the same run (for the ledger, the database's commit rate).
 */
final class Table {

    private final String title;
    private final String unit;
    private final String ceilingName;
    private final List<String> rows = new ArrayList<>();

    Table(String title, String unit, String ceilingName) {
        this.title = title;
        this.unit = unit;
        this.ceilingName = ceilingName;
    }

    /** {@code ceilingCpu} null: the ceiling's CPU is not measured (the database's own load). */
    void row(
            int concurrency,
            Load.Result measured,
            CpuMeter.PerOperation cpu,
            Load.Result ceiling,
            CpuMeter.PerOperation ceilingCpu) {
        rows.add(String.format(
                "%11d  %12.0f  %8d  %8.1f  %8.1f  %10.2f  %9.2f  %10.2f  %18.0f  %12s  %5.0f%%",
                concurrency,
                measured.perSecond(),
                measured.refused(),
                measured.p50Micros() / 1000.0,
                measured.p99Micros() / 1000.0,
                cpu.serviceMs(),
                cpu.postgresMs(),
                cpu.clientMs(),
                ceiling.perSecond(),
                ceilingCpu == null ? "-" : String.format("%.2f", ceilingCpu.serviceMs()),
                100 * measured.perSecond() / ceiling.perSecond()));
    }

    void print() {
        System.out.println();
        System.out.println(title + " (durable embedded PostgreSQL 17)");
        System.out.printf(
                "%11s  %12s  %8s  %8s  %8s  %10s  %9s  %10s  %18s  %12s  %6s%n",
                "concurrency",
                unit,
                "refused",
                "p50 ms",
                "p99 ms",
                "cpu ms app",
                "cpu ms pg",
                "cpu ms load",
                ceilingName,
                "ceiling ms",
                "ratio");
        rows.forEach(System.out::println);
        System.out.println();
    }
}
