#!/usr/bin/env bash
# Prints PERS's throughput figures on the embedded default (see bench/README.md).
#   bench/run.sh [all|ledger|claims|webhooks|ingest|settlement|gas]     BENCH_SECONDS=10 per concurrency level
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -ntp test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath \
  -Dmdep.includeScope=test
exec java -Dbench.seconds="${BENCH_SECONDS:-10}" \
  -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" io.pers.bench.Benchmarks "${1:-all}"
