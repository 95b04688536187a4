package io.pers.bench;

import java.util.ArrayList;
import java.util.List;

/** Prints a benchmark's figures beside the database's commit ceiling. */
final class Table {

    private final String title;
    private final String unit;
    private final List<String> rows = new ArrayList<>();

    Table(String title, String unit) {
        this.title = title;
        this.unit = unit;
    }

    void row(int concurrency, Load.Result measured, CpuMeter.PerOperation cpu, Load.Result ceiling) {
        rows.add(String.format(
                "%11d  %12.0f  %8d  %8.1f  %8.1f  %10.2f  %9.2f  %10.2f  %18.0f  %5.0f%%",
                concurrency,
                measured.perSecond(),
                measured.refused(),
                measured.p50Micros() / 1000.0,
                measured.p99Micros() / 1000.0,
                cpu.serviceMs(),
                cpu.postgresMs(),
                cpu.clientMs(),
                ceiling.perSecond(),
                100 * measured.perSecond() / ceiling.perSecond()));
    }

    void print() {
        System.out.println();
        System.out.println(title + " (durable embedded PostgreSQL 17)");
        System.out.printf(
                "%11s  %12s  %8s  %8s  %8s  %10s  %9s  %10s  %18s  %6s%n",
                "concurrency",
                unit,
                "refused",
                "p50 ms",
                "p99 ms",
                "cpu ms app",
                "cpu ms pg",
                "cpu ms load",
                "ceiling inserts/s",
                "ratio");
        rows.forEach(System.out::println);
        System.out.println();
    }
}
