# Shared by run.sh, compare.sh, soak.sh, idle.sh and scale-out.sh: build, result folders, scenarios, and
# servers started and stopped by their own PID. Source it from the repository root.

CLASSPATH="benchmarks/target/benchmarks.jar:benchmarks/target/lib/*"
LOADGEN=benchmarks/target/loadgen
SERVER_PIDS=()

# The connection classes of each load scenario (see docs/benchmarks.md, Scenarios).
declare -A SCENARIO_CLASSES=(
	[A]="--class 64:T:1"
	[B]="--class 64:T:16"
	[C]="--class 64:E:1"
	[D]="--class 16:S20:4 --class 8:E:1"
)

# Builds the module and what it depends on if the jar is missing or older than any source.
build_if_needed() {
	local jar=benchmarks/target/benchmarks.jar
	if [[ ! -f $jar ]] || [[ -n $(find pom.xml benchmarks/pom.xml benchmarks/src swoole-task-spring-boot-*/src \
		swoole-task-spring-boot-*/pom.xml -newer "$jar" -print -quit) ]]; then
		echo "building benchmarks ..."
		./mvnw -B -q -pl benchmarks -am package -DskipTests
	fi
}

# Compiles the native load generator if it is missing or older than its source.
build_loadgen() {
	build_native benchmarks/native/loadgen.c "$LOADGEN" -lm
}

# Compiles a C program if its binary is missing or older than its source, installing a C compiler
# (Debian's build-essential) first if there is none.
build_native() { # source binary [libraries...]
	local source=$1 binary=$2
	shift 2
	if [[ -x $binary && ! $source -nt $binary ]]; then
		return
	fi
	if ! command -v cc > /dev/null 2>&1; then
		echo "installing a C compiler (build-essential) ..."
		as_root apt-get update -q
		as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q build-essential
	fi
	echo "building $binary ..."
	mkdir -p "$(dirname "$binary")"
	cc -O2 -Wall -Wextra -o "$binary" "$source" "$@"
}

# The CPU time processes used so far (utime + stime from /proc), in clock ticks.
cpu_ticks() { # pid...
	local pid total=0 stat
	local -a fields
	for pid in "$@"; do
		stat=$(cat "/proc/$pid/stat")
		stat=${stat##*) } # after the command name; utime and stime are then fields 12 and 13
		read -r -a fields <<< "$stat"
		total=$((total + fields[11] + fields[12]))
	done
	echo "$total"
}

# Runs a command as root: directly when root already, else through sudo.
as_root() {
	if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi
}

# Creates and prints benchmarks/results/<timestamp>[-<suffix>].
results_dir() {
	local dir
	dir="benchmarks/results/$(date +%Y%m%d-%H%M%S)${1:+-$1}"
	mkdir -p "$dir"
	echo "$dir"
}

# Writes the machine, JDK, commit and settings of a run to <dir>/env.txt.
record_env() { # dir settings
	{
		echo "date: $(date -Is)"
		echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' (dirty)')"
		echo "cores: $(nproc), memory: $(free -g | awk '/^Mem:/ {print $2}') GiB"
		echo "jdk: $(java -version 2>&1 | head -1)"
		echo "server JVM options: ${SERVER_JVM_OPTS:-}"
		echo "driver JVM options: ${DRIVER_JVM_OPTS:-}"
		echo "settings: $2"
		echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
	} > "$1/env.txt"
	warn_if_busy
}

# Warns when the machine is not idle: on two cores, any other work skews both servers' numbers.
warn_if_busy() {
	local load
	load=$(cut -d' ' -f1 /proc/loadavg)
	if awk -v avg="$load" 'BEGIN { exit !(avg > 0.5) }'; then
		echo "WARNING: load average $load before the run: other work is running, numbers will be noisy" >&2
	fi
}

# Starts a server JVM in the background, logging to <dir>/<name>.log, and waits up to 60 s for its
# READY line. Sets SERVER_PORT (none for a worker-only node, which prints READY port=none).
start_server() { # name dir main-class args...
	local name=$1 dir=$2 main=$3
	shift 3
	# shellcheck disable=SC2086 # the options are a word list on purpose
	java $SERVER_JVM_OPTS -cp "$CLASSPATH" "$main" "$@" > "$dir/$name.log" 2>&1 &
	local pid=$!
	SERVER_PIDS+=("$pid")
	echo "$pid" > "$dir/$name.pid"
	local ready=""
	for _ in $(seq 1 300); do
		ready=$(grep -m1 '^READY port=' "$dir/$name.log" || true)
		[[ -n $ready ]] && break
		kill -0 "$pid" 2>/dev/null || { echo "$name server exited; see $dir/$name.log" >&2; return 1; }
		sleep 0.2
	done
	[[ -n $ready ]] || { echo "$name server not ready in 60 s; see $dir/$name.log" >&2; return 1; }
	SERVER_PORT=$(sed -E 's/^READY port=([^ ]+).*/\1/' <<< "$ready")
	echo "$name: pid $pid, ${ready#READY }"
}

# Stops the servers this script started, by PID: TERM, then KILL after 15 s.
stop_servers() {
	local pid
	for pid in "${SERVER_PIDS[@]}"; do
		kill "$pid" 2>/dev/null || true
	done
	for pid in "${SERVER_PIDS[@]}"; do
		for _ in $(seq 1 75); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.2
		done
		if kill -0 "$pid" 2>/dev/null; then
			echo "server $pid did not stop in 15 s; killing it" >&2
			kill -KILL "$pid" 2>/dev/null || true
		fi
	done
	SERVER_PIDS=()
}

# Loads two servers alternately with the native generator: each scenario of SCENARIOS, RUNS times, odd runs
# first then second, even runs the other way round, so that neither always runs on a machine the other just
# heated. Uses PORTS (name -> port), OUT (the servers' pid files, runs/, results.txt), DURATION, WARMUP, DRAIN.
alternate_runs() { # first second
	local scenario run name log order first=1
	((${PREWARM:-1})) && first=0
	for scenario in $SCENARIOS; do
		[[ -n ${SCENARIO_CLASSES[$scenario]:-} ]] || { echo "unknown scenario $scenario" >&2; exit 2; }
		# run 0, when PREWARM is 1 (the default), warms each server up and is not counted
		for run in $(seq "$first" "$RUNS"); do
			if ((run % 2 == 1)); then order="$1 $2"; else order="$2 $1"; fi
			for name in $order; do
				log="$OUT/runs/$scenario-$run-$name.txt"
				# shellcheck disable=SC2086 # the classes are a word list on purpose
				"$LOADGEN" --port "${PORTS[$name]}" --server-pid "$(cat "$OUT/$name.pid")" --duration "$DURATION" \
					--warmup "$WARMUP" --drain "$DRAIN" --scenario "$scenario" --server "$name" --run "$run" \
					${SCENARIO_CLASSES[$scenario]} > "$log"
				((run == 0)) && continue
				grep -E '^[0-9]+:' "$log" | sed "s/^/$scenario $name run $run: /"
				grep '^RESULT ' "$log" >> "$OUT/results.txt"
			done
		done
	done
}
