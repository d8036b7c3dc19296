#!/usr/bin/env bash
# Start-up of the sample application and of the least app of the starter against three floors: an empty
# Spring Boot application with only spring-boot-starter (floor, benchmarks/startup-floor), and the same
# binding a hand-written echo server as it starts, on plain Netty (netty, benchmarks/startup-netty-floor)
# and on Reactor Netty, the starter's transport (reactor, benchmarks/startup-reactor-netty-floor). The
# starter app (starter, benchmarks/startup-starter-app) is an echo through a task worker with the sample's
# settings; it tells the starter's own cost from that of the dependencies the sample carries for its other
# profiles:
# benchmarks/startup.sh [mode ...]
#
# Each mode starts the five apps alternately, RUNS times each, and reads the time Spring Boot logs in
# "Started ... in X seconds" and the CPU time (user + system) the JVM has used by then; it prints the
# medians, their ratios to floor's and reactor's, and each app's loaded classes (one more start with
# -Xlog:class+load).
# BEFORE=<a sample-app jar built from another commit> adds it to the alternation, as app "before", to
# measure a change.
# Modes (default: all of them, the jdk25 ones only when JAVA25 exists):
#   jar              java -jar app.jar
#   extracted        java -jar app/app.jar, the jar extracted with -Djarmode=tools
#   cds              extracted, with a CDS archive from a training run (-XX:ArchiveClassesAtExit)
#   cds-aot          cds, and Spring AOT's generated code (-Dspring.aot.enabled=true)
#   jar-25           java -jar app.jar on JDK 25
#   aot-cache-25     extracted, with JDK 25's AOT cache from a training run (-XX:AOTCacheOutput)
#   aot-cache-aot-25 aot-cache-25, and Spring AOT
# A training run starts the extracted app with -Dspring.context.exit=onRefresh, as Spring Boot's
# documentation describes. See docs/benchmarks.md, Start-up.
#
# Environment: RUNS [5], JAVA [java], JAVA25 [/usr/lib/jvm/temurin-25-jdk-amd64/bin/java], JVM_OPTS [], BEFORE [], SKIP_BUILD [no]
set -euo pipefail

cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
JAVA=${JAVA:-java}
JAVA25=${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
JVM_OPTS=${JVM_OPTS:-}
WORK=benchmarks/target/startup
APPS=(floor netty reactor starter sample)
declare -A APP_ARGS=([floor]="--spring.main.keep-alive=true" [netty]="--spring.main.keep-alive=true"
	[reactor]="--spring.main.keep-alive=true" [starter]="--spring.main.keep-alive=true"
	[sample]="--spring.main.keep-alive=true --swoole.server.port=0"
	[before]="--spring.main.keep-alive=true --swoole.server.port=0")
[[ -n ${BEFORE:-} ]] && APPS+=(before)

source benchmarks/lib.sh
MODES=("$@")
if [[ ${#MODES[@]} -eq 0 ]]; then
	MODES=(jar extracted cds cds-aot)
	[[ -x $JAVA25 ]] && MODES+=(jar-25 aot-cache-25 aot-cache-aot-25)
fi
OUT=$(results_dir startup)
echo "results in $OUT"
record_env "$OUT" "RUNS=$RUNS JVM_OPTS=$JVM_OPTS JAVA25=$("$JAVA25" -version 2>&1 | head -1 || echo none) modes: ${MODES[*]}"
APP_PID=""
trap '[[ -n $APP_PID ]] && kill "$APP_PID" 2>/dev/null; true' EXIT
trap 'exit 130' INT TERM

# The executable jars, with Spring AOT's generated code in them (-Paot), extracted side by side.
if [[ ${SKIP_BUILD:-no} != yes ]]; then
	echo "building sample-app, the starter app and the floors (-Paot) ..."
	./mvnw -B -q -Paot -am package -DskipTests \
		-pl sample-app,benchmarks/startup-floor,benchmarks/startup-netty-floor,benchmarks/startup-reactor-netty-floor,benchmarks/startup-starter-app \
		> "$OUT/build.log" 2>&1 \
		|| { cat "$OUT/build.log"; exit 1; }
	rm -rf "$WORK"
	mkdir -p "$WORK"
	cp sample-app/target/sample-app-*.jar "$WORK/sample.jar"
	cp benchmarks/startup-floor/target/startup-floor-*.jar "$WORK/floor.jar"
	cp benchmarks/startup-netty-floor/target/startup-netty-floor-*.jar "$WORK/netty.jar"
	cp benchmarks/startup-reactor-netty-floor/target/startup-reactor-netty-floor-*.jar "$WORK/reactor.jar"
	cp benchmarks/startup-starter-app/target/startup-starter-app-*.jar "$WORK/starter.jar"
	[[ -n ${BEFORE:-} ]] && cp "$BEFORE" "$WORK/before.jar"
	for app in "${APPS[@]}"; do
		"$JAVA" -Djarmode=tools -jar "$WORK/$app.jar" extract --destination "$WORK/$app" > /dev/null
	done
fi

# The java command line of an app in a mode, up to its JVM options; extra JVM options follow.
command_of() { # mode app extra-jvm-options...
	local mode=$1 app=$2 extracted="$WORK/$2/$2.jar"
	shift 2
	case $mode in
		jar) echo "$JAVA $* -jar $WORK/$app.jar" ;;
		extracted) echo "$JAVA $* -jar $extracted" ;;
		cds) echo "$JAVA -XX:SharedArchiveFile=$WORK/$app.jsa $* -jar $extracted" ;;
		cds-aot) echo "$JAVA -XX:SharedArchiveFile=$WORK/$app-aot.jsa -Dspring.aot.enabled=true $* -jar $extracted" ;;
		jar-25) echo "$JAVA25 $* -jar $WORK/$app.jar" ;;
		aot-cache-25) echo "$JAVA25 -XX:AOTCache=$WORK/$app.aot $* -jar $extracted" ;;
		aot-cache-aot-25) echo "$JAVA25 -XX:AOTCache=$WORK/$app-aot.aot -Dspring.aot.enabled=true $* -jar $extracted" ;;
		*) echo "unknown mode $mode" >&2; return 1 ;;
	esac
}

# The training run of a mode that has one: the extracted app, stopped once its context is refreshed.
train() { # mode app
	local app=$2 extracted="$WORK/$2/$2.jar" options
	case $1 in
		cds) options="-XX:ArchiveClassesAtExit=$WORK/$app.jsa" ;;
		cds-aot) options="-XX:ArchiveClassesAtExit=$WORK/$app-aot.jsa -Dspring.aot.enabled=true" ;;
		aot-cache-25) options="-XX:AOTCacheOutput=$WORK/$app.aot" ;;
		aot-cache-aot-25) options="-XX:AOTCacheOutput=$WORK/$app-aot.aot -Dspring.aot.enabled=true" ;;
		*) return 0 ;;
	esac
	local java=$JAVA
	[[ $1 == *-25 ]] && java=$JAVA25
	# shellcheck disable=SC2086 # word lists on purpose
	$java $options $JVM_OPTS -Dspring.context.exit=onRefresh -jar "$extracted" ${APP_ARGS[$app]} \
		> "$OUT/train-$1-$app.log" 2>&1 || { echo "training $1 $app failed; see $OUT/train-$1-$app.log" >&2; return 1; }
}

# Starts an app, waits for "Started", prints "<seconds> <cpu seconds>" and stops it (by its PID).
start_once() { # log command...
	local log=$1
	shift
	: > "$log"
	"$@" > "$log" 2>&1 &
	APP_PID=$!
	local started="" cpu=""
	for _ in $(seq 1 3000); do
		if grep -q 'Started .* in [0-9.]* seconds' "$log"; then
			cpu=$(awk -v hz="$(getconf CLK_TCK)" '{ printf "%.3f", ($14 + $15) / hz }' "/proc/$APP_PID/stat")
			started=$(grep -o 'Started .* in [0-9.]* seconds' "$log" | sed -E 's/.* in ([0-9.]+) seconds/\1/')
			break
		fi
		kill -0 "$APP_PID" 2>/dev/null || break
		sleep 0.02
	done
	kill "$APP_PID" 2>/dev/null || true
	wait "$APP_PID" 2>/dev/null || true
	APP_PID=""
	[[ -n $started ]] || { echo "no 'Started' line; see $log" >&2; return 1; }
	echo "$started $cpu"
}

median() {
	sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# Loaded classes of one start: all, and those from the CDS archive or AOT cache.
classes_of() { # mode app
	local file="$OUT/classes-$1-$2.txt" cmd
	# shellcheck disable=SC2086 # word lists on purpose
	cmd=$(command_of "$1" "$2" $JVM_OPTS "-Xlog:class+load:file=$file")
	# shellcheck disable=SC2086 # word lists on purpose
	start_once "$OUT/classes-$1-$2.log" $cmd ${APP_ARGS[$2]} > /dev/null
	echo "$(wc -l < "$file") $(grep -c 'shared objects file\|AOT cache' "$file" || true)"
}

TABLE="$OUT/startup.md"
{
	echo "| mode | app | Started in (s) | ÷ floor | ÷ reactor | CPU (s) | ÷ floor | ÷ reactor | classes loaded (from the archive) |"
	echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
} > "$TABLE"
for mode in "${MODES[@]}"; do
	for app in "${APPS[@]}"; do
		train "$mode" "$app"
	done
	for run in $(seq 1 "$RUNS"); do
		for app in "${APPS[@]}"; do
			# shellcheck disable=SC2086 # word lists on purpose
			result=$(start_once "$OUT/$mode-$app-$run.log" $(command_of "$mode" "$app" $JVM_OPTS) ${APP_ARGS[$app]})
			echo "$result" >> "$OUT/$mode-$app.txt"
			echo "$mode $app run $run: ${result% *} s (CPU ${result#* } s)"
		done
	done
	declare -A started cpu
	for app in "${APPS[@]}"; do
		started[$app]=$(cut -d' ' -f1 "$OUT/$mode-$app.txt" | median)
		cpu[$app]=$(cut -d' ' -f2 "$OUT/$mode-$app.txt" | median)
	done
	for app in "${APPS[@]}"; do
		read -r all archived < <(classes_of "$mode" "$app")
		awk -v mode="$mode" -v app="$app" -v classes="$all ($archived)" \
			-v s="${started[$app]}" -v fs="${started[floor]}" -v rs="${started[reactor]}" \
			-v c="${cpu[$app]}" -v fc="${cpu[floor]}" -v rc="${cpu[reactor]}" \
			'BEGIN { printf "| %s | %s | %.3f | %.2f | %.2f | %.2f | %.2f | %.2f | %s |\n",
				mode, app, s, s / fs, s / rs, c, c / fc, c / rc, classes }' \
			| tee -a "$TABLE"
	done
done
echo
cat "$TABLE"
