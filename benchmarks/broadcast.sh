#!/usr/bin/env bash
# The sample's chat room (profile chat: every "SAY <text>" is a task, ordered by sender, that broadcasts
# "<id>: <text>" to every open connection) on two TCP nodes through RabbitMQ against the local broadcast
# on one node, with the same clients: broadcast throughput, and the CPU it costs the servers, the broker
# and the load generator. Alternating runs, RUNS of each after one unmeasured warm-up round, medians and
# the ratio cluster / local. Needs RabbitMQ on 127.0.0.1:5672, guest/guest (docs/scale-out.md).
#
#   benchmarks/broadcast.sh                                  # 3 runs: 32 clients, 4 senders x 2000 lines
#   RUNS=1 LINES=300 CLIENTS=8 benchmarks/broadcast.sh       # a quick check
#   CLIENTS=64 SENDERS=8 LINES=5000 benchmarks/broadcast.sh
#   MAVEN_ARGS=-o benchmarks/broadcast.sh                    # build the sample offline if its jar is missing
#
# Servers: the sample's jar (sample-app/target/sample-app-0.1.0-SNAPSHOT.jar, built with
# ./mvnw -B -q -pl sample-app -am package -DskipTests when missing; rebuild it yourself after changing the
# sources), each JVM with SERVER_JVM_OPTS and --swoole.server.port=0, all four started once, first, and
# stopped by PID at the end, so that every run of a pair finds its servers equally warm:
#   local              --spring.profiles.active=chat: local task transport, 4 task workers
#   tcp1, tcp2         --spring.profiles.active=chat,amqp --swoole.server.task-worker-num=0: TCP nodes,
#                      whose tasks go through the broker
#   worker             --spring.profiles.active=chat,amqp,worker --swoole.server.task-worker-num=4: no
#                      listener; runs the tasks, whose broadcasts go through the fanout exchange to the
#                      node queue of each TCP node
# The amqp nodes share the task queue QUEUE, new for each invocation. At the end the script deletes with
# rabbitmqctl the queues the nodes declared for it (<q>, <q>.dead, <q>.ordered.0-3, <q>.replies.*; the
# node queues <q>.node.* go with their nodes) and the exchanges <q>.dlx and <q>.broadcast (rabbitmqctl eval).
#
# Load: the native generator benchmarks/target/broadcast (benchmarks/native/broadcast.c, compiled here when
# missing or older than its source): CLIENTS connections, all listeners, the first SENDERS of them also
# say LINES lines each, pipelined. Against local all connect to its one port; against cluster they are
# spread round-robin over tcp1 and tcp2, so that half of the lines cross the broker to the other node's
# clients. After every client has heard a warm line of every sender, the clock runs until every client
# has heard all SENDERS x LINES lines; each sender's lines must come once and in order. Odd runs take local
# first, even runs cluster first; run 0, the warm-up, is not counted.
#
# Besides the generator's RESULT line, each run records the CPU time (utime + stime from /proc/<pid>/stat)
# that each server process it used and the broker (beam.smp, when exactly one runs on this machine) spent
# during the generator's run, connect and warm-up included; the generator reports its own (getrusage).
#
# Environment (defaults in brackets):
#   RUNS [3]  CLIENTS [32]  SENDERS [4]  LINES [2000]  TIMEOUT [60] seconds per generator run
#   STALL [10] seconds without a new line heard after which a generator run gives up (lines dropped)
#   SERVER_JVM_OPTS ["-Xms512m -Xmx512m"]  the same for every server (four JVMs)
#   QUEUE [bench.broadcast.<timestamp>]
# Writes benchmarks/results/<timestamp>-broadcast/: results.txt (one line per measured run: the RESULT
# fields plus the CPU ms of each server and of the broker), summary.txt (medians of lines/s for local and
# cluster, the ratio cluster/local, CPU ms per 1,000 deliveries of the servers, the broker and the
# generator, and the ERROR lines in the servers' logs), runs/ (each generator run's output, warm-up
# included), the servers' logs, broker-cleanup.txt and env.txt. Exit status 1 if a generator run failed
# (timeout, stall, lost, duplicate, out-of-order or unexpected lines); a failed run stays out of the medians.
# A TCP node whose node-queue consumer the broker closes loses the broadcasts until the consumer is back
# (about 5 s later): that run stalls with lost > 0, and its server_errors and summary.txt show the ERROR.
set -euo pipefail

cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
CLIENTS=${CLIENTS:-32}
SENDERS=${SENDERS:-4}
LINES=${LINES:-2000}
TIMEOUT=${TIMEOUT:-60}
STALL=${STALL:-10}
SERVER_JVM_OPTS=${SERVER_JVM_OPTS:--Xms512m -Xmx512m}
QUEUE=${QUEUE:-bench.broadcast.$(date +%Y%m%d-%H%M%S)}
JAR=sample-app/target/sample-app-0.1.0-SNAPSHOT.jar
BROADCAST=benchmarks/target/broadcast
TASK_WORKERS=4
ORDERED_PARTITIONS=4 # the sample's default swoole.server.amqp.ordered-partitions
RABBITMQ_HOST=127.0.0.1
RABBITMQ_PORT=5672

source benchmarks/lib.sh


# rabbitmqctl as root (it needs the broker's Erlang cookie), never prompting for a password.
ctl() {
	if [[ $(id -u) -eq 0 ]]; then rabbitmqctl "$@"; else sudo -n rabbitmqctl "$@"; fi
}

for number in RUNS CLIENTS SENDERS LINES TIMEOUT STALL; do
	[[ ${!number} =~ ^[0-9]+$ ]] || { echo "$number must be a whole number: ${!number}" >&2; exit 2; }
done
((RUNS >= 1 && CLIENTS >= 1 && SENDERS >= 1 && LINES >= 1 && SENDERS <= CLIENTS)) \
	|| { echo "need RUNS, CLIENTS, SENDERS, LINES >= 1 and SENDERS <= CLIENTS" >&2; exit 2; }
if ! timeout 2 bash -c "exec 3<>/dev/tcp/$RABBITMQ_HOST/$RABBITMQ_PORT" 2> /dev/null; then
	echo "no RabbitMQ on $RABBITMQ_HOST:$RABBITMQ_PORT: the cluster runs need one, guest/guest" \
		"(docs/scale-out.md)" >&2
	exit 2
fi
HAVE_CTL=0
if command -v rabbitmqctl > /dev/null 2>&1 && ctl -q status > /dev/null 2>&1; then
	HAVE_CTL=1
	ctl -q authenticate_user guest guest > /dev/null 2>&1 \
		|| { echo "RabbitMQ on $RABBITMQ_HOST:$RABBITMQ_PORT does not take guest/guest" >&2; exit 2; }
fi
if [[ ! -f $JAR ]]; then
	echo "building $JAR ..."
	./mvnw -B -q -pl sample-app -am package -DskipTests
fi
[[ -f $JAR ]] || { echo "no $JAR after the build" >&2; exit 2; }
build_native benchmarks/native/broadcast.c "$BROADCAST"

OUT=$(results_dir broadcast)
mkdir -p "$OUT/runs"
echo "results in $OUT"
record_env "$OUT" "RUNS=$RUNS CLIENTS=$CLIENTS SENDERS=$SENDERS LINES=$LINES TIMEOUT=$TIMEOUT STALL=$STALL \
QUEUE=$QUEUE"
{
	echo "jar: $JAR ($(date -r "$JAR" -Is))"
	if ((HAVE_CTL)); then
		echo "broker: RabbitMQ $(ctl -q version 2>/dev/null || echo unknown) on $RABBITMQ_HOST:$RABBITMQ_PORT"
	else
		echo "broker: on $RABBITMQ_HOST:$RABBITMQ_PORT; no rabbitmqctl here, so its queues are not deleted at the end"
	fi
} >> "$OUT/env.txt"
BROKER_PID=""
if (($(pgrep -cx beam.smp || true) == 1)); then
	BROKER_PID=$(pgrep -x beam.smp)
fi
echo "broker process for CPU accounting: ${BROKER_PID:-none found}" >> "$OUT/env.txt"
CLK_TCK=$(getconf CLK_TCK)

# Stops the servers by PID, then deletes what the amqp nodes declared for QUEUE.
finish() {
	stop_servers
	((HAVE_CTL)) || return 0
	{
		local queue
		local queues=("$QUEUE" "$QUEUE.dead")
		for ((p = 0; p < ORDERED_PARTITIONS; p++)); do
			queues+=("$QUEUE.ordered.$p")
		done
		while read -r queue; do
			queues+=("$queue")
		done < <(ctl -q list_queues name 2>/dev/null | grep -F "$QUEUE.replies." || true)
		for queue in "${queues[@]}"; do
			ctl -q delete_queue "$queue" 2>&1 | sed "s/^/$queue: /" || true
		done
		local exchange
		for exchange in "$QUEUE.dlx" "$QUEUE.broadcast"; do
			echo "$exchange: $(ctl -q eval "rabbit_exchange:delete(rabbit_misc:r(<<\"/\">>, exchange, \
<<\"$exchange\">>), false, <<\"broadcast.sh\">>)." 2>&1)"
		done
		echo "left with the prefix $QUEUE:" \
			"$(ctl -q list_queues name 2>/dev/null | grep -cF "$QUEUE" || true) queue(s)," \
			"$(ctl -q list_exchanges name 2>/dev/null | grep -cF "$QUEUE" || true) exchange(s)"
	} > "$OUT/broker-cleanup.txt" 2>&1 || echo "could not clean up $QUEUE.*; see $OUT/broker-cleanup.txt" >&2
	tail -1 "$OUT/broker-cleanup.txt"
}
trap finish EXIT
trap 'exit 130' INT TERM

# Starts the sample's jar in the background, logging to <dir>/<name>.log, and waits up to 90 s until it
# listens (sets NODE_PORT) or, for a worker node, runs without a listener (NODE_PORT=none).
start_node() { # name args...
	local name=$1
	shift
	# shellcheck disable=SC2086 # the options are a word list on purpose
	java $SERVER_JVM_OPTS -jar "$JAR" --swoole.server.port=0 "$@" > "$OUT/$name.log" 2>&1 &
	local pid=$!
	SERVER_PIDS+=("$pid")
	echo "$pid" > "$OUT/$name.pid"
	NODE_PORT=""
	for _ in $(seq 1 450); do
		NODE_PORT=$(sed -nE 's/.*Swoole server listening on 127\.0\.0\.1:([0-9]+):.*/\1/p' "$OUT/$name.log" | head -1)
		[[ -n $NODE_PORT ]] && break
		if grep -q 'Swoole server running without a listener' "$OUT/$name.log"; then
			NODE_PORT=none
			break
		fi
		kill -0 "$pid" 2>/dev/null || { echo "$name exited; see $OUT/$name.log" >&2; return 1; }
		sleep 0.2
	done
	[[ -n $NODE_PORT ]] || { echo "$name not ready in 90 s; see $OUT/$name.log" >&2; return 1; }
	echo "$name: pid $pid, port $NODE_PORT"
}

AMQP=(--swoole.server.amqp.task-queue="$QUEUE")
start_node local --spring.profiles.active=chat --swoole.server.task-worker-num="$TASK_WORKERS"
LOCAL_PORT=$NODE_PORT
start_node tcp1 --spring.profiles.active=chat,amqp --swoole.server.task-worker-num=0 "${AMQP[@]}"
TCP1_PORT=$NODE_PORT
start_node tcp2 --spring.profiles.active=chat,amqp --swoole.server.task-worker-num=0 "${AMQP[@]}"
TCP2_PORT=$NODE_PORT
start_node worker --spring.profiles.active=chat,amqp,worker --swoole.server.task-worker-num="$TASK_WORKERS" \
	"${AMQP[@]}"

declare -A RUN_PORTS=([local]="$LOCAL_PORT" [cluster]="$TCP1_PORT,$TCP2_PORT")
declare -A RUN_NODES=([local]="local" [cluster]="tcp1 tcp2 worker")

error_lines() { # node...: how many ERROR lines their logs hold so far
	local name total=0 n
	for name in "$@"; do
		n=$(grep -c ' ERROR ' "$OUT/$name.log" || true)
		total=$((total + n))
	done
	echo "$total"
}

ticks_ms() { # ticks
	echo $(($1 * 1000 / CLK_TCK))
}

FAILED=0

# One generator run against local or cluster; a measured one (run > 0) adds its line to results.txt:
# config=<c> run=<n> <the RESULT fields> exit=<status> <node>_cpu_ms=<ms>... servers_cpu_ms=<sum>
# broker_cpu_ms=<ms or -> server_errors=<ERROR lines the nodes of the run logged during it>
drive() { # config run
	local config=$1 run=$2
	local log="$OUT/runs/$run-$config.txt" name
	local -A before after
	local errors_before errors_after
	# shellcheck disable=SC2086 # the node names are a word list on purpose
	errors_before=$(error_lines ${RUN_NODES[$config]})
	for name in ${RUN_NODES[$config]}; do
		before[$name]=$(cpu_ticks "$(cat "$OUT/$name.pid")")
	done
	[[ -z $BROKER_PID ]] || before[broker]=$(cpu_ticks "$BROKER_PID")
	local status=0
	"$BROADCAST" --ports "${RUN_PORTS[$config]}" --clients "$CLIENTS" --senders "$SENDERS" --lines "$LINES" \
		--timeout "$TIMEOUT" --stall "$STALL" > "$log" 2>&1 || status=$?
	for name in ${RUN_NODES[$config]}; do
		after[$name]=$(cpu_ticks "$(cat "$OUT/$name.pid")")
	done
	[[ -z $BROKER_PID ]] || after[broker]=$(cpu_ticks "$BROKER_PID")
	# shellcheck disable=SC2086 # the node names are a word list on purpose
	errors_after=$(error_lines ${RUN_NODES[$config]})
	local cpu="" servers=0 ms
	for name in ${RUN_NODES[$config]}; do
		ms=$(ticks_ms $((after[$name] - before[$name])))
		servers=$((servers + ms))
		cpu+=" ${name}_cpu_ms=$ms"
	done
	cpu+=" servers_cpu_ms=$servers broker_cpu_ms="
	if [[ -n $BROKER_PID ]]; then cpu+=$(ticks_ms $((after[broker] - before[broker]))); else cpu+=-; fi
	cpu+=" server_errors=$((errors_after - errors_before))"
	echo "CPU$cpu" >> "$log"
	local result
	result=$(sed -n 's/^RESULT //p' "$log")
	local label="$config run $run"
	((run > 0)) || label="$config warm-up"
	echo "  $label: ${result:-no RESULT} exit=$status$cpu"
	if ((status != 0)); then
		echo "  $label: the generator failed (exit $status); see $log" >&2
		grep -v '^RESULT \|^CPU ' "$log" | sed 's/^/    /' >&2 || true
	fi
	if ((run > 0)); then
		((status == 0)) || FAILED=1
		echo "config=$config run=$run ${result:-} exit=$status$cpu" >> "$OUT/results.txt"
	fi
}

for run in $(seq 0 "$RUNS"); do
	# alternate the order, so that neither always runs on a machine the other just heated
	if ((run % 2 == 1)); then order="local cluster"; else order="cluster local"; fi
	if ((run == 0)); then echo "== warm-up round (not counted)"; else echo "== run $run"; fi
	for config in $order; do
		drive "$config" "$run"
		sleep 1
	done
done

# The median of the numbers on stdin ("-" when none).
median() {
	sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2];
		else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# The values of a field over the measured runs of a config that succeeded; per 1,000 deliveries with
# "per-k" (field / (clients x senders x lines) x 1000).
field() { # config name [per-k]
	awk -v c="config=$1" -v f="$2" -v k="${3:-}" '$1 == c {
		delete v
		for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
		if (v["exit"] != 0 || v[f] == "" || v[f] == "-") next
		if (k == "") print v[f]; else printf "%.4f\n", v[f] * 1000 / (v["clients"] * v["senders"] * v["lines"])
	}' "$OUT/results.txt"
}

fmt() { # number [decimals]
	awk -v n="$1" -v d="${2:-0}" 'BEGIN { if (n == "-") print "-"; else printf "%." d "f\n", n }'
}

{
	deliveries=$((CLIENTS * SENDERS * LINES))
	echo "# chat broadcast: $CLIENTS clients, $SENDERS senders x $LINES lines = $((SENDERS * LINES)) lines," \
		"$deliveries deliveries per run; medians over $RUNS run(s)"
	echo "# local = 1 node, local transport, 4 task workers; cluster = clients on 2 TCP nodes (0 task workers),"
	echo "# tasks and broadcasts through RabbitMQ, 1 worker node (4 task workers)"
	failed_runs=$(awk '$0 !~ / exit=0 /' "$OUT/results.txt" | wc -l)
	echo "runs that failed (timeout, stall, or a lost, duplicate, out-of-order or unexpected line): $failed_runs;" \
		"they are left out of the medians"
	for config in local cluster; do
		echo "$config: lost=$(field "$config" lost | awk '{ n += $1 } END { print n + 0 }')" \
			"out_of_order=$(field "$config" out_of_order | awk '{ n += $1 } END { print n + 0 }')" \
			"duplicates=$(field "$config" duplicates | awk '{ n += $1 } END { print n + 0 }')" \
			"(summed over the successful runs; see results.txt for all)"
	done
	echo
	local_lps=$(field local lines_per_s | median)
	cluster_lps=$(field cluster lines_per_s | median)
	printf '%-34s %12s %12s\n' "" local cluster
	printf '%-34s %12s %12s\n' "lines/s" "$(fmt "$local_lps")" "$(fmt "$cluster_lps")"
	printf '%-34s %12s %12s\n' "deliveries/s" "$(fmt "$(field local deliveries_per_s | median)")" \
		"$(fmt "$(field cluster deliveries_per_s | median)")"
	printf '%-34s %12s %12s\n' "seconds" "$(fmt "$(field local seconds | median)" 3)" \
		"$(fmt "$(field cluster seconds | median)" 3)"
	echo "ratio cluster/local (lines/s): $(awk -v c="$cluster_lps" -v l="$local_lps" \
		'BEGIN { if (c == "-" || l == "-" || l == 0) print "-"; else printf "%.2f\n", c / l }')"
	echo
	echo "# CPU ms per 1,000 deliveries (median over the runs), over each generator run, connect and warm-up"
	echo "# included"
	printf '%-34s %12s %12s\n' "" local cluster
	printf '%-34s %12s %12s\n' "servers (the nodes the run used)" \
		"$(fmt "$(field local servers_cpu_ms per-k | median)" 3)" \
		"$(fmt "$(field cluster servers_cpu_ms per-k | median)" 3)"
	for name in tcp1 tcp2 worker; do
		printf '%-34s %12s %12s\n' "  $name" "" "$(fmt "$(field cluster "${name}_cpu_ms" per-k | median)" 3)"
	done
	printf '%-34s %12s %12s\n' "broker (beam.smp${BROKER_PID:+ pid $BROKER_PID})" \
		"$(fmt "$(field local broker_cpu_ms per-k | median)" 3)" \
		"$(fmt "$(field cluster broker_cpu_ms per-k | median)" 3)"
	printf '%-34s %12s %12s\n' "generator (getrusage)" "$(fmt "$(field local cpu_ms per-k | median)" 3)" \
		"$(fmt "$(field cluster cpu_ms per-k | median)" 3)"
	echo "(the broker's CPU in local runs is what it spends without this benchmark: other clients, idling)"
	echo
	echo "# ERROR lines in the servers' logs before they were stopped (warm-up round included)"
	for name in local tcp1 tcp2 worker; do
		echo "$name: $(grep -c ' ERROR ' "$OUT/$name.log" || true)"
		# the distinct messages, ids and delivery tags left out, most frequent first
		grep ' ERROR ' "$OUT/$name.log" | sed -E 's/^[^ ]+ +ERROR [0-9]+ --- \[[^]]*\] [^ ]+ +: //' | cut -c1-150 \
			| sed -E 's/[0-9a-f]{32}/<id>/g; s/tag [0-9]+/tag <n>/g; s/ctag-[^ ]+/ctag-<id>/g' \
			| sed -E 's/identity=[0-9a-f]+/identity=<id>/g' | sort | uniq -c | sort -rn | head -5 | sed 's/^/    /' \
			|| true
	done
} | tee "$OUT/summary.txt"

((FAILED == 0)) || { echo "some generator runs failed; see $OUT/runs" >&2; exit 1; }
