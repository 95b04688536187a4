#!/usr/bin/env bash
# The packaged jar in production mode against services running as their own processes (no Docker):
# PostgreSQL, Temporal's Java test server (the one Temporal server to be had here without Docker),
# a Kafka broker and anvil, each started by io.pers.dev.DevService. One PERS starts (migrations),
# is killed with SIGKILL, then two start side by side; every claim is sent to both at once with
# the same Idempotency-Key and must be decided once. Exits 1 when it is not.
#   tools/production-shape.sh            CLAIMS=20 tools/production-shape.sh
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -ntp package -DskipTests -Dspotless.check.skip=true
./mvnw -B -q -ntp dependency:build-classpath -Dmdep.outputFile=target/dev.classpath -Dmdep.includeScope=test
JAR=$(ls "$PWD"/target/pers-*.jar | head -1)
CP="target/test-classes:target/classes:$(cat target/dev.classpath)"
WORK=$(mktemp -d /tmp/pers-production-shape-XXXX)
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PG=$(port); TEMPORAL=$(port); KAFKA=$(port); ANVIL=$(port); A=$(port); B=$(port); C=$(port)
KEY=$(openssl rand -base64 32)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
for spec in "postgres $PG" "temporal $TEMPORAL" "kafka $KAFKA" "anvil $ANVIL"; do
  set -- $spec
  java -cp "$CP" io.pers.dev.DevService "$1" "$WORK/services" "$2" > "$WORK/$1.log" 2>&1 &
  PIDS+=($!)
done
for s in postgres temporal kafka anvil; do
  until grep -qE '^(spring|pers)\.' "$WORK/$s.log"; do sleep 1; done
done
echo "services up in $WORK: postgres :$PG, temporal :$TEMPORAL, kafka :$KAFKA, anvil :$ANVIL"

pers() { # port
  mkdir -p "$WORK/pers-$1"
  (cd "$WORK/pers-$1" && exec java -jar "$JAR" --pers.mode=production --server.port="$1" \
    --pers.home="$WORK/pers-$1/home" --spring.datasource.url="jdbc:postgresql://127.0.0.1:$PG/pers" \
    --spring.datasource.username=pers_app --spring.flyway.user=pers_owner \
    --pers.temporal.target="127.0.0.1:$TEMPORAL" --pers.kafka.bootstrap-servers="127.0.0.1:$KAFKA" \
    --pers.chain.rpc-url="http://127.0.0.1:$ANVIL" --pers.secrets.master-key="$KEY" \
    --pers.bootstrap.admin-password=production-shape-admin > "$WORK/pers-$1.log" 2>&1) &
  LAST=$!
  PIDS+=($LAST)
}
ready() { # port
  until [ -f "$WORK/pers-$1.log" ] && grep -q "PERS is ready" "$WORK/pers-$1.log"; do
    [ -f "$WORK/pers-$1.log" ] && grep -q "APPLICATION FAILED" "$WORK/pers-$1.log" && { cat "$WORK/pers-$1.log"; exit 1; }
    sleep 1
  done
  grep "PERS is ready" "$WORK/pers-$1.log" | sed "s/^ */instance :$1 /"
}
pers "$A"; FIRST=$LAST; ready "$A"
kill -9 "$FIRST"; wait "$FIRST" 2>/dev/null || true; echo "instance :$A killed (SIGKILL)"
pers "$B"; pers "$C"; ready "$B"; ready "$C"

J='content-type: application/json'; U=http://127.0.0.1
PT=$(curl -s -XPOST $U:$B/v2/auth/token -H "$J" -d '{"grantType":"PASSWORD","email":"admin@pers.local","password":"production-shape-admin"}' | jq -r .accessToken)
curl -s -XPOST $U:$B/v2/tenants -H "authorization: Bearer $PT" -H "$J" -d '{"name":"Shape","adminEmail":"ops@shape.example"}' > "$WORK/tenant.json"
AT=$(curl -s -XPOST $U:$C/v2/auth/token -H "x-project-key: $(jq -r .tenant.projectKeyTest "$WORK/tenant.json")" -H "$J" \
  -d "{\"grantType\":\"PASSWORD\",\"email\":\"ops@shape.example\",\"password\":\"$(jq -r .adminPassword "$WORK/tenant.json")\"}" | jq -r .accessToken)
H="authorization: Bearer $AT"
TOKEN=$(curl -s -XPOST $U:$B/v2/tokens -H "$H" -H "$J" -d '{"type":"CREDIT","name":"Shape points","symbol":"SHP","decimals":0}' | jq -r .id)
USER=$(curl -s -XPOST $U:$C/v2/users -H "$H" -H "$J" -d '{"email":"guest@shape.example"}' | jq -r .id)
TRIGGER=$(curl -s -XPOST $U:$B/v2/campaign-triggers -H "$H" -H "$J" -d '{"name":"t","triggerType":"CLAIM_BY_SYSTEM"}' | jq -r .id)
CAMPAIGN=$(curl -s -XPOST $U:$C/v2/campaigns -H "$H" -H "$J" -d "{\"name\":\"c\",\"isActive\":true,\"triggerId\":\"$TRIGGER\"}" | jq -r .id)
curl -sf -o /dev/null -XPOST $U:$B/v2/campaigns/$CAMPAIGN/token-units -H "$H" -H "$J" -d "{\"tokenId\":\"$TOKEN\",\"amount\":\"10\"}"
N=${CLAIMS:-20}
for i in $(seq 1 "$N"); do
  for p in $B $C; do
    curl -s -XPOST $U:$p/v2/campaigns/claims -H "$H" -H "$J" -H "Idempotency-Key: shape-$i" \
      -d "{\"campaignId\":\"$CAMPAIGN\",\"userIdentifier\":\"$USER\"}" -o "$WORK/claim-$i-$p.json" &
  done
done
wait_claims() { for j in $(jobs -p); do case " ${PIDS[*]} " in *" $j "*) ;; *) wait "$j";; esac; done; }
wait_claims
DISTINCT=$(cat "$WORK"/claim-*.json | jq -r .id | sort -u | grep -vc null || true)
BALANCE=$(curl -s $U:$B/v2/balances/users/$USER -H "$H" | jq -r '.[0].amount')
LISTED=$(curl -s "$U:$C/v2/campaigns/claims?campaignId=$CAMPAIGN&size=100" -H "$H" | jq -r .total)
VALID=$(curl -s $U:$B/v2/ledger/verification -H "$H" | jq -r .valid)
echo "claims sent: $((N * 2)) (each to both instances); distinct claims answered: $DISTINCT; claims listed: $LISTED;" \
  "balance: $BALANCE (expected $((N * 10))); ledger valid: $VALID"
[ "$DISTINCT" = "$N" ] && [ "$LISTED" = "$N" ] && [ "$BALANCE" = "$((N * 10))" ] && [ "$VALID" = true ]
