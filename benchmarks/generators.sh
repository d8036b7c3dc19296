#!/usr/bin/env bash
# Sets the project's native load generator beside an outside one (../shared/tools/loadgen, written
# independently), on the same servers in the same rounds, to see which of the two tools moves a ratio:
# the starter, the baseline as it writes now (results handed to the event loop) and the baseline as it
# wrote before (writeAndFlush on the pool thread) are started once; each round loads each server with each
# generator, the order rotating by round. Prints req/s and server CPU ms per 1000 requests per run, then the
# medians and the ratios starter / baseline. See docs/benchmarks.md, "The two generators".
#
# Environment (defaults in brackets):
#   ROUNDS [3]  SCENARIO [B] (A, B or C)  DURATION [6] and WARMUP [2] (seconds)
#   OUTSIDE_LOADGEN [built by ../shared/tools/loadgen/build.sh into a temporary directory]
#   SERVER_JVM_OPTS ["-Xms1g -Xmx1g -XX:+AlwaysPreTouch"]
set -euo pipefail

cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}
SCENARIO=${SCENARIO:-B}
DURATION=${DURATION:-6}
WARMUP=${WARMUP:-2}
SERVER_JVM_OPTS=${SERVER_JVM_OPTS:--Xms1g -Xmx1g -XX:+AlwaysPreTouch}
TASK_WORKERS=4
declare -A OUTSIDE_MIX=([A]="--conns 64 --depth 1 --mix T:1" [B]="--conns 64 --depth 16 --mix T:1"
	[C]="--conns 64 --depth 1 --mix E:1")
[[ -n ${OUTSIDE_MIX[$SCENARIO]:-} ]] || { echo "SCENARIO must be A, B or C" >&2; exit 2; }

source benchmarks/lib.sh
build_if_needed
build_loadgen
OUTSIDE_LOADGEN=${OUTSIDE_LOADGEN:-$(../shared/tools/loadgen/build.sh)}
OUT=$(results_dir generators)
mkdir -p "$OUT/runs"
echo "results in $OUT"
record_env "$OUT" "ROUNDS=$ROUNDS SCENARIO=$SCENARIO DURATION=$DURATION WARMUP=$WARMUP"
trap stop_servers EXIT
trap 'exit 130' INT TERM

declare -A PORTS
start_server starter "$OUT" io.swooletask.benchmarks.starter.StarterBenchServer --swoole.server.port=0
PORTS[starter]=$SERVER_PORT
start_server baseline "$OUT" io.swooletask.benchmarks.baseline.NettyBaselineServer 0 2 "$TASK_WORKERS"
PORTS[baseline]=$SERVER_PORT
start_server baseline-pool-writes "$OUT" io.swooletask.benchmarks.baseline.NettyBaselineServer 0 2 \
	"$TASK_WORKERS" pool-writes
PORTS[baseline-pool-writes]=$SERVER_PORT

# One run; appends "<generator> <server> <req/s> <server CPU ms per 1000 requests>" to runs.txt.
drive() { # generator server round
	local generator=$1 server=$2 round=$3 log="$OUT/runs/$3-$1-$2.txt" pid rps cpu
	pid=$(cat "$OUT/$server.pid")
	if [[ $generator == project ]]; then
		# shellcheck disable=SC2086 # the classes are a word list on purpose
		"$LOADGEN" --port "${PORTS[$server]}" --server-pid "$pid" --duration "${DURATION}s" --warmup "${WARMUP}s" \
			--drain 3s --scenario "$SCENARIO" --server "$server" --run "$round" ${SCENARIO_CLASSES[$SCENARIO]} > "$log"
		rps=$(grep '^RESULT ' "$log" | grep -o '"throughput":[0-9.]*' | cut -d: -f2)
		cpu=$(grep '^RESULT ' "$log" | grep -o '"serverCpuMsPer1k":[0-9.]*' | cut -d: -f2)
	else
		# shellcheck disable=SC2086 # the mix is a word list on purpose
		"$OUTSIDE_LOADGEN" --port "${PORTS[$server]}" --server-pid "$pid" --duration "$DURATION" \
			--warmup "$WARMUP" --drain 3 ${OUTSIDE_MIX[$SCENARIO]} > "$log"
		rps=$(tail -1 "$log" | grep -o '"total":{"completed":[0-9]*,"rps":[0-9.]*' | grep -o '[0-9.]*$')
		cpu=$(tail -1 "$log" | grep -o '"server_pct":[0-9.]*' | cut -d: -f2 \
			| awk -v rps="$rps" '{ printf "%.4f", $1 * 10000 / rps }')
	fi
	echo "$generator $server $rps $cpu" | tee -a "$OUT/runs.txt"
}

servers=(starter baseline baseline-pool-writes)
echo "warming each server up with one uncounted run of each generator ..."
for server in "${servers[@]}"; do
	for generator in project outside; do
		drive "$generator" "$server" 0 > /dev/null
	done
done
: > "$OUT/runs.txt"
for round in $(seq 1 "$ROUNDS"); do
	for i in 0 1 2; do
		server=${servers[$(((i + round) % 3))]}
		if ((round % 2 == 1)); then order="project outside"; else order="outside project"; fi
		for generator in $order; do
			drive "$generator" "$server" "$round"
		done
	done
done

awk '
	{ rps[$1 " " $2] = rps[$1 " " $2] " " $3; cpu[$1 " " $2] = cpu[$1 " " $2] " " $4 }
	function median(list,    n, v, i, j, t) {
		n = split(list, v, " ")
		for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
		return (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
	}
	END {
		printf "%-8s %-21s %10s %10s\n", "tool", "server", "req/s", "cpu/1k"
		split("project outside", tools, " ")
		split("starter baseline baseline-pool-writes", names, " ")
		for (t = 1; t <= 2; t++) {
			for (s = 1; s <= 3; s++) {
				key = tools[t] " " names[s]
				r[key] = median(rps[key]); c[key] = median(cpu[key])
				printf "%-8s %-21s %10.0f %10.3f\n", tools[t], names[s], r[key], c[key]
			}
			printf "%-8s starter / baseline %.2f, starter / baseline-pool-writes %.2f\n", tools[t],
				r[tools[t] " starter"] / r[tools[t] " baseline"],
				r[tools[t] " starter"] / r[tools[t] " baseline-pool-writes"]
		}
	}' "$OUT/runs.txt" | tee "$OUT/summary.txt"
