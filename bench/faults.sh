#!/usr/bin/env bash
# The load-and-fault proof (see bench/README.md): PERS as its own process (the developer launch,
# io.pers.dev.DevPers, on the test classpath: the embedded stack is not in the packaged jar),
# signed Shopify orders with redeliveries, SIGKILLs, anvil paused and stopped, a partner outage;
# prints the fault table and exits 1 when an invariant is broken.
#   FAULT_EVENTS=10000 FAULT_CONCURRENCY=32 FAULT_DUPLICATE_PERCENT=10 FAULT_KILLS=2
#   FAULT_ANVIL_SECONDS=30 FAULT_PARTNER_SECONDS=60 FAULT_CUSTOMERS=200 FAULT_SETTLE_SECONDS=900 bench/faults.sh
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -ntp test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath \
  -Dmdep.includeScope=test
exec java -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" io.pers.bench.FaultRun
