#!/usr/bin/env bash
# Soak of the starter server: benchmarks/soak.sh [duration] [Soak options ...]
# Runs 32 connections at full speed (depth 8) with a mix of T, S5 and F requests for the duration
# (default 60s), then reports requests, replies, lost, duplicates and the server's heap after a full GC
# before and after. Exits non-zero if anything was lost, duplicated or answered wrongly.
# See docs/reliability.md.
#
# Environment: SERVER_JVM_OPTS ["-Xms1g -Xmx1g"]  DRIVER_JVM_OPTS ["-Xms512m -Xmx512m"]
# Writes benchmarks/results/<timestamp>-soak/: soak.txt, starter.log, env.txt.
set -euo pipefail

cd "$(dirname "$0")/.."
DURATION=${1:-60s}
shift $(($# > 0 ? 1 : 0))
SERVER_JVM_OPTS=${SERVER_JVM_OPTS:--Xms1g -Xmx1g}
DRIVER_JVM_OPTS=${DRIVER_JVM_OPTS:--Xms512m -Xmx512m}

source benchmarks/lib.sh
build_if_needed
OUT=$(results_dir soak)
echo "results in $OUT"
record_env "$OUT" "DURATION=$DURATION options: $*"
trap stop_servers EXIT
trap 'exit 130' INT TERM

start_server starter "$OUT" io.swooletask.benchmarks.starter.StarterBenchServer --swoole.server.port=0
# shellcheck disable=SC2086 # the options are a word list on purpose
java $DRIVER_JVM_OPTS -cp "$CLASSPATH" io.swooletask.benchmarks.Soak --port "$SERVER_PORT" --server starter \
	--duration "$DURATION" "$@" | tee "$OUT/soak.txt"
