/*
 * loadgen: a native closed-loop load generator for the benchmark protocol of docs/benchmarks.md, the
 * counterpart of io.swooletask.benchmarks.LoadDriver in one thread on Linux epoll, so that the load takes
 * as little as it can of the two cores it shares with the server.
 *
 *   loadgen --port <port> [--class <n>:<mix>:<depth>]... [--duration 10s] [--warmup 3s] [--drain 5s]
 *           [--server-pid <pid>] [--scenario <label>] [--server <label>] [--run <n>]
 *
 *   --class <n>:<mix>:<d>  n connections sending <mix> with d requests outstanding each; repeatable, classes
 *                          run together (default 64:T:1). <mix> is T, S<ms>, E, F, or weighted: T=8,S5=1,F=1
 *   --duration, --warmup, --drain  times as 10s, 500ms or 1m; a bare number is seconds
 *   --server-pid <pid>     also report that process's CPU time (utime + stime from /proc/<pid>/stat)
 *
 * It loads 127.0.0.1 only. As the JVM driver does, each connection keeps <depth> requests outstanding,
 * each with the unique payload <connection id>-<sequence> (ids count from 0 over all classes, in order),
 * and matches every reply to its request by that payload, in whatever order replies come: T and S<ms> are
 * answered "<payload> -> OK", E "<payload>", F "ERR <payload>". A reply that matches no request or has the
 * wrong form is an error, as is a duplicate; a request unanswered at the end of the drain is lost.
 * Replies received during the measurement count for req/s and latency (write of the request to read of
 * the reply, in a log-linear histogram of microseconds). CPU time of this process (getrusage) and of the
 * server is taken over the measurement and reported per 1000 measured requests.
 *
 * Prints a table per connection class and one "RESULT <json>" line that
 * io.swooletask.benchmarks.report.Summary reads. Exit status: 0 if every request was answered once and
 * correctly, 1 on any error, lost request or closed connection, 2 on bad options or a failed connect.
 *
 * Build: cc -O2 -Wall -Wextra -o benchmarks/target/loadgen benchmarks/native/loadgen.c -lm
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define MAX_CLASSES 16
#define MAX_CONNECTIONS 10000
#define MAX_DEPTH 1024
#define MAX_CYCLE 1000              /* request types in one mix's cycle, weights added up */
#define MAX_REPLY (64 * 1024)       /* longest reply line, as the JVM driver's frame decoder */
#define MAX_REQUEST 64              /* longest request line: "S<ms> <id>-<sequence>\n" */
#define MAX_EVENTS 256
#define CONNECT_TIMEOUT_S 5
#define MAX_WAIT_MS 100             /* longest epoll_wait, so that every phase change is seen in time */
#define NS_PER_S 1000000000LL
#define NS_PER_MS 1000000LL

/* Latency histogram: exact to the microsecond below 2048 us, above it within 1/1024 of the value. */
#define SUB_BUCKETS 2048
#define HALF_SUB_BUCKETS 1024
#define HIGHEST_US 60000000LL       /* one minute; longer latencies are recorded as this */
#define BUCKETS (SUB_BUCKETS + 15 * HALF_SUB_BUCKETS)   /* 15 halvings of precision reach 2^26 us > HIGHEST_US */

enum reply_form { FORM_TASK_RESULT, FORM_ECHO, FORM_ERROR, FORM_HEAP };

struct request_type {
	char name[16];                  /* as on the wire: T, S20, E, F */
	enum reply_form reply;
};

struct histogram {
	uint64_t counts[BUCKETS];
	uint64_t total;
	int64_t max_ns;
};

struct stats {
	uint64_t sent;                  /* requests written, warm-up included */
	uint64_t answered;              /* correct replies, at any time */
	uint64_t measured;              /* correct replies received during the measurement */
	uint64_t unexpected;            /* replies that match no request, or in the wrong form */
	uint64_t duplicates;            /* replies to a request already answered */
	uint64_t lost;                  /* requests unanswered at the end */
	uint64_t disconnects;           /* connections closed by the server or failed */
	struct histogram latency;
};

struct conn_class {
	char spec[128];                 /* <connections>:<mix>:<depth>, which names the class */
	char mix[96];
	int connections;
	int depth;
	struct request_type cycle[MAX_CYCLE];
	int cycle_length;
	struct stats stats;
};

struct pending {
	uint64_t sequence;
	int64_t sent_ns;
	const struct request_type *type;
	bool used;
};

struct connection {
	int fd;
	int id;
	char prefix[16];                /* "<id>-", which starts every payload of this connection */
	size_t prefix_length;
	struct conn_class *cls;
	uint64_t next_sequence;
	int in_flight;
	struct pending *pending;        /* depth slots */
	char *in;                       /* reply bytes not yet split into lines */
	size_t in_length;
	char *out;                      /* request bytes not yet written */
	size_t out_length;
	bool waiting_to_write;          /* registered for EPOLLOUT */
};

struct options {
	int port;
	int64_t duration_ns;
	int64_t warmup_ns;
	int64_t drain_ns;
	int server_pid;                 /* 0: none */
	const char *scenario;
	const char *server;
	int run;
	struct conn_class *classes[MAX_CLASSES];
	int class_count;
};

struct clock {
	int64_t measure_from;
	int64_t send_until;
	int64_t drain_until;
};

/* CPU time in milliseconds at one moment; server_ms < 0 when unknown. */
struct cpu_sample {
	double driver_ms;
	double server_ms;
};

struct run {
	struct options *options;
	struct clock clock;
	struct connection *connections;
	int connection_count;
	int epoll_fd;
	int awaiting;                   /* requests outstanding on open connections */
	struct cpu_sample cpu_start;
	struct cpu_sample cpu_end;
	bool measuring_started;
	bool measuring_ended;
};

static void fail(int status, const char *format, ...) __attribute__((format(printf, 2, 3), noreturn));
static void usage_error(const char *format, ...) __attribute__((format(printf, 1, 2), noreturn));

static void fail(int status, const char *format, ...)
{
	va_list args;
	va_start(args, format);
	fputs("loadgen: ", stderr);
	vfprintf(stderr, format, args);
	fputc('\n', stderr);
	va_end(args);
	exit(status);
}

static void *allocate(size_t size)
{
	void *memory = calloc(1, size);
	if (memory == NULL) {
		fail(2, "out of memory");
	}
	return memory;
}

static int64_t now_ns(void)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (int64_t) now.tv_sec * NS_PER_S + now.tv_nsec;
}

/* ---- options ---- */

static const char USAGE[] =
	"usage: loadgen --port <port> [--class <n>:<mix>:<depth>]... [--duration 10s] [--warmup 3s]\n"
	"               [--drain 5s] [--server-pid <pid>] [--scenario <label>] [--server <label>] [--run <n>]\n"
	"  --class <n>:<mix>:<d>  n connections sending <mix> with d requests outstanding each; repeatable,\n"
	"                         classes run together (64:T:1). <mix> is T, S<ms>, E, F, or weighted: T=8,S5=1,F=1\n"
	"  --duration <time>      measurement, as 10s, 500ms or 1m; a bare number is seconds (10s)\n"
	"  --warmup <time>        run before measuring (3s)\n"
	"  --drain <time>         wait for outstanding replies after the measurement (5s)\n"
	"  --server-pid <pid>     report that process's CPU time over the measurement too\n"
	"  --scenario <label>  --server <label>  --run <n>   labels for reports\n"
	"Loads 127.0.0.1 only.\n";

static void usage_error(const char *format, ...)
{
	va_list args;
	va_start(args, format);
	fputs("loadgen: ", stderr);
	vfprintf(stderr, format, args);
	fprintf(stderr, "\n%s", USAGE);
	va_end(args);
	exit(2);
}

/* Parses a whole decimal number in [min, max]. */
static bool parse_long(const char *text, long min, long max, long *value)
{
	char *end;
	errno = 0;
	long parsed = strtol(text, &end, 10);
	if (errno != 0 || end == text || *end != '\0' || parsed < min || parsed > max) {
		return false;
	}
	*value = parsed;
	return true;
}

static int parse_int_option(const char *name, const char *text, long min, long max)
{
	long value;
	if (!parse_long(text, min, max, &value)) {
		usage_error("%s must be a number from %ld to %ld: %s", name, min, max, text);
	}
	return (int) value;
}

/* Parses 10s, 500ms, 1m or a bare number of seconds. */
static int64_t parse_duration(const char *text)
{
	char *end;
	errno = 0;
	long long amount = strtoll(text, &end, 10);
	int64_t unit = NS_PER_S;
	if (strcmp(end, "ms") == 0) {
		unit = NS_PER_MS;
	}
	else if (strcmp(end, "m") == 0) {
		unit = 60 * NS_PER_S;
	}
	else if (strcmp(end, "s") != 0 && *end != '\0') {
		usage_error("bad time '%s': use 10s, 500ms or 1m", text);
	}
	if (errno != 0 || end == text || amount < 0 || amount > 1000000) {
		usage_error("bad time '%s': use 10s, 500ms or 1m, at most 1000000 of the unit", text);
	}
	return amount * unit;
}

/* Parses one request type of a mix: T, S<ms>, E or F (G, the heap probe, is not for load). */
static bool parse_request_type(const char *text, struct request_type *type)
{
	long sleep_ms;
	if (strcmp(text, "T") == 0 || strcmp(text, "E") == 0 || strcmp(text, "F") == 0) {
		type->reply = (text[0] == 'E') ? FORM_ECHO : (text[0] == 'F') ? FORM_ERROR : FORM_TASK_RESULT;
	}
	else if (text[0] == 'S' && parse_long(text + 1, 1, INT32_MAX, &sleep_ms)) {
		type->reply = FORM_TASK_RESULT;
	}
	else {
		return false;
	}
	snprintf(type->name, sizeof type->name, "%s", text);
	return true;
}

/* Parses a mix into its cycle of types: S20, or T=8,S5=1,F=1 (eight T, one S5, one F in every ten). */
static void parse_mix(const char *spec, struct conn_class *cls)
{
	char copy[sizeof cls->mix];
	if (snprintf(copy, sizeof copy, "%s", spec) >= (int) sizeof copy) {
		usage_error("request mix too long: %s", spec);
	}
	char *save = NULL;
	for (char *part = strtok_r(copy, ",", &save); part != NULL; part = strtok_r(NULL, ",", &save)) {
		char *equals = strchr(part, '=');
		long weight = 1;
		if (equals != NULL) {
			*equals = '\0';
			if (!parse_long(equals + 1, 1, MAX_CYCLE, &weight)) {
				usage_error("bad weight in request mix '%s'", spec);
			}
		}
		struct request_type type;
		if (!parse_request_type(part, &type)) {
			usage_error("bad request mix '%s': use T, S<ms>, E or F, each with an optional weight, as in"
					" T=8,S5=1,F=1", spec);
		}
		if (cls->cycle_length + weight > MAX_CYCLE) {
			usage_error("request mix '%s' has too many requests in its cycle", spec);
		}
		for (long i = 0; i < weight; i++) {
			cls->cycle[cls->cycle_length++] = type;
		}
	}
	if (cls->cycle_length == 0) {
		usage_error("empty request mix in '%s'", spec);
	}
	snprintf(cls->mix, sizeof cls->mix, "%s", spec);
}

/* Parses <connections>:<mix>:<depth>, as 16:S20:4. */
static struct conn_class *parse_class(const char *spec)
{
	struct conn_class *cls = allocate(sizeof *cls);
	char copy[sizeof cls->spec];
	if (snprintf(copy, sizeof copy, "%s", spec) >= (int) sizeof copy) {
		usage_error("connection class too long: %s", spec);
	}
	char *first = strchr(copy, ':');
	char *last = strrchr(copy, ':');
	if (first == NULL || first == last) {
		usage_error("bad connection class '%s': use <connections>:<mix>:<depth>, as 16:S20:4", spec);
	}
	*first = '\0';
	*last = '\0';
	cls->connections = parse_int_option("the connections of a class", copy, 1, MAX_CONNECTIONS);
	cls->depth = parse_int_option("the depth of a class", last + 1, 1, MAX_DEPTH);
	parse_mix(first + 1, cls);
	snprintf(cls->spec, sizeof cls->spec, "%s", spec);
	return cls;
}

static void parse_options(int argc, char **argv, struct options *options)
{
	*options = (struct options) {
		.port = 9601, .duration_ns = 10 * NS_PER_S, .warmup_ns = 3 * NS_PER_S, .drain_ns = 5 * NS_PER_S,
		.scenario = "-", .server = "-", .run = 1,
	};
	for (int i = 1; i < argc; i++) {
		const char *name = argv[i];
		if (strcmp(name, "--help") == 0) {
			fputs(USAGE, stdout);
			exit(0);
		}
		if (i + 1 >= argc) {
			usage_error("missing value for %s", name);
		}
		const char *value = argv[++i];
		if (strcmp(name, "--port") == 0) {
			options->port = parse_int_option(name, value, 1, 65535);
		}
		else if (strcmp(name, "--class") == 0) {
			if (options->class_count == MAX_CLASSES) {
				usage_error("at most 16 classes: %s", value);
			}
			options->classes[options->class_count++] = parse_class(value);
		}
		else if (strcmp(name, "--duration") == 0) {
			options->duration_ns = parse_duration(value);
		}
		else if (strcmp(name, "--warmup") == 0) {
			options->warmup_ns = parse_duration(value);
		}
		else if (strcmp(name, "--drain") == 0) {
			options->drain_ns = parse_duration(value);
		}
		else if (strcmp(name, "--server-pid") == 0) {
			options->server_pid = parse_int_option(name, value, 1, INT32_MAX);
		}
		else if (strcmp(name, "--scenario") == 0) {
			options->scenario = value;
		}
		else if (strcmp(name, "--server") == 0) {
			options->server = value;
		}
		else if (strcmp(name, "--run") == 0) {
			options->run = parse_int_option(name, value, 0, INT32_MAX);
		}
		else {
			usage_error("unknown option %s", name);
		}
	}
	if (options->class_count == 0) {
		options->classes[options->class_count++] = parse_class("64:T:1");
	}
	if (options->duration_ns == 0) {
		usage_error("--duration must be positive");
	}
}

/* ---- latency histogram ---- */

static int bucket_of(int64_t micros)
{
	if (micros < SUB_BUCKETS) {
		return (int) micros;
	}
	int shift = (63 - __builtin_clzll((unsigned long long) micros)) - 10;   /* >= 1 */
	return SUB_BUCKETS + (shift - 1) * HALF_SUB_BUCKETS + (int) (micros >> shift) - HALF_SUB_BUCKETS;
}

/* The highest value that falls in a bucket, as HdrHistogram reports a percentile. */
static int64_t highest_in_bucket(int bucket)
{
	if (bucket < SUB_BUCKETS) {
		return bucket;
	}
	int shift = (bucket - SUB_BUCKETS) / HALF_SUB_BUCKETS + 1;
	int64_t top = (bucket - SUB_BUCKETS) % HALF_SUB_BUCKETS + HALF_SUB_BUCKETS;
	return ((top + 1) << shift) - 1;
}

static void histogram_record(struct histogram *histogram, int64_t nanos)
{
	int64_t micros = nanos / 1000;
	histogram->counts[bucket_of(micros < HIGHEST_US ? micros : HIGHEST_US)]++;
	histogram->total++;
	if (nanos > histogram->max_ns) {
		histogram->max_ns = nanos;
	}
}

/* A percentile: the highest value of the bucket it falls in, but no more than the longest latency seen. */
static double histogram_percentile_us(const struct histogram *histogram, double percentile)
{
	if (histogram->total == 0) {
		return 0;
	}
	uint64_t wanted = (uint64_t) ceil(percentile / 100 * (double) histogram->total);
	wanted = wanted < 1 ? 1 : wanted;
	uint64_t seen = 0;
	int bucket = 0;
	for (; bucket < BUCKETS - 1; bucket++) {
		seen += histogram->counts[bucket];
		if (seen >= wanted) {
			break;
		}
	}
	return fmin((double) highest_in_bucket(bucket), (double) histogram->max_ns / 1e3);
}

/* ---- CPU time ---- */

static double driver_cpu_ms(void)
{
	struct rusage usage;
	getrusage(RUSAGE_SELF, &usage);
	return (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e3
			+ (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e3;
}

/* utime + stime of a process from /proc/<pid>/stat, in milliseconds; -1 if it cannot be read. */
static double process_cpu_ms(int pid)
{
	char path[64];
	char line[1024];
	snprintf(path, sizeof path, "/proc/%d/stat", pid);
	FILE *file = fopen(path, "r");
	if (file == NULL) {
		return -1;
	}
	bool read = fgets(line, sizeof line, file) != NULL;
	fclose(file);
	char *after_name = read ? strrchr(line, ')') : NULL;   /* the name may hold spaces and parentheses */
	unsigned long long utime;
	unsigned long long stime;
	/* after the name: state, then ten fields, then utime and stime (fields 14 and 15 of proc(5)) */
	if (after_name == NULL || sscanf(after_name + 1, "%*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %llu %llu",
			&utime, &stime) != 2) {
		return -1;
	}
	return (double) (utime + stime) * 1e3 / (double) sysconf(_SC_CLK_TCK);
}

static struct cpu_sample sample_cpu(int server_pid)
{
	return (struct cpu_sample) {
		.driver_ms = driver_cpu_ms(),
		.server_ms = (server_pid > 0) ? process_cpu_ms(server_pid) : -1,
	};
}

/* ---- connections ---- */

static int connect_loopback(int port)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		fail(2, "socket: %s", strerror(errno));
	}
	struct timeval timeout = { .tv_sec = CONNECT_TIMEOUT_S };
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);   /* bounds a blocking connect */
	struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = htons((uint16_t) port),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	if (connect(fd, (struct sockaddr *) &address, sizeof address) != 0) {
		fail(2, "connect to 127.0.0.1:%d: %s", port, strerror(errno));
	}
	int on = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
	if (fcntl(fd, F_SETFL, O_NONBLOCK) != 0) {
		fail(2, "fcntl: %s", strerror(errno));
	}
	return fd;
}

static void watch(struct run *run, struct connection *connection, int operation, uint32_t events)
{
	struct epoll_event event = { .events = events, .data.ptr = connection };
	if (epoll_ctl(run->epoll_fd, operation, connection->fd, &event) != 0) {
		fail(2, "epoll_ctl: %s", strerror(errno));
	}
}

static void open_connections(struct run *run)
{
	struct options *options = run->options;
	for (int c = 0; c < options->class_count; c++) {
		run->connection_count += options->classes[c]->connections;
	}
	if (run->connection_count > MAX_CONNECTIONS) {
		fail(2, "at most %d connections in all", MAX_CONNECTIONS);
	}
	run->connections = allocate(sizeof *run->connections * (size_t) run->connection_count);
	int id = 0;
	for (int c = 0; c < options->class_count; c++) {
		struct conn_class *cls = options->classes[c];
		for (int i = 0; i < cls->connections; i++, id++) {
			struct connection *connection = &run->connections[id];
			connection->id = id;
			connection->prefix_length = (size_t) snprintf(connection->prefix, sizeof connection->prefix, "%d-",
					id);
			connection->cls = cls;
			connection->pending = allocate(sizeof *connection->pending * (size_t) cls->depth);
			connection->in = allocate(MAX_REPLY);
			connection->out = allocate((size_t) MAX_REQUEST * (size_t) cls->depth);
			connection->fd = connect_loopback(options->port);
			watch(run, connection, EPOLL_CTL_ADD, EPOLLIN);
		}
	}
}

/* Closes a connection the server closed or that failed; its outstanding requests will count as lost. */
static void close_connection(struct run *run, struct connection *connection)
{
	close(connection->fd);   /* also removes it from the epoll set */
	connection->fd = -1;
	connection->cls->stats.disconnects++;
	run->awaiting -= connection->in_flight;
}

/* Writes what is buffered; waits for EPOLLOUT while the socket takes no more. */
static void flush(struct run *run, struct connection *connection)
{
	size_t written = 0;
	while (written < connection->out_length) {
		ssize_t n = send(connection->fd, connection->out + written, connection->out_length - written,
				MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			break;
		}
		if (n < 0) {
			close_connection(run, connection);
			return;
		}
		written += (size_t) n;
	}
	memmove(connection->out, connection->out + written, connection->out_length - written);
	connection->out_length -= written;
	bool waiting = connection->out_length > 0;
	if (waiting != connection->waiting_to_write) {
		watch(run, connection, EPOLL_CTL_MOD, waiting ? (EPOLLIN | EPOLLOUT) : EPOLLIN);
		connection->waiting_to_write = waiting;
	}
}

static struct pending *free_slot(struct connection *connection)
{
	for (int i = 0; i < connection->cls->depth; i++) {
		if (!connection->pending[i].used) {
			return &connection->pending[i];
		}
	}
	return NULL;
}

/* Buffers requests until <depth> are outstanding, while the measurement is not over. */
static void fill(struct run *run, struct connection *connection, int64_t now)
{
	struct conn_class *cls = connection->cls;
	while (connection->in_flight < cls->depth && now < run->clock.send_until) {
		uint64_t sequence = connection->next_sequence++;
		const struct request_type *type = &cls->cycle[sequence % (uint64_t) cls->cycle_length];
		struct pending *slot = free_slot(connection);
		*slot = (struct pending) { .sequence = sequence, .sent_ns = now, .type = type, .used = true };
		connection->out_length += (size_t) snprintf(connection->out + connection->out_length, MAX_REQUEST,
				"%s %s%" PRIu64 "\n", type->name, connection->prefix, sequence);
		connection->in_flight++;
		run->awaiting++;
		cls->stats.sent++;
	}
}

static bool starts_with(const char *text, size_t length, const char *prefix, size_t prefix_length)
{
	return length >= prefix_length && memcmp(text, prefix, prefix_length) == 0;
}

/* Splits a reply line into its form and payload (which is not NUL-terminated), as ReplyForm.parse does. */
static enum reply_form parse_reply(const char *line, size_t length, const char **payload,
		size_t *payload_length)
{
	static const char ok[] = " -> OK";
	size_t ok_length = sizeof ok - 1;
	enum reply_form form = FORM_ECHO;
	size_t skip = 0;
	if (length >= ok_length && memcmp(line + length - ok_length, ok, ok_length) == 0) {
		form = FORM_TASK_RESULT;
		length -= ok_length;
	}
	else if (starts_with(line, length, "ERR ", 4)) {
		form = FORM_ERROR;
		skip = 4;
	}
	else if (starts_with(line, length, "HEAP ", 5)) {
		form = FORM_HEAP;
		skip = 5;
	}
	*payload = line + skip;
	*payload_length = length - skip;
	return form;
}

/* The sequence in a payload <id>-<sequence> of this connection; false if it is not one. */
static bool sequence_of(const struct connection *connection, const char *payload, size_t length,
		uint64_t *sequence)
{
	if (!starts_with(payload, length, connection->prefix, connection->prefix_length)) {
		return false;
	}
	size_t digits = length - connection->prefix_length;
	if (digits == 0 || digits > 19) {
		return false;
	}
	*sequence = 0;
	for (const char *c = payload + connection->prefix_length; c < payload + length; c++) {
		if (*c < '0' || *c > '9') {
			return false;
		}
		*sequence = *sequence * 10 + (uint64_t) (*c - '0');
	}
	return true;
}

static struct pending *find_pending(struct connection *connection, uint64_t sequence)
{
	for (int i = 0; i < connection->cls->depth; i++) {
		struct pending *slot = &connection->pending[i];
		if (slot->used && slot->sequence == sequence) {
			return slot;
		}
	}
	return NULL;
}

/* Matches one reply line (without its \n) to its request, and counts it. */
static void check_reply(struct run *run, struct connection *connection, const char *line, size_t length,
		int64_t now)
{
	struct stats *stats = &connection->cls->stats;
	const char *payload;
	size_t payload_length;
	enum reply_form form = parse_reply(line, length, &payload, &payload_length);
	uint64_t sequence;
	bool parsed = sequence_of(connection, payload, payload_length, &sequence);
	struct pending *slot = parsed ? find_pending(connection, sequence) : NULL;
	if (slot == NULL) {
		if (parsed && sequence < connection->next_sequence) {
			stats->duplicates++;
		}
		else {
			stats->unexpected++;
		}
		return;
	}
	slot->used = false;
	connection->in_flight--;
	run->awaiting--;
	if (slot->type->reply != form) {
		stats->unexpected++;
		return;
	}
	stats->answered++;
	if (now >= run->clock.measure_from && now < run->clock.send_until) {
		stats->measured++;
		histogram_record(&stats->latency, now - slot->sent_ns);
	}
}

/* Checks every whole line in the input buffer and keeps the rest. */
static void check_lines(struct run *run, struct connection *connection, int64_t now)
{
	char *start = connection->in;
	char *end = connection->in + connection->in_length;
	char *newline;
	while ((newline = memchr(start, '\n', (size_t) (end - start))) != NULL) {
		size_t length = (size_t) (newline - start);
		if (length > 0 && start[length - 1] == '\r') {
			length--;
		}
		check_reply(run, connection, start, length, now);
		start = newline + 1;
	}
	connection->in_length = (size_t) (end - start);
	memmove(connection->in, start, connection->in_length);
}

static void on_readable(struct run *run, struct connection *connection)
{
	ssize_t n = recv(connection->fd, connection->in + connection->in_length,
			MAX_REPLY - connection->in_length, 0);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
		return;
	}
	if (n <= 0) {
		close_connection(run, connection);
		return;
	}
	int64_t now = now_ns();
	connection->in_length += (size_t) n;
	check_lines(run, connection, now);
	if (connection->in_length == MAX_REPLY) {   /* a reply line longer than any the protocol has */
		connection->cls->stats.unexpected++;
		close_connection(run, connection);
		return;
	}
	fill(run, connection, now);
	flush(run, connection);
}

static void on_event(struct run *run, struct connection *connection, uint32_t events)
{
	if (connection->fd < 0) {
		return;
	}
	if (events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
		on_readable(run, connection);
	}
	if (connection->fd >= 0 && (events & EPOLLOUT)) {
		flush(run, connection);
	}
}

/* ---- the run ---- */

/* Takes the CPU samples when the measurement starts and ends. */
static void mark_phases(struct run *run, int64_t now)
{
	if (!run->measuring_started && now >= run->clock.measure_from) {
		run->cpu_start = sample_cpu(run->options->server_pid);
		run->measuring_started = true;
	}
	if (!run->measuring_ended && now >= run->clock.send_until) {
		run->cpu_end = sample_cpu(run->options->server_pid);
		run->measuring_ended = true;
	}
}

/* Milliseconds until the next phase change (rounded up), at most MAX_WAIT_MS. */
static int wait_ms(const struct run *run, int64_t now)
{
	int64_t next = (now < run->clock.measure_from) ? run->clock.measure_from
			: (now < run->clock.send_until) ? run->clock.send_until : run->clock.drain_until;
	int64_t ms = (next - now + NS_PER_MS - 1) / NS_PER_MS;
	return (int) (ms < 0 ? 0 : ms > MAX_WAIT_MS ? MAX_WAIT_MS : ms);
}

static void start_sending(struct run *run)
{
	int64_t now = now_ns();
	run->clock.measure_from = now + run->options->warmup_ns;
	run->clock.send_until = run->clock.measure_from + run->options->duration_ns;
	run->clock.drain_until = run->clock.send_until + run->options->drain_ns;
	for (int i = 0; i < run->connection_count; i++) {
		fill(run, &run->connections[i], now);
		flush(run, &run->connections[i]);
	}
}

/* Runs warm-up and measurement, then waits out the drain while requests are outstanding. */
static void run_load(struct run *run)
{
	struct epoll_event events[MAX_EVENTS];
	start_sending(run);
	int64_t now = now_ns();
	mark_phases(run, now);
	while (now < run->clock.send_until || (now < run->clock.drain_until && run->awaiting > 0)) {
		int ready = epoll_wait(run->epoll_fd, events, MAX_EVENTS, wait_ms(run, now));
		if (ready < 0 && errno != EINTR) {
			fail(2, "epoll_wait: %s", strerror(errno));
		}
		for (int i = 0; i < ready; i++) {
			on_event(run, events[i].data.ptr, events[i].events);
		}
		now = now_ns();
		mark_phases(run, now);
	}
}

static void count_lost_and_close(struct run *run)
{
	for (int i = 0; i < run->connection_count; i++) {
		struct connection *connection = &run->connections[i];
		connection->cls->stats.lost += (uint64_t) connection->in_flight;
		if (connection->fd >= 0) {
			close(connection->fd);
		}
	}
}

/* ---- reports ---- */

static double throughput(const struct run *run, const struct conn_class *cls)
{
	return (double) cls->stats.measured / ((double) run->options->duration_ns / NS_PER_S);
}

static uint64_t errors_of(const struct conn_class *cls)
{
	return cls->stats.unexpected + cls->stats.duplicates;
}

/* CPU milliseconds per 1000 measured requests; NAN when unknown. */
static double cpu_per_1k(const struct run *run, double start_ms, double end_ms)
{
	uint64_t measured = 0;
	for (int c = 0; c < run->options->class_count; c++) {
		measured += run->options->classes[c]->stats.measured;
	}
	if (start_ms < 0 || end_ms < 0 || measured == 0) {
		return NAN;
	}
	return (end_ms - start_ms) * 1000 / (double) measured;
}

static double driver_cpu_per_1k(const struct run *run)
{
	return cpu_per_1k(run, run->cpu_start.driver_ms, run->cpu_end.driver_ms);
}

static double server_cpu_per_1k(const struct run *run)
{
	return cpu_per_1k(run, run->cpu_start.server_ms, run->cpu_end.server_ms);
}

static void print_table(const struct run *run)
{
	const struct options *options = run->options;
	const char *row = "%-22s %10s %10s %10s %10s %10s %8s %6s %6s\n";
	printf("scenario %s, server %s, run %d: %.1f s measured after %.1f s warm-up (native loadgen)\n",
			options->scenario, options->server, options->run, (double) options->duration_ns / NS_PER_S,
			(double) options->warmup_ns / NS_PER_S);
	printf(row, "class", "req/s", "p50 ms", "p99 ms", "p99.9 ms", "max ms", "errors", "dup", "lost");
	for (int c = 0; c < options->class_count; c++) {
		const struct conn_class *cls = options->classes[c];
		const struct histogram *latency = &cls->stats.latency;
		char cells[8][32];
		snprintf(cells[0], sizeof cells[0], "%.0f", throughput(run, cls));
		snprintf(cells[1], sizeof cells[1], "%.3f", histogram_percentile_us(latency, 50) / 1e3);
		snprintf(cells[2], sizeof cells[2], "%.3f", histogram_percentile_us(latency, 99) / 1e3);
		snprintf(cells[3], sizeof cells[3], "%.3f", histogram_percentile_us(latency, 99.9) / 1e3);
		snprintf(cells[4], sizeof cells[4], "%.3f", (double) latency->max_ns / 1e6);
		snprintf(cells[5], sizeof cells[5], "%" PRIu64, errors_of(cls));
		snprintf(cells[6], sizeof cells[6], "%" PRIu64, cls->stats.duplicates);
		snprintf(cells[7], sizeof cells[7], "%" PRIu64, cls->stats.lost);
		printf(row, cls->spec, cells[0], cells[1], cells[2], cells[3], cells[4], cells[5], cells[6], cells[7]);
	}
	char driver[32] = "-";
	char server[32] = "-";
	if (!isnan(driver_cpu_per_1k(run))) {
		snprintf(driver, sizeof driver, "%.3f", driver_cpu_per_1k(run));
	}
	if (!isnan(server_cpu_per_1k(run))) {
		snprintf(server, sizeof server, "%.3f", server_cpu_per_1k(run));
	}
	printf("CPU ms per 1000 requests over the measurement: driver %s, server %s\n", driver, server);
}

static void print_json_string(const char *text)
{
	putchar('"');
	for (const unsigned char *c = (const unsigned char *) text; *c != '\0'; c++) {
		if (*c == '"' || *c == '\\') {
			printf("\\%c", *c);
		}
		else if (*c < 0x20) {
			printf("\\u%04x", *c);
		}
		else {
			putchar(*c);
		}
	}
	putchar('"');
}

static void print_json_class(const struct run *run, const struct conn_class *cls)
{
	const struct stats *stats = &cls->stats;
	printf("{\"name\":");
	print_json_string(cls->spec);
	printf(",\"mix\":");
	print_json_string(cls->mix);
	printf(",\"connections\":%d,\"depth\":%d,\"sent\":%" PRIu64 ",\"answered\":%" PRIu64 ",\"measured\":%" PRIu64
			",\"throughput\":%.3f,\"p50Us\":%.1f,\"p99Us\":%.1f,\"p999Us\":%.1f,\"maxUs\":%.3f"
			",\"errors\":%" PRIu64 ",\"duplicates\":%" PRIu64 ",\"lost\":%" PRIu64 ",\"disconnects\":%" PRIu64 "}",
			cls->connections, cls->depth, stats->sent, stats->answered, stats->measured, throughput(run, cls),
			histogram_percentile_us(&stats->latency, 50), histogram_percentile_us(&stats->latency, 99),
			histogram_percentile_us(&stats->latency, 99.9), (double) stats->latency.max_ns / 1e3, errors_of(cls),
			stats->duplicates, stats->lost, stats->disconnects);
}

static void print_json_cpu(const char *name, double value)
{
	if (!isnan(value)) {
		printf(",\"%s\":%.4f", name, value);
	}
}

/* The RESULT line: RunResult's fields, with the optional CPU fields Summary prints when present. */
static void print_result_line(const struct run *run)
{
	const struct options *options = run->options;
	printf("RESULT {\"scenario\":");
	print_json_string(options->scenario);
	printf(",\"server\":");
	print_json_string(options->server);
	printf(",\"run\":%d,\"durationSeconds\":%.3f,\"warmupSeconds\":%.3f,\"classes\":[", options->run,
			(double) options->duration_ns / NS_PER_S, (double) options->warmup_ns / NS_PER_S);
	for (int c = 0; c < options->class_count; c++) {
		if (c > 0) {
			putchar(',');
		}
		print_json_class(run, options->classes[c]);
	}
	putchar(']');
	print_json_cpu("driverCpuMsPer1k", driver_cpu_per_1k(run));
	print_json_cpu("serverCpuMsPer1k", server_cpu_per_1k(run));
	printf("}\n");
}

static bool all_answered_once(const struct run *run)
{
	for (int c = 0; c < run->options->class_count; c++) {
		const struct stats *stats = &run->options->classes[c]->stats;
		if (errors_of(run->options->classes[c]) > 0 || stats->lost > 0 || stats->disconnects > 0) {
			return false;
		}
	}
	return true;
}

int main(int argc, char **argv)
{
	struct options options;
	parse_options(argc, argv, &options);
	struct run run = { .options = &options, .epoll_fd = epoll_create1(EPOLL_CLOEXEC) };
	if (run.epoll_fd < 0) {
		fail(2, "epoll_create1: %s", strerror(errno));
	}
	if (options.server_pid > 0 && process_cpu_ms(options.server_pid) < 0) {
		fail(2, "cannot read the CPU time of --server-pid %d from /proc", options.server_pid);
	}
	open_connections(&run);
	run_load(&run);
	count_lost_and_close(&run);
	print_table(&run);
	print_result_line(&run);
	return all_answered_once(&run) ? 0 : 1;
}
