#!/usr/bin/env bash
# Runs the sample's AOT path: starts the jar that the build processed ahead of time (spring-boot:process-aot)
# with -Dspring.aot.enabled=true on a free port, sends "hello", expects "hello -> OK", and stops it.
# Build first: ./mvnw -B -q -pl sample-app -am package -DskipTests
set -euo pipefail
cd "$(dirname "$0")"

# the application's jar, not the -sources or -javadoc jars a release build (.ci/release-check) adds beside it
jar=$(ls target/sample-app-*.jar | grep -v -e '-sources\.jar$' -e '-javadoc\.jar$')
log=$(mktemp)
java -Dspring.aot.enabled=true -jar "$jar" --swoole.server.port=0 >"$log" 2>&1 &
pid=$!
stop() {
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	rm -f "$log"
}
trap stop EXIT
fail() {
	echo "AOT smoke test failed: $1; the application's log:" >&2
	cat "$log" >&2
	exit 1
}

port=""
for _ in $(seq 1 120); do
	port=$(sed -nE 's/.*Swoole server listening on [^ ]+:([0-9]+):.*/\1/p' "$log")
	[ -n "$port" ] && break
	kill -0 "$pid" 2>/dev/null || fail "the application exited before listening"
	sleep 0.5
done
[ -n "$port" ] || fail "the server did not listen within 60 s"
grep -q "Starting AOT-processed SampleApplication" "$log" || fail "the application did not start in AOT mode"

exec 3<>"/dev/tcp/127.0.0.1/$port"
printf 'hello\n' >&3
IFS= read -r -t 10 reply <&3 || fail "no reply within 10 s"
exec 3>&-
[ "$reply" = "hello -> OK" ] || fail "expected 'hello -> OK', got '$reply'"
echo "AOT smoke test passed: the AOT-processed sample (port $port) answered hello -> OK"
