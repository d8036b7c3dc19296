#!/usr/bin/env bash
# Task workers on other nodes through RabbitMQ (swoole.server.task-transport=amqp): what the broker round
# trip costs, and whether a second worker node doubles the throughput of slow tasks. Alternating runs,
# RUNS of each, medians and ratios. Needs RabbitMQ on 127.0.0.1:5672, guest/guest (docs/scale-out.md).
#
#   benchmarks/scale-out.sh                                  # about 18 minutes on 2 cores
#   RUNS=5 SCENARIOS="slow" benchmarks/scale-out.sh
#   QUEUE_TYPE=classic PREFETCH=10 SCENARIOS=rt4 benchmarks/scale-out.sh
#
#   round trip (scenarios rt4, rt1, rt16): T requests, 64 connections x depth 4, 1 and 16, against
#     "local", the starter with its in-process pool of 4 task workers, and "amqp", a TCP node with
#     task-worker-num 0 whose tasks go through the broker to one worker-only node with 4 task workers.
#     Ratio amqp / local. rt4 adds "raw", the ceiling: the same round trip with the RabbitMQ Java client
#     alone (BrokerRoundTrip), with the same queue type, prefetch and requests in flight; ratio amqp / raw.
#   slow tasks (scenario slow): S20 requests, 32 connections x depth 4, through the broker to "one"
#     worker-only node of 4 task workers and to "two" of them (4 each). Ratio two / one: ideally 2.00,
#     since 4 workers sleeping 20 ms per task take at most 200 tasks/s and 8 take 400.
#
# Servers (StarterBenchServer, each JVM with SERVER_JVM_OPTS), all started first and stopped by PID at
# the end, so that every run of a pair finds its servers equally warm; the ones a run does not use idle:
#   local              local transport, 4 task workers
#   tcp1 + worker1     queue <QUEUE>.one: TCP node (0 task workers) + 1 worker-only node (listen=false, 4)
#   tcp2 + worker2a/b  queue <QUEUE>.two: TCP node (0 task workers) + 2 worker-only nodes (4 each)
# A worker-only node prints READY port=none once its task workers consume (StarterBenchServer's
# ReadyAnnouncer). "amqp" and "one" are both tcp1 + worker1. The queues are new for each invocation and
# deleted at the end with what the nodes declared for them (<q>.dead, <q>.dlx, the reply queues). Before
# the measured runs, local, tcp1 and tcp2 each get PRIME of 64 x 16 T requests (discarded), so that the
# JIT has compiled the broker paths of every node before any pair is compared.
#
# Besides the driver's numbers, each run records the CPU time (utime + stime from /proc) that the nodes
# it used and the broker (beam.smp, when it runs on this machine) spent during the run, warm-up and drain
# included, divided by the requests sent: CPU per request, in summary.txt.
#
# Environment (defaults in brackets):
#   DURATION [10s]  WARMUP [3s]  DRAIN [5s]  RUNS [3]  SCENARIOS ["rt4 rt1 rt16 slow"]  PRIME [10s]
#   QUEUE_TYPE [quorum]  PREFETCH [50]  the work queue's type and the workers' prefetch, for every node
#   SERVER_JVM_OPTS ["-Xms1g -Xmx1g -XX:+AlwaysPreTouch"]  the same for every server (six JVMs)
#   DRIVER_JVM_OPTS ["-Xms512m -Xmx512m"]
#   QUEUE [bench.<timestamp>]  RABBITMQ_HOST [127.0.0.1]  RABBITMQ_PORT [5672]
# Writes benchmarks/results/<timestamp>-scale-out/: results-round-trip.txt and results-slow.txt (the
# RESULT lines), ceiling.txt (the raw round trips), cpu.txt, summary.txt (with each node's AMQP counters, printed when it stopped), runs/
# (each driver run's output), the servers' logs and env.txt.
set -euo pipefail

cd "$(dirname "$0")/.."
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-3s}
DRAIN=${DRAIN:-5s}
RUNS=${RUNS:-3}
SCENARIOS=${SCENARIOS:-rt4 rt1 rt16 slow}
PRIME=${PRIME:-10s}
SERVER_JVM_OPTS=${SERVER_JVM_OPTS:--Xms1g -Xmx1g -XX:+AlwaysPreTouch}
DRIVER_JVM_OPTS=${DRIVER_JVM_OPTS:--Xms512m -Xmx512m}
QUEUE=${QUEUE:-bench.$(date +%Y%m%d-%H%M%S)}
RABBITMQ_HOST=${RABBITMQ_HOST:-127.0.0.1}
RABBITMQ_PORT=${RABBITMQ_PORT:-5672}
TASK_WORKERS=4
QUEUE_TYPE=${QUEUE_TYPE:-quorum}
PREFETCH=${PREFETCH:-50}

declare -A CLASSES=(
	[rt1]="--class 64:T:1"
	[rt4]="--class 64:T:4"
	[rt16]="--class 64:T:16"
	[slow]="--class 32:S20:4"
)
declare -A PAIRS=( # denominator numerator [ceiling]: odd runs in this order, even runs the other way round
	[rt1]="local amqp"
	[rt4]="local amqp raw"
	[rt16]="local amqp"
	[slow]="one two"
)
declare -A PARTS=([rt1]=round-trip [rt4]=round-trip [rt16]=round-trip [slow]=slow)
# the requests in flight of each scenario, which the raw broker round trip keeps in flight too
declare -A IN_FLIGHT=([rt1]=64 [rt4]=256 [rt16]=1024 [slow]=128)

source benchmarks/lib.sh
for scenario in $SCENARIOS; do
	[[ -n ${CLASSES[$scenario]:-} ]] || { echo "unknown scenario $scenario (use rt1, rt16, slow)" >&2; exit 2; }
done
build_if_needed
BROKER=(--host "$RABBITMQ_HOST" --port "$RABBITMQ_PORT")
BROKER_VERSION=$(java -cp "$CLASSPATH" io.swooletask.benchmarks.BrokerTool "${BROKER[@]}" version) \
	|| { echo "no RabbitMQ on $RABBITMQ_HOST:$RABBITMQ_PORT (guest/guest)" >&2; exit 2; }
OUT=$(results_dir scale-out)
mkdir -p "$OUT/runs"
echo "results in $OUT"
record_env "$OUT" "DURATION=$DURATION WARMUP=$WARMUP DRAIN=$DRAIN RUNS=$RUNS SCENARIOS=$SCENARIOS PRIME=$PRIME \
QUEUE=$QUEUE"
echo "broker: $BROKER_VERSION on $RABBITMQ_HOST:$RABBITMQ_PORT" >> "$OUT/env.txt"
BROKER_PID=""
if [[ $RABBITMQ_HOST == 127.0.0.1 || $RABBITMQ_HOST == localhost ]] && (($(pgrep -cx beam.smp || true) == 1)); then
	BROKER_PID=$(pgrep -x beam.smp)
fi
echo "broker process for CPU accounting: ${BROKER_PID:-none found}" >> "$OUT/env.txt"
CLK_TCK=$(getconf CLK_TCK)

# Stops the servers, then deletes the queues and exchange they declared, and their reply queues.
finish() {
	stop_servers
	local replies=()
	local queue
	for queue in $(sed -n 's/^AMQP .*replyQueue=\([^ ]*\).*/\1/p' "$OUT"/*.log 2>/dev/null); do
		replies+=(--queue "$queue")
	done
	java -cp "$CLASSPATH" io.swooletask.benchmarks.BrokerTool "${BROKER[@]}" delete "$QUEUE.one" "$QUEUE.two" \
		"${replies[@]}" > "$OUT/broker-cleanup.txt" 2>&1 \
		|| echo "could not delete the queues $QUEUE.*; see $OUT/broker-cleanup.txt" >&2
}
trap finish EXIT
trap 'exit 130' INT TERM

MAIN=io.swooletask.benchmarks.starter.StarterBenchServer
AMQP=(--swoole.server.task-transport=amqp --spring.rabbitmq.host="$RABBITMQ_HOST"
	--spring.rabbitmq.port="$RABBITMQ_PORT" --swoole.server.amqp.reply-queue-expiry=1m
	--swoole.server.amqp.queue-type="$QUEUE_TYPE" --spring.rabbitmq.listener.simple.prefetch="$PREFETCH")
WORKER=(--swoole.server.listen=false --swoole.server.task-worker-num="$TASK_WORKERS")
TCP=(--swoole.server.port=0 --swoole.server.task-worker-num=0)

start_server local "$OUT" "$MAIN" --swoole.server.port=0 --swoole.server.task-worker-num="$TASK_WORKERS"
LOCAL_PORT=$SERVER_PORT
start_server worker1 "$OUT" "$MAIN" "${AMQP[@]}" "${WORKER[@]}" --swoole.server.amqp.task-queue="$QUEUE.one"
start_server tcp1 "$OUT" "$MAIN" "${AMQP[@]}" "${TCP[@]}" --swoole.server.amqp.task-queue="$QUEUE.one"
TCP1_PORT=$SERVER_PORT
start_server worker2a "$OUT" "$MAIN" "${AMQP[@]}" "${WORKER[@]}" --swoole.server.amqp.task-queue="$QUEUE.two"
start_server worker2b "$OUT" "$MAIN" "${AMQP[@]}" "${WORKER[@]}" --swoole.server.amqp.task-queue="$QUEUE.two"
start_server tcp2 "$OUT" "$MAIN" "${AMQP[@]}" "${TCP[@]}" --swoole.server.amqp.task-queue="$QUEUE.two"
TCP2_PORT=$SERVER_PORT

port_of() { # server
	case $1 in
		local) echo "$LOCAL_PORT" ;;
		amqp | one) echo "$TCP1_PORT" ;;
		two) echo "$TCP2_PORT" ;;
	esac
}

nodes_of() { # server: the names of the node JVMs a run against it uses
	case $1 in
		local) echo local ;;
		amqp | one) echo "tcp1 worker1" ;;
		two) echo "tcp2 worker2a worker2b" ;;
		raw) ;;
	esac
}

prime() { # server
	local server=$1
	echo "== priming $server for $PRIME (discarded)"
	# shellcheck disable=SC2086 # the options are a word list on purpose
	java $DRIVER_JVM_OPTS -cp "$CLASSPATH" io.swooletask.benchmarks.LoadDriver --port "$(port_of "$server")" \
		--duration "$PRIME" --warmup 1s --drain "$DRAIN" --scenario prime --server "$server" \
		--class 64:T:16 > "$OUT/runs/prime-$server.txt"
}

# The raw broker round trip (BrokerRoundTrip) with the scenario's requests in flight, the work queue of the
# transport's type and its prefetch, the worker node's 4 consumers: the ceiling of the transport.
ceiling() { # scenario run
	local scenario=$1 run=$2
	local log="$OUT/runs/$scenario-$run-raw.txt" broker_before=0 broker_after=0
	[[ -z $BROKER_PID ]] || broker_before=$(cpu_ticks "$BROKER_PID")
	# shellcheck disable=SC2086 # the options are a word list on purpose
	java $DRIVER_JVM_OPTS -cp "$CLASSPATH" io.swooletask.benchmarks.BrokerRoundTrip "${BROKER[@]}" \
		--queue "$QUEUE.raw" --queue-type "$QUEUE_TYPE" --prefetch "$PREFETCH" --workers "$TASK_WORKERS" \
		--in-flight "${IN_FLIGHT[$scenario]}" --duration "${DURATION%s}" --warmup "${WARMUP%s}" > "$log"
	[[ -z $BROKER_PID ]] || broker_after=$(cpu_ticks "$BROKER_PID")
	cat "$log"
	local rate
	rate=$(sed -n 's/^CEILING //p' "$log")
	echo "$scenario $run ${rate:-0}" >> "$OUT/ceiling.txt"
	awk -v s="$scenario" -v r="$run" -v n="$rate" -v d="${DURATION%s}" -v w="${WARMUP%s}" -v hz="$CLK_TCK" \
		-v bt=$((broker_after - broker_before)) -v b="$BROKER_PID" 'BEGIN {
			sent = n * (d + w); if (sent == 0) { printf "%s raw %s 0 - -\n", s, r; exit }
			printf "%s raw %s %d - %s\n", s, r, sent, (b == "") ? "-" : sprintf("%.0f", bt * 1e6 / hz / sent)
		}' >> "$OUT/cpu.txt"
}

drive() { # scenario run server
	local scenario=$1 run=$2 server=$3
	if [[ $server == raw ]]; then
		ceiling "$scenario" "$run"
		return
	fi
	local log="$OUT/runs/$scenario-$run-$server.txt"
	local pids=() name
	for name in $(nodes_of "$server"); do
		pids+=("$(cat "$OUT/$name.pid")")
	done
	local nodes_before broker_before=0 nodes_after broker_after=0
	nodes_before=$(cpu_ticks "${pids[@]}")
	[[ -z $BROKER_PID ]] || broker_before=$(cpu_ticks "$BROKER_PID")
	# shellcheck disable=SC2086 # the options are word lists on purpose
	java $DRIVER_JVM_OPTS -cp "$CLASSPATH" io.swooletask.benchmarks.LoadDriver --port "$(port_of "$server")" \
		--duration "$DURATION" --warmup "$WARMUP" --drain "$DRAIN" \
		--scenario "$scenario" --server "$server" --run "$run" ${CLASSES[$scenario]} > "$log"
	nodes_after=$(cpu_ticks "${pids[@]}")
	[[ -z $BROKER_PID ]] || broker_after=$(cpu_ticks "$BROKER_PID")
	grep -v '^RESULT ' "$log"
	grep '^RESULT ' "$log" >> "$OUT/results-${PARTS[$scenario]}.txt"
	local sent
	sent=$(grep '^RESULT ' "$log" | grep -o '"sent":[0-9]*' | awk -F: '{ n += $2 } END { print n + 0 }')
	# scenario server run requests node-CPU-us/request broker-CPU-us/request (broker: - when not measured)
	awk -v s="$scenario" -v v="$server" -v r="$run" -v n="$sent" -v hz="$CLK_TCK" -v nt=$((nodes_after - nodes_before)) \
		-v bt=$((broker_after - broker_before)) -v b="$BROKER_PID" 'BEGIN {
			if (n == 0) { printf "%s %s %s 0 - -\n", s, v, r; exit }
			printf "%s %s %s %d %.0f %s\n", s, v, r, n, nt * 1e6 / hz / n, (b == "") ? "-" : sprintf("%.0f", bt * 1e6 / hz / n)
		}' >> "$OUT/cpu.txt"
}

median() { # numbers on stdin
	sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2];
		else printf "%.0f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

cpu_summary() {
	echo "# CPU per request, microseconds (median over the runs): the node JVMs of the run, and the broker"
	printf '    %-8s %-6s %14s %14s %14s\n' scenario server nodes broker total
	local scenario server nodes broker
	while read -r scenario server; do
		nodes=$(awk -v s="$scenario" -v v="$server" '$1 == s && $2 == v && $5 != "-" { print $5 }' "$OUT/cpu.txt" \
			| median)
		broker=$(awk -v s="$scenario" -v v="$server" '$1 == s && $2 == v && $6 != "-" { print $6 }' "$OUT/cpu.txt" \
			| median)
		printf '    %-8s %-6s %14s %14s %14s\n' "$scenario" "$server" "$nodes" "$broker" \
			"$(awk -v n="$nodes" -v b="$broker" 'BEGIN { print (b == "-") ? n : n + b }')"
	done < <(awk '!seen[$1 " " $2]++ { print $1, $2 }' "$OUT/cpu.txt")
}

primed=" "
for scenario in $SCENARIOS; do
	for server in ${PAIRS[$scenario]}; do
		[[ $server != raw ]] || continue
		port=$(port_of "$server")
		[[ $primed != *" $port "* ]] || continue
		primed+="$port "
		prime "$server"
	done
done

for scenario in $SCENARIOS; do
	read -r -a servers <<< "${PAIRS[$scenario]}"
	for run in $(seq 1 "$RUNS"); do
		# alternate the order, so that none always runs on a machine another just heated
		if ((run % 2 == 1)); then order="${servers[*]}"; else order=$(printf '%s\n' "${servers[@]}" | tac | xargs); fi
		for server in $order; do
			echo "== $scenario run $run: $server"
			drive "$scenario" "$run" "$server"
		done
	done
done

{
	if [[ -f $OUT/results-round-trip.txt ]]; then
		echo "# round trip: local = starter, 4 task workers in process; amqp = TCP node + 1 worker-only node (4)"
		java -cp "$CLASSPATH" io.swooletask.benchmarks.report.Summary --task-workers 0 --ratio amqp/local \
			"$OUT/results-round-trip.txt"
		echo
	fi
	if [[ -f $OUT/ceiling.txt ]]; then
		echo "# the raw broker round trip (BrokerRoundTrip: the Java client alone, same queue type, prefetch,"
		echo "# messages and requests in flight), and the transport (amqp) as a fraction of it; req/s, medians"
		printf '    %-8s %12s %12s %8s\n' scenario raw amqp amqp/raw
		for scenario in $(awk '!seen[$1]++ { print $1 }' "$OUT/ceiling.txt"); do
			raw=$(awk -v s="$scenario" '$1 == s { print $3 }' "$OUT/ceiling.txt" | median)
			amqp=$(grep "\"scenario\":\"$scenario\"" "$OUT/results-round-trip.txt" | grep '"server":"amqp"' \
				| grep -o '"throughput":[0-9.]*' | cut -d: -f2 | median)
			printf '    %-8s %12s %12s %8s\n' "$scenario" "$raw" "$amqp" \
				"$(awk -v a="$amqp" -v r="$raw" 'BEGIN { if (r > 0) printf "%.2f", a / r; else print "-" }')"
		done
		echo
	fi
	if [[ -f $OUT/results-slow.txt ]]; then
		echo "# slow tasks through the broker: one = 1 worker-only node (4 task workers), two = 2 of them (8)"
		echo "# ceiling: 4 workers / 20 ms = 200 req/s for one, 400 req/s for two"
		java -cp "$CLASSPATH" io.swooletask.benchmarks.report.Summary --task-workers 0 --ratio two/one \
			"$OUT/results-slow.txt"
		echo
	fi
	cpu_summary
} | tee "$OUT/summary.txt"

# the nodes print their AMQP counters when they stop
stop_servers
{
	echo
	echo "AMQP counters of each node, over the whole invocation (warm-ups included):"
	for name in tcp1 worker1 tcp2 worker2a worker2b; do
		printf '  %-9s %s\n' "$name" "$(grep -m1 '^AMQP ' "$OUT/$name.log" || echo "(none printed)")"
	done
} | tee -a "$OUT/summary.txt"
