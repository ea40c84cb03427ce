/*
 * tutoratd: the FastCGI daemon. Loads the configuration and the signing
 * keys (refusing to start without them), opens its two sockets (the API's
 * and the health socket), then supervises `processes` worker processes of
 * `threads` worker threads and one health thread each, and restarts one
 * that dies, whatever the number of processes.
 */
#include "config.h"
#include "dispatch.h"
#include "health.h"
#include "keys.h"
#include "ldapguard.h"
#include "log.h"
#include "metrics.h"
#include "ready.h"
#include "schema.h"
#include "util.h"
#include "worker.h"

#include <errno.h>
#include <fcgiapp.h>
#include <fcntl.h>
#include <getopt.h>
#include <mysql.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static void usage(void)
{
	fprintf(stderr, "usage: tutoratd -c CONFIG [-p PROCESSES] [-t THREADS]\n");
	exit(2);
}

/*
 * Runs the worker threads of one process until SIGTERM or SIGINT, then
 * drains: the signals are blocked in every thread and taken here with
 * sigwait, so no handler runs in the middle of a request; a byte on the
 * stop pipe tells every thread to take no new connection, each finishes and
 * answers the request it is serving, and we return once all have ended.
 * The listening socket is left as it is: sibling processes, or the next
 * instance under socket activation, keep accepting on it.
 */
static int serve(struct server *srv, int threads)
{
	pthread_t *tids = calloc((size_t)threads, sizeof(*tids));
	struct worker **ws = calloc((size_t)threads, sizeof(struct worker *));
	struct health *health;
	int stop[2];
	sigset_t set;
	int sig = 0;

	if (tids == NULL || ws == NULL || pipe(stop) != 0 ||
	    fcntl(stop[0], F_SETFD, FD_CLOEXEC) != 0 || fcntl(stop[1], F_SETFD, FD_CLOEXEC) != 0)
		abort(); /* start-up */
	srv->stop_fd = stop[0];
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	srv->ldap_guard = ldap_guard_new(srv->cfg, threads);
	srv->ready = ready_cache_new(srv->cfg->ready_interval);
	for (int i = 0; i < threads; i++)
		ws[i] = worker_new(srv, srv->process_index * 1000 + i);
	srv->workers = ws;
	srv->n_workers = threads;
	for (int i = 0; i < threads; i++) {
		if (pthread_create(&tids[i], NULL, worker_main, ws[i]) != 0) {
			log_msg("error", "cannot start worker thread %d", i);
			abort();
		}
	}
	health = health_start(srv);
	log_msg("info", "process %d serving with %d threads", (int)getpid(), threads);
	sigwait(&set, &sig);
	if (write(stop[1], "", 1) != 1)
		abort(); /* a fresh pipe with room: cannot happen */
	log_msg("info", "process %d stopping on signal %d: finishing its requests", (int)getpid(),
		sig);
	health_join(health);
	for (int i = 0; i < threads; i++)
		pthread_join(tids[i], NULL);
	srv->workers = NULL;
	srv->n_workers = 0;
	for (int i = 0; i < threads; i++)
		worker_free(ws[i]);
	ready_cache_free(srv->ready);
	ldap_guard_free(srv->ldap_guard);
	srv->ready = NULL;
	srv->ldap_guard = NULL;
	log_msg("info", "process %d stopped", (int)getpid());
	close(stop[0]);
	close(stop[1]);
	free(tids);
	free(ws);
	return 0;
}

/*
 * A worker process for slot `index`; 0 when fork() fails (logged: the
 * supervisor tries again a second later). The child asks the kernel for
 * SIGTERM when its supervisor dies, even by SIGKILL: it then drains and
 * exits instead of serving unsupervised; one whose supervisor died before
 * the request took effect exits at once.
 */
static pid_t spawn(struct server *srv, int index, int threads)
{
	pid_t supervisor = getpid();
	pid_t pid = fork();

	if (pid == 0) {
		if (prctl(PR_SET_PDEATHSIG, SIGTERM) != 0 || getppid() != supervisor)
			_exit(1);
		srv->process_index = index;
		exit(serve(srv, threads));
	}
	if (pid < 0) {
		log_msg("error", "cannot start worker process %d: %s", index, strerror(errno));
		return 0;
	}
	return pid;
}

/*
 * Keeps `processes` worker processes running: one that ends, whatever its
 * status, is logged and started again, at most once a second per slot (a
 * process that dies at start does not make us spin); a fork() that fails
 * is tried again a second later. A slot without a process holds 0, never a
 * pid that kill() would take for "every process" (-1).
 */
static int supervise(struct server *srv, int processes, int threads)
{
	pid_t *pids = calloc((size_t)processes, sizeof(*pids));
	double *started = calloc((size_t)processes, sizeof(*started));
	sigset_t set;

	if (pids == NULL || started == NULL)
		abort();
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);
	for (;;) {
		struct timespec tick = {1, 0};
		int sig, status;
		pid_t dead;

		for (int i = 0; i < processes; i++) {
			if (pids[i] > 0 || now_mono() - started[i] < 1.0)
				continue;
			started[i] = now_mono();
			pids[i] = spawn(srv, i, threads);
		}
		sig = sigtimedwait(&set, NULL, &tick);
		if (sig == SIGTERM || sig == SIGINT)
			break;
		while ((dead = waitpid(-1, &status, WNOHANG)) > 0) {
			for (int i = 0; i < processes; i++) {
				if (pids[i] != dead)
					continue;
				log_msg("error", "worker process %d ended (status %d): restarting",
					(int)dead, status);
				pids[i] = 0;
			}
		}
	}
	for (int i = 0; i < processes; i++)
		if (pids[i] > 0)
			kill(pids[i], SIGTERM);
	for (int i = 0; i < processes; i++)
		if (pids[i] > 0)
			waitpid(pids[i], NULL, 0);
	free(started);
	free(pids);
	return 0;
}

/* Is descriptor fd a listening socket handed to us by our starter? */
static bool inherited_listener(int fd)
{
	int accepting = 0;
	socklen_t len = sizeof(accepting);

	return getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &accepting, &len) == 0 && accepting;
}

/*
 * The listening socket that systemd handed us under `name` (socket
 * activation, sd_listen_fds(3): descriptors from 3, LISTEN_FDNAMES from the
 * socket units' FileDescriptorName=), or -1.
 */
static int systemd_socket(const char *name)
{
	const char *pid = getenv("LISTEN_PID"), *fds = getenv("LISTEN_FDS");
	const char *names = getenv("LISTEN_FDNAMES");
	size_t n = strlen(name);
	long count;

	if (pid == NULL || fds == NULL || names == NULL || strtol(pid, NULL, 10) != (long)getpid())
		return -1;
	count = strtol(fds, NULL, 10);
	for (long i = 0; i < count && names != NULL; i++) {
		if (strncmp(names, name, n) == 0 && (names[n] == ':' || names[n] == '\0'))
			return inherited_listener(3 + (int)i) ? 3 + (int)i : -1;
		names = strchr(names, ':');
		if (names != NULL)
			names++;
	}
	return -1;
}

/*
 * One of our two sockets: the one systemd named `name`; for the API socket,
 * standard input when it is a listening socket (StandardInput=socket,
 * spawn-fcgi); else the unix socket at `path`, made here (*owned set), in
 * nonblocking mode as the workers need it (see worker_accept_loop). -1
 * after a message on stderr.
 */
static int open_listener(const struct config *cfg, const char *name, const char *path,
			 bool stdin_ok, bool *owned)
{
	int fd = systemd_socket(name), fl;

	*owned = false;
	if (fd < 0 && stdin_ok && inherited_listener(0))
		fd = 0;
	if (fd < 0) {
		unlink(path);
		fd = FCGX_OpenSocket(path, 1024);
		if (fd < 0) {
			fprintf(stderr, "tutoratd: cannot listen on %s: %s\n", path,
				strerror(errno));
			return -1;
		}
		*owned = true;
		if (chmod(path, (mode_t)cfg->socket_mode) != 0)
			log_msg("warn", "cannot set the mode of %s: %s", path, strerror(errno));
	}
	fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) != 0) {
		fprintf(stderr, "tutoratd: cannot make %s non-blocking: %s\n", path,
			strerror(errno));
		return -1;
	}
	return fd;
}

int main(int argc, char **argv)
{
	const char *path = NULL;
	int processes = -1, threads = -1, opt;
	char err[4096];
	struct config *cfg;
	struct keyring *keys;
	struct server srv = {0};
	bool owns_socket = false, owns_health = false;

	while ((opt = getopt(argc, argv, "c:p:t:")) != -1) {
		switch (opt) {
		case 'c':
			path = optarg;
			break;
		case 'p':
			processes = (int)strtol(optarg, NULL, 10);
			break;
		case 't':
			threads = (int)strtol(optarg, NULL, 10);
			break;
		default:
			usage();
		}
	}
	if (path == NULL)
		usage();
	cfg = config_load(path, err, sizeof(err));
	if (cfg == NULL) {
		fprintf(stderr, "%s", err);
		return 1;
	}
	if (processes > 0)
		cfg->processes = processes;
	if (threads > 0)
		cfg->threads = threads;
	if (cfg->processes < 1 || cfg->processes > 64 || cfg->threads < 1 || cfg->threads > 256) {
		fprintf(stderr, "processes must be 1-64 and threads 1-256\n");
		return 1;
	}
	keys = keys_load(cfg->keys_dir, err, sizeof(err));
	if (keys == NULL) {
		fprintf(stderr, "tutoratd: %s\n", err);
		return 1;
	}
	if (mysql_library_init(0, NULL, NULL) != 0) {
		fprintf(stderr, "tutoratd: cannot initialise the MariaDB library\n");
		return 1;
	}
	/* The académies' ids are needed to bind any statement: wait a little
	 * for a database that is starting, then give up loudly. */
	for (int attempt = 0;; attempt++) {
		if (schema_load_academy_ids(cfg, err, sizeof(err)))
			break;
		if (attempt == 30 || strstr(err, "tutoratctl migrate") != NULL) {
			fprintf(stderr, "tutoratd: %s\n", err);
			return 1;
		}
		sleep(1);
	}
	metrics_init(routes_init());
	if (FCGX_Init() != 0) {
		fprintf(stderr, "tutoratd: FCGX_Init failed\n");
		return 1;
	}
	srv.listen_fd = open_listener(cfg, "fcgi", cfg->socket, true, &owns_socket);
	if (srv.listen_fd < 0)
		return 1;
	srv.health_fd = open_listener(cfg, "health", cfg->health_socket, false, &owns_health);
	if (srv.health_fd < 0)
		return 1;
	srv.cfg = cfg;
	srv.keys = keys;
	log_msg("info",
		"tutoratd listening on %s (health: %s): %d process(es) x %d thread(s), %zu "
		"routes, %zu keys",
		cfg->socket, cfg->health_socket, cfg->processes, cfg->threads, routes_count(),
		keys->n);

	int rc = supervise(&srv, cfg->processes, cfg->threads);

	close(srv.listen_fd);
	close(srv.health_fd);
	if (owns_socket)
		unlink(cfg->socket);
	if (owns_health)
		unlink(cfg->health_socket);
	keys_free(keys);
	config_free(cfg);
	mysql_library_end();
	return rc;
}
