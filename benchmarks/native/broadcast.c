/*
 * broadcast: a native load generator for the chat room of the sample (profile chat), which broadcasts
 * every "SAY <text>" line to every open connection as "<sender's connection id>: <text>". One thread on
 * Linux epoll, non-blocking sockets, 127.0.0.1 only, so that it takes as little as it can of the cores it
 * shares with the servers. benchmarks/broadcast.sh runs it.
 *
 *   broadcast --ports <p1>[,<p2>...] [--clients 32] [--senders 4] [--lines 2000] [--timeout 60] [--stall 10]
 *
 *   --ports     the chat servers' ports on 127.0.0.1; the clients are spread over them round-robin
 *               (client i connects to port i mod n)
 *   --clients   connections in all, each of them a listener
 *   --senders   the first S clients also say lines
 *   --lines     lines said by each sender in the measurement
 *   --timeout   seconds for the whole run: connecting, warm-up and measurement
 *   --stall     seconds without a new line heard by any client during the measurement after which the run
 *               gives up as it does on the timeout (lines the servers dropped never come)
 *
 * Phases:
 *   1. connect: every client connects (non-blocking connect); the run waits until all are connected.
 *   2. warm: every sender says "warm-<i>"; the warm-up ends when every client has heard the warm line of
 *      every sender, which proves that every node sees every client (a connection the server has not
 *      registered yet misses a broadcast). Senders whose warm line some client has not heard after 500 ms
 *      say it again; a client counts each sender's warm line once.
 *   3. measure: the clock starts, and every sender pipelines its L lines "SAY <i>-<n>\n" (n = 0..L-1),
 *      written in chunks of at most 4 KiB, waiting for EPOLLOUT when the socket takes no more, while every
 *      client reads. The clock stops when every client has heard each of the S*L lines.
 *
 * Checks: per client and sender, each line n must come once (a second copy counts as a duplicate) and
 * after no later line of that sender (else out_of_order); a line that is neither a warm line nor a
 * measured line of a known sender is unexpected (as an "ERR ..." answer would be).
 *
 * Prints one line:
 *   RESULT clients=C senders=S lines=L seconds=T lines_per_s=<S*L/T> deliveries_per_s=<C*S*L/T> lost=<n>
 *          out_of_order=<n> duplicates=<n> unexpected=<n> warm_ms=<n> warm_rounds=<n> end=<how> cpu_ms=<n>
 * where lost is the deliveries expected minus those received (0 unless the run timed out, stalled or a
 * connection closed), warm_ms the time from all connected to all warm, end how the run ended (done,
 * timeout, stall or closed: a connection closed) and cpu_ms this process's user + system CPU
 * time over its whole life (getrusage), to compare with what the servers spent. Progress and errors go
 * to stderr.
 * Exit status: 0 when every line reached every client once and in order, 1 on a timeout, a stall, a closed
 * connection, or any out-of-order, duplicate or unexpected line, 2 on bad options or a failed connect.
 *
 * Build: cc -O2 -Wall -Wextra -o benchmarks/target/broadcast benchmarks/native/broadcast.c
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
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

#define MAX_PORTS 16
#define MAX_CLIENTS 10000
#define MAX_LINES 10000000
#define MAX_DELIVERIES (1LL << 32)  /* clients x senders x lines: one bit each, 512 MiB at most */
#define MAX_TIMEOUT_S 86400
#define MAX_LINE 4096               /* longest line heard; longer ones are unexpected */
#define READ_SIZE 65536
#define READS_PER_EVENT 8           /* reads of one socket per readiness event, so that all get their turn */
#define WRITE_CHUNK 4096            /* bytes per write() */
#define MAX_EVENTS 256
#define MAX_WAIT_MS 100
#define WARM_RESEND_MS 500
#define NS_PER_S 1000000000LL
#define NS_PER_MS 1000000LL

enum phase { CONNECTING, WARMING, MEASURING, DONE };

struct client {
	int fd;                         /* -1 once closed */
	int index;
	int port;
	bool connected;
	bool watching_out;              /* registered for EPOLLOUT */
	char *in;                       /* bytes heard, not yet split into lines */
	size_t in_length;
	bool skipping;                  /* dropping the rest of an overlong line */
	char *out;                      /* bytes to say, from out_offset to out_length (senders only) */
	size_t out_offset;
	size_t out_length;
	size_t out_capacity;
	int warm_heard;                 /* senders whose warm line this client heard */
	uint8_t *warm_from;             /* [senders]: heard that sender's warm line */
	int64_t *highest;               /* [senders]: highest n heard from that sender, -1 at first */
	uint64_t measured;              /* distinct measured lines heard */
};

struct run {
	int ports[MAX_PORTS];
	int port_count;
	int clients;
	int senders;
	long lines;
	int timeout_s;
	int stall_s;
	struct client *client;
	int epoll_fd;
	enum phase phase;
	int connected;
	int warm_clients;               /* clients that heard every sender's warm line */
	int warm_rounds;
	int complete_clients;           /* clients that heard every measured line */
	uint64_t *heard;                /* bit per (client, sender, n) */
	uint64_t out_of_order;
	uint64_t duplicates;
	uint64_t unexpected;
	int disconnects;
	int64_t deadline;
	int64_t connected_at;
	int64_t warm_sent_at;
	int64_t measure_from;
	int64_t measure_until;
	int64_t last_progress;          /* when a client last heard a new measured line */
};

static void fail(int status, const char *format, ...) __attribute__((format(printf, 2, 3), noreturn));

static void fail(int status, const char *format, ...)
{
	va_list args;
	va_start(args, format);
	fputs("broadcast: ", stderr);
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
	"usage: broadcast --ports <p1>[,<p2>...] [--clients 32] [--senders 4] [--lines 2000] [--timeout 60]\n"
	"                 [--stall 10]\n"
	"  --ports    chat servers on 127.0.0.1; clients spread over them round-robin\n"
	"  --clients  connections in all, every one a listener\n"
	"  --senders  the first S clients also say lines\n"
	"  --lines    lines said by each sender in the measurement\n"
	"  --timeout  seconds for the whole run (connect, warm-up, measurement)\n"
	"  --stall    seconds without a new line heard during the measurement before giving up\n";

static void usage_error(const char *format, ...) __attribute__((format(printf, 1, 2), noreturn));

static void usage_error(const char *format, ...)
{
	va_list args;
	va_start(args, format);
	fputs("broadcast: ", stderr);
	vfprintf(stderr, format, args);
	fprintf(stderr, "\n%s", USAGE);
	va_end(args);
	exit(2);
}

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

static long parse_option(const char *name, const char *text, long min, long max)
{
	long value;
	if (!parse_long(text, min, max, &value)) {
		usage_error("%s must be a number from %ld to %ld: %s", name, min, max, text);
	}
	return value;
}

static void parse_ports(struct run *run, const char *text)
{
	char copy[256];
	if (snprintf(copy, sizeof copy, "%s", text) >= (int) sizeof copy) {
		usage_error("--ports too long: %s", text);
	}
	run->port_count = 0;
	char *save = NULL;
	for (char *part = strtok_r(copy, ",", &save); part != NULL; part = strtok_r(NULL, ",", &save)) {
		if (run->port_count == MAX_PORTS) {
			usage_error("at most %d ports: %s", MAX_PORTS, text);
		}
		run->ports[run->port_count++] = (int) parse_option("a port", part, 1, 65535);
	}
}

static void parse_options(int argc, char **argv, struct run *run)
{
	run->clients = 32;
	run->senders = 4;
	run->lines = 2000;
	run->timeout_s = 60;
	run->stall_s = 10;
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
		if (strcmp(name, "--ports") == 0) {
			parse_ports(run, value);
		}
		else if (strcmp(name, "--clients") == 0) {
			run->clients = (int) parse_option(name, value, 1, MAX_CLIENTS);
		}
		else if (strcmp(name, "--senders") == 0) {
			run->senders = (int) parse_option(name, value, 1, MAX_CLIENTS);
		}
		else if (strcmp(name, "--lines") == 0) {
			run->lines = parse_option(name, value, 1, MAX_LINES);
		}
		else if (strcmp(name, "--timeout") == 0) {
			run->timeout_s = (int) parse_option(name, value, 1, MAX_TIMEOUT_S);
		}
		else if (strcmp(name, "--stall") == 0) {
			run->stall_s = (int) parse_option(name, value, 1, MAX_TIMEOUT_S);
		}
		else {
			usage_error("unknown option %s", name);
		}
	}
	if (run->port_count == 0) {
		usage_error("--ports is required");
	}
	if (run->senders > run->clients) {
		usage_error("--senders (%d) must not exceed --clients (%d)", run->senders, run->clients);
	}
	if ((long long) run->clients * run->senders * run->lines > MAX_DELIVERIES) {
		usage_error("clients x senders x lines must be at most %lld", MAX_DELIVERIES);
	}
}

/* ---- sockets ---- */

static void watch(struct run *run, struct client *client, int operation, uint32_t events)
{
	struct epoll_event event = { .events = events, .data.u32 = (uint32_t) client->index };
	if (epoll_ctl(run->epoll_fd, operation, client->fd, &event) != 0) {
		fail(2, "epoll_ctl: %s", strerror(errno));
	}
}

/* Registers for what the client waits for now: EPOLLIN once connected, EPOLLOUT while connecting or
 * while its socket takes no more of what it has to say. */
static void set_interest(struct run *run, struct client *client, bool out)
{
	if (out != client->watching_out) {
		watch(run, client, EPOLL_CTL_MOD, EPOLLIN | (out ? EPOLLOUT : 0));
		client->watching_out = out;
	}
}

static void start_connect(struct run *run, struct client *client)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		fail(2, "socket: %s", strerror(errno));
	}
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = htons((uint16_t) client->port) };
	address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	client->fd = fd;
	if (connect(fd, (struct sockaddr *) &address, sizeof address) == 0) {
		client->connected = true;
		run->connected++;
		watch(run, client, EPOLL_CTL_ADD, EPOLLIN);
		return;
	}
	if (errno != EINPROGRESS) {
		fail(2, "connect to 127.0.0.1:%d: %s", client->port, strerror(errno));
	}
	watch(run, client, EPOLL_CTL_ADD, EPOLLOUT);
	client->watching_out = true;
}

static void finish_connect(struct run *run, struct client *client)
{
	int error = 0;
	socklen_t length = sizeof error;
	if (getsockopt(client->fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0) {
		error = errno;
	}
	if (error == EINPROGRESS || error == EALREADY) {
		return;
	}
	if (error != 0) {
		fail(2, "connect to 127.0.0.1:%d: %s", client->port, strerror(error));
	}
	client->connected = true;
	run->connected++;
	watch(run, client, EPOLL_CTL_MOD, EPOLLIN);
	client->watching_out = false;
}

static void close_client(struct run *run, struct client *client, const char *why)
{
	fprintf(stderr, "broadcast: client %d (port %d) %s\n", client->index, client->port, why);
	close(client->fd);   /* also removes it from the epoll set */
	client->fd = -1;
	run->disconnects++;
}

/* ---- saying ---- */

static void say(struct client *client, const char *text)
{
	size_t length = strlen(text);
	if (client->out_length + length > client->out_capacity) {
		if (client->out_offset > 0) {
			memmove(client->out, client->out + client->out_offset, client->out_length - client->out_offset);
			client->out_length -= client->out_offset;
			client->out_offset = 0;
		}
		size_t capacity = client->out_capacity;
		while (client->out_length + length > capacity) {
			capacity = capacity ? capacity * 2 : 4096;
		}
		char *out = realloc(client->out, capacity);
		if (out == NULL) {
			fail(2, "out of memory");
		}
		client->out = out;
		client->out_capacity = capacity;
	}
	memcpy(client->out + client->out_length, text, length);
	client->out_length += length;
}

/* Writes one chunk of what the client has to say. Returns true if more waits and the socket may take it. */
static bool write_chunk(struct run *run, struct client *client)
{
	if (client->fd < 0 || client->watching_out || client->out_offset == client->out_length) {
		return false;
	}
	size_t length = client->out_length - client->out_offset;
	if (length > WRITE_CHUNK) {
		length = WRITE_CHUNK;
	}
	ssize_t written = send(client->fd, client->out + client->out_offset, length, MSG_NOSIGNAL);
	if (written < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK) {
			set_interest(run, client, true);
			return false;
		}
		if (errno == EINTR) {
			return true;
		}
		close_client(run, client, strerror(errno));
		return false;
	}
	client->out_offset += (size_t) written;
	if (client->out_offset == client->out_length) {
		client->out_offset = client->out_length = 0;
		return false;
	}
	if ((size_t) written < length) {
		set_interest(run, client, true);
		return false;
	}
	return true;
}

/* One round-robin pass over the senders, a chunk each. Returns true if some sender can write more now. */
static bool write_pass(struct run *run)
{
	bool more = false;
	for (int s = 0; s < run->senders; s++) {
		more |= write_chunk(run, &run->client[s]);
	}
	return more;
}

static void say_warm_lines(struct run *run)
{
	/* a sender says its warm line again only while some client has not heard it */
	char line[64];
	for (int s = 0; s < run->senders; s++) {
		bool heard_by_all = true;
		for (int c = 0; c < run->clients && heard_by_all; c++) {
			heard_by_all = run->client[c].warm_from[s];
		}
		if (!heard_by_all) {
			snprintf(line, sizeof line, "SAY warm-%d\n", s);
			say(&run->client[s], line);
		}
	}
	run->warm_rounds++;
	run->warm_sent_at = now_ns();
}

static void start_measuring(struct run *run)
{
	char line[64];
	run->phase = MEASURING;
	for (int s = 0; s < run->senders; s++) {
		for (long n = 0; n < run->lines; n++) {
			snprintf(line, sizeof line, "SAY %d-%ld\n", s, n);
			say(&run->client[s], line);
		}
	}
	run->measure_from = now_ns();
	run->last_progress = run->measure_from;
}

/* ---- hearing ---- */

/* Parses a whole decimal number in [0, max) from text..end. */
static bool parse_index(const char *text, const char *end, long max, long *value)
{
	if (text == end || end - text > 10) {
		return false;
	}
	long parsed = 0;
	for (const char *p = text; p < end; p++) {
		if (*p < '0' || *p > '9') {
			return false;
		}
		parsed = parsed * 10 + (*p - '0');
	}
	if (parsed >= max) {
		return false;
	}
	*value = parsed;
	return true;
}

static void heard_line(struct run *run, struct client *client, const char *line, size_t length)
{
	const char *end = line + length;
	const char *colon = memmem(line, length, ": ", 2);
	if (colon == NULL) {
		run->unexpected++;
		return;
	}
	const char *text = colon + 2;
	long sender, n;
	if (end - text > 5 && memcmp(text, "warm-", 5) == 0) {
		if (!parse_index(text + 5, end, run->senders, &sender)) {
			run->unexpected++;
			return;
		}
		if (!client->warm_from[sender]) {
			client->warm_from[sender] = 1;
			if (++client->warm_heard == run->senders) {
				run->warm_clients++;
			}
		}
		return;
	}
	const char *dash = memchr(text, '-', (size_t) (end - text));
	if (dash == NULL || !parse_index(text, dash, run->senders, &sender)
			|| !parse_index(dash + 1, end, run->lines, &n)) {
		run->unexpected++;
		return;
	}
	uint64_t bit = ((uint64_t) client->index * (uint64_t) run->senders + (uint64_t) sender) * (uint64_t) run->lines
			+ (uint64_t) n;
	uint64_t mask = 1ULL << (bit % 64);
	if (run->heard[bit / 64] & mask) {
		run->duplicates++;
		return;
	}
	run->heard[bit / 64] |= mask;
	run->last_progress = now_ns();
	if (n < client->highest[sender]) {
		run->out_of_order++;
	}
	else {
		client->highest[sender] = n;
	}
	if (++client->measured == (uint64_t) run->senders * (uint64_t) run->lines) {
		run->complete_clients++;
	}
}

static void split_lines(struct run *run, struct client *client)
{
	size_t start = 0;
	for (;;) {
		char *newline = memchr(client->in + start, '\n', client->in_length - start);
		if (newline == NULL) {
			break;
		}
		size_t length = (size_t) (newline - (client->in + start));
		if (client->skipping) {
			client->skipping = false;
		}
		else {
			size_t text_length = (length > 0 && client->in[start + length - 1] == '\r') ? length - 1 : length;
			heard_line(run, client, client->in + start, text_length);
		}
		start += length + 1;
	}
	memmove(client->in, client->in + start, client->in_length - start);
	client->in_length -= start;
	if (client->in_length >= MAX_LINE) {   /* a line longer than any this server writes */
		run->unexpected++;
		client->skipping = true;
		client->in_length = 0;
	}
}

static void read_client(struct run *run, struct client *client)
{
	for (int i = 0; i < READS_PER_EVENT && client->fd >= 0; i++) {
		size_t room = MAX_LINE + READ_SIZE - client->in_length;
		ssize_t n = recv(client->fd, client->in + client->in_length, room, 0);
		if (n == 0) {
			close_client(run, client, "closed by the server");
			return;
		}
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				return;
			}
			if (errno == EINTR) {
				continue;
			}
			close_client(run, client, strerror(errno));
			return;
		}
		client->in_length += (size_t) n;
		split_lines(run, client);
		if ((size_t) n < room) {
			return;
		}
	}
}

/* ---- the run ---- */

static void handle_event(struct run *run, struct epoll_event *event)
{
	struct client *client = &run->client[event->data.u32];
	if (client->fd < 0) {
		return;
	}
	if (!client->connected) {
		finish_connect(run, client);
		return;
	}
	if (event->events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
		read_client(run, client);
	}
	if (client->fd >= 0 && (event->events & EPOLLOUT)) {
		set_interest(run, client, false);
		write_chunk(run, client);
	}
}

/* Moves on to the next phase when the current one is over. */
static void advance(struct run *run, int64_t now)
{
	if (run->phase == CONNECTING && run->connected == run->clients) {
		run->connected_at = now;
		run->phase = WARMING;
		fprintf(stderr, "broadcast: %d clients connected to port(s)", run->clients);
		for (int p = 0; p < run->port_count; p++) {
			fprintf(stderr, "%s%d", p ? "," : " ", run->ports[p]);
		}
		fputc('\n', stderr);
		say_warm_lines(run);
	}
	if (run->phase == WARMING) {
		if (run->warm_clients == run->clients) {
			start_measuring(run);
		}
		else if (now - run->warm_sent_at >= WARM_RESEND_MS * NS_PER_MS) {
			fprintf(stderr, "broadcast: %d of %d clients heard every warm line after %.1f s; saying them again\n",
					run->warm_clients, run->clients, (double) (now - run->connected_at) / NS_PER_S);
			say_warm_lines(run);
		}
	}
	if (run->phase == MEASURING && run->complete_clients == run->clients) {
		run->measure_until = now_ns();
		run->phase = DONE;
	}
}

static double cpu_ms(void)
{
	struct rusage usage;
	getrusage(RUSAGE_SELF, &usage);
	return (double) (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e3
			+ (double) (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e3;
}

int main(int argc, char **argv)
{
	struct run *run = allocate(sizeof *run);
	parse_options(argc, argv, run);
	run->client = allocate(sizeof *run->client * (size_t) run->clients);
	uint64_t deliveries = (uint64_t) run->clients * (uint64_t) run->senders * (uint64_t) run->lines;
	run->heard = allocate(sizeof *run->heard * (size_t) ((deliveries + 63) / 64));
	run->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	if (run->epoll_fd < 0) {
		fail(2, "epoll_create1: %s", strerror(errno));
	}
	run->deadline = now_ns() + (int64_t) run->timeout_s * NS_PER_S;
	for (int c = 0; c < run->clients; c++) {
		struct client *client = &run->client[c];
		client->index = c;
		client->port = run->ports[c % run->port_count];
		client->in = allocate(MAX_LINE + READ_SIZE);
		client->warm_from = allocate((size_t) run->senders);
		client->highest = allocate(sizeof *client->highest * (size_t) run->senders);
		for (int s = 0; s < run->senders; s++) {
			client->highest[s] = -1;
		}
		start_connect(run, client);
	}

	struct epoll_event events[MAX_EVENTS];
	bool timed_out = false;
	bool stalled = false;
	bool more_to_write = false;
	while (run->phase != DONE) {
		int64_t now = now_ns();
		if (now >= run->deadline) {
			timed_out = true;
			break;
		}
		if (run->disconnects > 0) {
			break;
		}
		if (run->phase == MEASURING && now - run->last_progress >= (int64_t) run->stall_s * NS_PER_S) {
			stalled = true;
			break;
		}
		int wait_ms = more_to_write ? 0 : MAX_WAIT_MS;
		int64_t left_ms = (run->deadline - now) / NS_PER_MS + 1;
		if (left_ms < wait_ms) {
			wait_ms = (int) left_ms;
		}
		int ready = epoll_wait(run->epoll_fd, events, MAX_EVENTS, wait_ms);
		if (ready < 0) {
			if (errno == EINTR) {
				continue;
			}
			fail(2, "epoll_wait: %s", strerror(errno));
		}
		for (int i = 0; i < ready; i++) {
			handle_event(run, &events[i]);
		}
		advance(run, now_ns());
		more_to_write = run->phase != DONE && write_pass(run);
	}

	if (run->measure_until == 0) {
		run->measure_until = now_ns();
	}
	uint64_t received = 0;
	for (int c = 0; c < run->clients; c++) {
		received += run->client[c].measured;
	}
	const char *phase_names[] = { "connecting", "warming up", "measuring", "done" };
	if (timed_out) {
		fprintf(stderr, "broadcast: timed out after %d s while %s: %d of %d clients connected, %d warm, %d complete;"
				" %" PRIu64 " of %" PRIu64 " deliveries received\n", run->timeout_s, phase_names[run->phase],
				run->connected, run->clients, run->warm_clients, run->complete_clients, received, deliveries);
	}
	else if (stalled) {
		fprintf(stderr, "broadcast: stalled: no new line heard for %d s; %d of %d clients complete; %" PRIu64
				" of %" PRIu64 " deliveries received\n", run->stall_s, run->complete_clients, run->clients,
				received, deliveries);
	}
	else if (run->disconnects > 0) {
		fprintf(stderr, "broadcast: stopped while %s: %d connection(s) closed\n", phase_names[run->phase],
				run->disconnects);
	}
	double seconds = (run->measure_from > 0) ? (double) (run->measure_until - run->measure_from) / NS_PER_S : 0;
	double lines = (double) run->senders * (double) run->lines;
	printf("RESULT clients=%d senders=%d lines=%ld seconds=%.3f lines_per_s=%.0f deliveries_per_s=%.0f"
			" lost=%" PRIu64 " out_of_order=%" PRIu64 " duplicates=%" PRIu64 " unexpected=%" PRIu64
			" warm_ms=%.0f warm_rounds=%d end=%s cpu_ms=%.0f\n",
			run->clients, run->senders, run->lines, seconds,
			(seconds > 0) ? lines / seconds : 0, (seconds > 0) ? lines * run->clients / seconds : 0,
			deliveries - received, run->out_of_order, run->duplicates, run->unexpected,
			(run->connected_at > 0) ? (double) ((run->measure_from > 0 ? run->measure_from : run->measure_until)
					- run->connected_at) / NS_PER_MS : 0,
			run->warm_rounds,
			timed_out ? "timeout" : stalled ? "stall" : (run->disconnects > 0) ? "closed" : "done", cpu_ms());
	fflush(stdout);
	bool clean = !timed_out && !stalled && run->disconnects == 0 && run->out_of_order == 0 && run->duplicates == 0
			&& run->unexpected == 0;
	return clean ? 0 : 1;
}
