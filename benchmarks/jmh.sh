#!/usr/bin/env bash
# JMH micro-benchmarks of the starter: benchmarks/jmh.sh [JMH options, e.g. -wi 1 -i 1 HandoffBenchmark]
# Builds if needed; without options runs every benchmark with the settings in its annotations.
# See docs/benchmarks.md.
set -euo pipefail

cd "$(dirname "$0")/.."
source benchmarks/lib.sh
build_if_needed
java -cp "$CLASSPATH" org.openjdk.jmh.Main "$@"
