#!/usr/bin/env bash
# Compares every wallet's on-chain balance with its settled ledger balance on one chain, for every
# tenant (what GET /v2/chains/{id}/reconciliation shows one tenant), and exits 1 on any difference.
#   tools/reconcile.sh [chain id, default 31337]
# Runs PERS against the configured (or embedded) stack without its HTTP server; each difference is
# printed as one JSON line, then a summary.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -ntp spring-boot:run -Dspring-boot.run.arguments="--pers.reconcile.chain=${1:-31337} --spring.main.web-application-type=none --logging.level.root=WARN"
