#!/usr/bin/env bash
# Prints PERS's throughput figures on the embedded default (see bench/README.md).
#   bench/run.sh [all|ledger|claims|webhooks|ingest|settlement|gas][,...]     BENCH_SECONDS=10 per concurrency level
#   bench/run.sh memory     RSS, live heap and database size every 10% of 100,000 claims (-Dbench.memory.claims=N via JAVA_TOOL_OPTIONS)
#   BENCH_PROFILE=target/profiles bench/run.sh claims   also writes a CPU profile of each load there
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -ntp test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath \
  -Dmdep.includeScope=test
exec java -Dpers.contract.check=false -Dbench.seconds="${BENCH_SECONDS:-10}" -Dbench.profile="${BENCH_PROFILE:-}" \
  -Dbench.warm-up-seconds="${BENCH_WARM_UP_SECONDS:-${BENCH_SECONDS:-10}}" \
  -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" io.pers.bench.Benchmarks "${1:-all}"
