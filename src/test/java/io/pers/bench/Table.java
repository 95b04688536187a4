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

    void row(int concurrency, Load.Result measured, Load.Result ceiling) {
        rows.add(String.format(
                "%11d  %12.0f  %8d  %8.1f  %8.1f  %18.0f  %5.0f%%",
                concurrency,
                measured.perSecond(),
                measured.refused(),
                measured.p50Micros() / 1000.0,
                measured.p99Micros() / 1000.0,
                ceiling.perSecond(),
                100 * measured.perSecond() / ceiling.perSecond()));
    }

    void print() {
        System.out.println();
        System.out.println(title + " (durable embedded PostgreSQL 17)");
        System.out.printf(
                "%11s  %12s  %8s  %8s  %8s  %18s  %6s%n",
                "concurrency", unit, "refused", "p50 ms", "p99 ms", "ceiling inserts/s", "ratio");
        rows.forEach(System.out::println);
        System.out.println();
    }
}
