#include "backup.h"
#include "audit.h"
#include "auth_db.h"
#include "config.h"
#include "db.h"
#include "req.h"
#include "schema.h"
#include "util.h"
#include "worker.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <mysql.h>
#include <openssl/evp.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define MANIFEST_FORMAT "tutorat-backup/1"
#define TOOL		"mariadb-backup"
#define ARG_MAX_LEN	(PATH_MAX + 32)

/* Relative paths of the regular files under a directory ("data/..."). */
struct file_list {
	char **v;
	size_t n, cap;
};

static void files_free(struct file_list *l)
{
	for (size_t i = 0; l->v != NULL && i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static int cmp_path(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* ---- directories ---- */

/* What a path is: *exists, and *empty when it is a directory. False, with
 * a message, when it is something else than a directory or unreadable. */
static bool dir_state(const char *path, bool *exists, bool *empty)
{
	struct stat st;
	struct dirent *de;
	DIR *d;

	*exists = *empty = false;
	if (lstat(path, &st) != 0) {
		if (errno == ENOENT)
			return true;
		fprintf(stderr, "tutoratctl: %s: %s\n", path, strerror(errno));
		return false;
	}
	if (!S_ISDIR(st.st_mode)) {
		fprintf(stderr, "tutoratctl: %s is not a directory\n", path);
		return false;
	}
	*exists = true;
	d = opendir(path);
	if (d == NULL) {
		fprintf(stderr, "tutoratctl: %s: %s\n", path, strerror(errno));
		return false;
	}
	*empty = true;
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			*empty = false;
	closedir(d);
	return true;
}

/* A new or empty directory, for a backup or a data directory: refused if
 * it holds anything; made (or left) 0700, as it will hold personal data. */
static bool check_new_dir(const char *path, const char *what)
{
	bool exists, empty;

	if (!dir_state(path, &exists, &empty))
		return false;
	if (exists && !empty) {
		fprintf(stderr, "tutoratctl: %s %s is not empty: nothing done\n", what, path);
		return false;
	}
	return true;
}

static bool make_private_dir(const char *path)
{
	if (mkdir(path, 0700) != 0 && errno != EEXIST) {
		fprintf(stderr, "tutoratctl: cannot create %s: %s\n", path, strerror(errno));
		return false;
	}
	if (chmod(path, 0700) != 0) {
		fprintf(stderr, "tutoratctl: cannot set the mode of %s: %s\n", path,
			strerror(errno));
		return false;
	}
	return true;
}

static void files_add(struct file_list *l, const char *path)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 256;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
		if (l->v == NULL)
			abort();
	}
	l->v[l->n] = strdup(path);
	if (l->v[l->n++] == NULL)
		abort();
}

/*
 * Adds the regular files under root/top to *out as "top/...", through
 * every subdirectory (a list of those still to read, not recursion).
 * Anything else (a symbolic link, a device) is refused: neither
 * mariadb-backup nor a manifest has one.
 */
static bool walk(const char *root, const char *top, struct file_list *out)
{
	char dir[PATH_MAX], path[PATH_MAX], sub[PATH_MAX];
	struct file_list todo = {0};
	bool ok = true;

	files_add(&todo, top);
	for (size_t d = 0; ok && d < todo.n; d++) {
		struct dirent **names = NULL;
		struct stat st;
		int n;

		if (!fmt(dir, sizeof(dir), "%s/%s", root, todo.v[d]) ||
		    (n = scandir(dir, &names, NULL, alphasort)) < 0) {
			fprintf(stderr, "tutoratctl: %s: %s\n", dir, strerror(errno));
			ok = false;
			break;
		}
		for (int i = 0; i < n; i++) {
			const char *name = names[i]->d_name;

			if (!ok || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
				continue;
			if (!fmt(sub, sizeof(sub), "%s/%s", todo.v[d], name) ||
			    !fmt(path, sizeof(path), "%s/%s", root, sub) || lstat(path, &st) != 0) {
				fprintf(stderr, "tutoratctl: %s/%s: cannot read\n", dir, name);
				ok = false;
			} else if (S_ISDIR(st.st_mode)) {
				files_add(&todo, sub);
			} else if (S_ISREG(st.st_mode)) {
				files_add(out, sub);
			} else {
				fprintf(stderr, "tutoratctl: %s is not a regular file\n", path);
				ok = false;
			}
		}
		for (int i = 0; i < n; i++)
			free(names[i]);
		free(names);
	}
	files_free(&todo);
	return ok;
}

/* The SHA-256 of a file, in hex, and its size. */
static bool sha256_file(const char *path, char hex[65], long long *size)
{
	static const char digits[] = "0123456789abcdef";
	unsigned char buf[1 << 16], md[EVP_MAX_MD_SIZE];
	unsigned int md_len = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	bool ok = ctx != NULL && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1;
	FILE *fp = fopen(path, "rb");
	size_t got;

	*size = 0;
	while (ok && fp != NULL && (got = fread(buf, 1, sizeof(buf), fp)) > 0) {
		ok = EVP_DigestUpdate(ctx, buf, got) == 1;
		*size += (long long)got;
	}
	ok = ok && fp != NULL && !ferror(fp) && EVP_DigestFinal_ex(ctx, md, &md_len) == 1 &&
	     md_len == 32;
	for (size_t i = 0; ok && i < md_len; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 15];
	}
	hex[ok ? 64 : 0] = '\0';
	if (fp != NULL)
		fclose(fp);
	EVP_MD_CTX_free(ctx);
	return ok;
}

/* The first line of a small text file, without its newline; false if
 * there is none. */
static bool first_line(const char *path, char *buf, size_t cap)
{
	FILE *fp = fopen(path, "r");
	bool ok;

	if (fp == NULL)
		return false;
	ok = fgets(buf, (int)cap, fp) != NULL;
	fclose(fp);
	if (ok)
		buf[strcspn(buf, "\r\n")] = '\0';
	return ok && buf[0] != '\0';
}

/* ---- running mariadb-backup ---- */

/* The last lines of the tool's log, after a failure. */
static void print_tail(const char *log_path)
{
	char lines[12][512];
	size_t n = 0;
	FILE *fp = fopen(log_path, "r");

	if (fp == NULL)
		return;
	while (fgets(lines[n % 12], sizeof(lines[0]), fp) != NULL)
		n++;
	fclose(fp);
	for (size_t i = n > 12 ? n - 12 : 0; i < n; i++)
		fprintf(stderr, "  %s", lines[i % 12]);
}

/*
 * Runs mariadb-backup with an argument vector (no shell; found on PATH),
 * stdin from /dev/null, its output appended to log_path; true when it
 * exits with 0. On failure, says so with the end of its log.
 */
static bool run_tool(char *const argv[], const char *log_path)
{
	posix_spawn_file_actions_t fa;
	int status = 0, rc;
	pid_t pid;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, log_path, O_WRONLY | O_CREAT | O_APPEND, 0600);
	posix_spawn_file_actions_adddup2(&fa, 1, 2);
	rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0) {
		fprintf(stderr, "tutoratctl: cannot run %s: %s (Debian package mariadb-backup)\n",
			argv[0], strerror(rc));
		return false;
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "tutoratctl: waiting for %s: %s\n", argv[0],
				strerror(errno));
			return false;
		}
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return true;
	fprintf(stderr, "tutoratctl: %s %s failed (%s %d); the end of its output:\n", argv[0],
		argv[1], WIFEXITED(status) ? "exit code" : "signal",
		WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
	print_tail(log_path);
	return false;
}

/* A private directory for the defaults file and the tool's log, and
 * their paths. */
struct scratch {
	char dir[PATH_MAX], defaults[PATH_MAX], log[PATH_MAX];
};

static bool scratch_open(struct scratch *s)
{
	const char *tmp = getenv("TMPDIR");

	memset(s, 0, sizeof(*s));
	if (!fmt(s->dir, sizeof(s->dir), "%s/tutoratctl.XXXXXX",
		 tmp != NULL && tmp[0] == '/' ? tmp : "/tmp") ||
	    mkdtemp(s->dir) == NULL) {
		fprintf(stderr, "tutoratctl: cannot create a private temporary directory: %s\n",
			strerror(errno));
		s->dir[0] = '\0';
		return false;
	}
	return fmt(s->defaults, sizeof(s->defaults), "%s/client.cnf", s->dir) &&
	       fmt(s->log, sizeof(s->log), "%s/%s.log", s->dir, TOOL);
}

static void scratch_close(struct scratch *s)
{
	if (s->dir[0] == '\0')
		return;
	unlink(s->defaults);
	unlink(s->log);
	rmdir(s->dir);
}

/* One `name = "value"` line of an option file; values with a control
 * character are refused (they cannot be written there). */
/* The server to back up over TCP: [database] host, or the first of its
 * hosts. */
static const char *backup_host(const struct config *cfg)
{
	return cfg->db.n_hosts > 0 ? cfg->db.hosts[0] : cfg->db.host;
}

static int backup_port(const struct config *cfg)
{
	return cfg->db.n_hosts > 0 && cfg->db.host_ports[0] != 0 ? cfg->db.host_ports[0]
								 : cfg->db.port;
}

static bool option_line(FILE *fp, const char *name, const char *value)
{
	fprintf(fp, "%s = \"", name);
	for (const char *c = value; *c != '\0'; c++) {
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			return false;
		if (*c == '"' || *c == '\\')
			fputc('\\', fp);
		fputc(*c, fp);
	}
	fputs("\"\n", fp);
	return true;
}

/*
 * The connection of cfg's [database] as a mariadb-backup option file, mode
 * 0600 in the private directory: the password never goes on a command line
 * (where ps and mariadb-backup's own xtrabackup_info would show it).
 */
static bool write_defaults(const struct config *cfg, const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	FILE *fp = fd >= 0 ? fdopen(fd, "w") : NULL;
	bool ok;

	if (fp == NULL) {
		if (fd >= 0)
			close(fd);
		fprintf(stderr, "tutoratctl: cannot write %s: %s\n", path, strerror(errno));
		return false;
	}
	fputs("[mariadb-backup]\n", fp);
	ok = option_line(fp, "user", cfg->db.user);
	if (ok && cfg->db.password != NULL)
		ok = option_line(fp, "password", cfg->db.password);
	if (ok && cfg->db.socket != NULL) {
		ok = option_line(fp, "socket", cfg->db.socket);
	} else if (ok) {
		/* mariadb-backup copies the files of the server it runs beside:
		 * with a list of Galera nodes, the first one (run it there). */
		ok = option_line(fp, "host", backup_host(cfg));
		fprintf(fp, "port = %d\n", backup_port(cfg));
	}
	if (ok && cfg->db.tls) {
		fputs("ssl-verify-server-cert\n", fp);
		if (cfg->db.tls_ca_file != NULL)
			ok = option_line(fp, "ssl-ca", cfg->db.tls_ca_file);
	}
	if (fclose(fp) != 0 || !ok) {
		fprintf(stderr, "tutoratctl: cannot write the [database] settings to %s\n", path);
		return false;
	}
	return true;
}

/* ---- backup ---- */

struct server_info {
	char version[128];
	bool galera;
};

/*
 * Connects as cfg's [database] says, without choosing a database (a backup
 * user has no privilege on one), and reads the server's version and
 * whether it is a Galera node.
 */
static bool server_info(const struct config *cfg, struct server_info *out)
{
	MYSQL *my = mysql_init(NULL);
	unsigned int t = (unsigned int)cfg->db.timeout;
	MYSQL_RES *res = NULL;
	MYSQL_ROW row;
	bool ok = false;

	if (my == NULL)
		abort();
	mysql_optionsv(my, MYSQL_OPT_CONNECT_TIMEOUT, &t);
	mysql_optionsv(my, MYSQL_OPT_READ_TIMEOUT, &t);
	if (cfg->db.tls) {
		my_bool yes = 1;

		mysql_optionsv(my, MYSQL_OPT_SSL_ENFORCE, &yes);
		mysql_optionsv(my, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &yes);
		if (cfg->db.tls_ca_file != NULL)
			mysql_optionsv(my, MYSQL_OPT_SSL_CA, cfg->db.tls_ca_file);
	}
	if (mysql_real_connect(my, cfg->db.socket != NULL ? NULL : backup_host(cfg), cfg->db.user,
			       cfg->db.password, NULL, (unsigned)backup_port(cfg), cfg->db.socket,
			       0) == NULL ||
	    mysql_query(my, "SELECT @@version, @@wsrep_on") != 0 ||
	    (res = mysql_store_result(my)) == NULL || (row = mysql_fetch_row(res)) == NULL) {
		fprintf(stderr, "tutoratctl: backup: cannot reach the database as '%s': %s\n",
			cfg->db.user, mysql_error(my));
		goto out;
	}
	snprintf(out->version, sizeof(out->version), "%s", row[0] != NULL ? row[0] : "");
	out->galera = row[1] != NULL && strcmp(row[1], "1") == 0;
	ok = true;
out:
	if (res != NULL)
		mysql_free_result(res);
	mysql_close(my);
	return ok;
}

static void utc_now(char *buf, size_t cap)
{
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/*
 * What mariadb-backup recorded of the backup's consistent point: the
 * binary log file, position and GTID (when the server writes a binary
 * log), the Galera state (uuid:seqno, with --galera-info) and InnoDB's
 * last LSN. Missing ones are null.
 */
static json_t *consistent_point(const char *data)
{
	char path[PATH_MAX], line[1024], *tok[3] = {NULL, NULL, NULL}, *save = NULL;
	json_t *o = json_object();
	int64_t n;

	json_object_set_new(o, "binlog", json_null());
	if (fmt(path, sizeof(path), "%s/xtrabackup_binlog_info", data) &&
	    first_line(path, line, sizeof(line))) {
		tok[0] = strtok_r(line, " \t", &save);
		tok[1] = tok[0] != NULL ? strtok_r(NULL, " \t", &save) : NULL;
		tok[2] = tok[1] != NULL ? strtok_r(NULL, " \t", &save) : NULL;
		if (tok[1] != NULL && parse_int64(tok[1], strlen(tok[1]), &n))
			json_object_set_new(o, "binlog",
					    json_pack("{s:s, s:I, s:s?}", "file", tok[0],
						      "position", (json_int_t)n, "gtid", tok[2]));
	}
	json_object_set_new(o, "galera",
			    fmt(path, sizeof(path), "%s/xtrabackup_galera_info", data) &&
				    first_line(path, line, sizeof(line))
				? json_string(line)
				: json_null());
	json_object_set_new(o, "innodb_lsn", json_null());
	if (fmt(path, sizeof(path), "%s/xtrabackup_checkpoints", data)) {
		FILE *fp = fopen(path, "r");

		while (fp != NULL && fgets(line, sizeof(line), fp) != NULL) {
			line[strcspn(line, "\r\n")] = '\0';
			if (strncmp(line, "to_lsn = ", 9) == 0 &&
			    parse_int64(line + 9, strlen(line + 9), &n))
				json_object_set_new(o, "innodb_lsn", json_integer(n));
		}
		if (fp != NULL)
			fclose(fp);
	}
	return o;
}

/* Writes dir/manifest.json (0600) last, through a rename: a backup
 * directory with a manifest is a complete one. */
static bool write_manifest(const char *dir, json_t *manifest)
{
	char path[PATH_MAX], tmp[PATH_MAX];
	int fd;

	if (!fmt(path, sizeof(path), "%s/manifest.json", dir) ||
	    !fmt(tmp, sizeof(tmp), "%s/manifest.json.tmp", dir))
		return false;
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 || json_dumpfd(manifest, fd, JSON_INDENT(1) | JSON_SORT_KEYS) != 0 ||
	    write(fd, "\n", 1) != 1 || fsync(fd) != 0 || close(fd) != 0 || rename(tmp, path) != 0) {
		fprintf(stderr, "tutoratctl: cannot write %s: %s\n", path, strerror(errno));
		return false;
	}
	return true;
}

/* The checksums of every file of dir/data, sorted by path. */
static json_t *file_checksums(const char *dir, long long *total)
{
	struct file_list l = {0};
	json_t *files = json_array();
	char path[PATH_MAX], hex[65];
	long long size;

	*total = 0;
	if (!walk(dir, "data", &l)) {
		json_decref(files);
		files = NULL;
		goto out;
	}
	if (l.n > 1)
		qsort(l.v, l.n, sizeof(*l.v), cmp_path);
	for (size_t i = 0; i < l.n; i++) {
		if (!fmt(path, sizeof(path), "%s/%s", dir, l.v[i]) ||
		    !sha256_file(path, hex, &size)) {
			fprintf(stderr, "tutoratctl: cannot read %s\n", path);
			json_decref(files);
			files = NULL;
			goto out;
		}
		*total += size;
		json_array_append_new(files, json_pack("{s:s, s:I, s:s}", "path", l.v[i], "size",
						       (json_int_t)size, "sha256", hex));
	}
out:
	files_free(&l);
	return files;
}

/*
 * tutoratctl backup DIR. mariadb-backup --backup copies the data files
 * while the server runs (InnoDB's redo log makes the copy consistent; it
 * blocks commits only for the moment it records the consistent point),
 * then --prepare applies the log, so DIR/data is ready to copy back.
 * mariadb-backup's own settings files are not read: it takes the data
 * directory and InnoDB's settings from the running server, and the
 * connection from our option file.
 */
int backup_run(const struct config *cfg, const char *dir)
{
	char data[PATH_MAX], target[ARG_MAX_LEN], defaults[ARG_MAX_LEN];
	char started[32], finished[32];
	struct server_info info = {0};
	struct scratch s = {0};
	json_t *manifest = NULL, *files;
	long long total = 0;
	int rc = 1;

	umask(077);
	mysql_library_init(0, NULL, NULL);
	if (!check_new_dir(dir, "backup directory") || !server_info(cfg, &info))
		return 1;
	if (!fmt(data, sizeof(data), "%s/data", dir) ||
	    !fmt(target, sizeof(target), "--target-dir=%s", data) || !scratch_open(&s) ||
	    !fmt(defaults, sizeof(defaults), "--defaults-file=%s", s.defaults) ||
	    !write_defaults(cfg, s.defaults) || !make_private_dir(dir))
		goto out;

	utc_now(started, sizeof(started));
	{
		char *backup[] = {
		    TOOL, defaults, "--backup", target, info.galera ? "--galera-info" : NULL, NULL};
		char *prepare[] = {TOOL, "--no-defaults", "--prepare", target, NULL};

		if (!run_tool(backup, s.log) || !run_tool(prepare, s.log)) {
			fprintf(stderr, "tutoratctl: backup: %s is incomplete (no manifest)\n",
				dir);
			goto out;
		}
	}
	utc_now(finished, sizeof(finished));
	files = file_checksums(dir, &total);
	if (files == NULL)
		goto out;
	manifest =
	    json_pack("{s:s, s:s, s:s, s:s, s:o, s:o}", "format", MANIFEST_FORMAT, "started_at",
		      started, "finished_at", finished, "server_version", info.version,
		      "consistent_point", consistent_point(data), "files", files);
	if (manifest == NULL || !write_manifest(dir, manifest))
		goto out;
	printf("backup of MariaDB %s in %s: %zu files, %lld bytes%s\n", info.version, dir,
	       json_array_size(files), total, info.galera ? " (Galera node, --galera-info)" : "");
	rc = 0;
out:
	json_decref(manifest);
	scratch_close(&s);
	return rc;
}

/* ---- restore ---- */

/* A manifest's path: under data/, no "..", no empty or "." component. */
static bool safe_path(const char *p)
{
	if (strncmp(p, "data/", 5) != 0)
		return false;
	for (const char *c = p; *c != '\0';) {
		size_t n = strcspn(c, "/");

		if (n == 0 || (n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.'))
			return false;
		c += n;
		if (*c == '/')
			c++;
		if (*c == '\0' && c[-1] == '/')
			return false;
	}
	return true;
}

/*
 * Checks dir against its manifest: the format, and exactly the files it
 * lists, each with its size and SHA-256. Says what is wrong on stderr.
 */
static bool verify_backup(const char *dir)
{
	char manifest[PATH_MAX], path[PATH_MAX], hex[65];
	struct file_list l = {0};
	json_t *m = NULL, *files = NULL, *f;
	const char *format = NULL;
	json_error_t jerr;
	long long size;
	bool ok = false;
	size_t i;

	if (!fmt(manifest, sizeof(manifest), "%s/manifest.json", dir))
		return false;
	m = json_load_file(manifest, JSON_REJECT_DUPLICATES, &jerr);
	if (m == NULL) {
		fprintf(stderr,
			"tutoratctl: restore: %s: %s (not a backup made by tutoratctl "
			"backup, or an incomplete one)\n",
			manifest, jerr.text);
		return false;
	}
	if (json_unpack_ex(m, &jerr, 0, "{s:s, s:o}", "format", &format, "files", &files) != 0 ||
	    strcmp(format, MANIFEST_FORMAT) != 0 || !json_is_array(files) ||
	    json_array_size(files) == 0) {
		fprintf(stderr, "tutoratctl: restore: %s: not a %s manifest with files\n", manifest,
			MANIFEST_FORMAT);
		goto out;
	}
	if (!walk(dir, "data", &l))
		goto out;
	if (l.n > 1)
		qsort(l.v, l.n, sizeof(*l.v), cmp_path);
	json_array_foreach(files, i, f)
	{
		const char *p = NULL, *sum = NULL;
		json_int_t want = 0;

		if (json_unpack_ex(f, &jerr, JSON_STRICT, "{s:s, s:I, s:s}", "path", &p, "size",
				   &want, "sha256", &sum) != 0 ||
		    !safe_path(p)) {
			fprintf(stderr,
				"tutoratctl: restore: %s: file %zu: not a safe path, size "
				"and sha256\n",
				manifest, i + 1);
			goto out;
		}
		if (i < l.n && strcmp(l.v[i], p) < 0) {
			fprintf(stderr, "tutoratctl: restore: %s/%s is not in the manifest\n", dir,
				l.v[i]);
			goto out;
		}
		if (i >= l.n || strcmp(l.v[i], p) != 0) {
			fprintf(stderr, "tutoratctl: restore: %s/%s is missing (%s lists it)\n",
				dir, p, manifest);
			goto out;
		}
		if (!fmt(path, sizeof(path), "%s/%s", dir, p) || !sha256_file(path, hex, &size) ||
		    size != want || strcmp(hex, sum) != 0) {
			fprintf(stderr,
				"tutoratctl: restore: %s differs from the manifest (size "
				"or checksum): the backup is damaged\n",
				path);
			goto out;
		}
	}
	if (l.n > json_array_size(files) && l.v != NULL) {
		fprintf(stderr, "tutoratctl: restore: %s/%s is not in the manifest\n", dir,
			l.v[json_array_size(files)]);
		goto out;
	}
	ok = true;
out:
	files_free(&l);
	json_decref(m);
	return ok;
}

/*
 * tutoratctl restore DIR DATADIR: the backup checked first, the data
 * directory new or empty (so the server using it is not running), then
 * mariadb-backup --copy-back, which leaves DIR as it was (a backup stays
 * usable and checkable; --move-back would empty it). Nothing is changed
 * when a check fails.
 */
int backup_restore(const char *dir, const char *datadir)
{
	char source[ARG_MAX_LEN], dest[ARG_MAX_LEN], data[PATH_MAX];
	bool exists, empty;
	struct scratch s = {0};
	int rc = 1;

	umask(077);
	if (!dir_state(dir, &exists, &empty))
		return 1;
	if (!exists) {
		fprintf(stderr, "tutoratctl: restore: no backup directory %s\n", dir);
		return 1;
	}
	if (!check_new_dir(datadir, "data directory") || !verify_backup(dir))
		return 1;
	if (!fmt(data, sizeof(data), "%s/data", dir) ||
	    !fmt(source, sizeof(source), "--target-dir=%s", data) ||
	    !fmt(dest, sizeof(dest), "--datadir=%s", datadir) || !scratch_open(&s) ||
	    !make_private_dir(datadir))
		goto out;
	{
		char *copy_back[] = {TOOL, "--no-defaults", "--copy-back", source, dest, NULL};

		if (!run_tool(copy_back, s.log))
			goto out;
	}
	printf("restored %s into %s. Before tutoratd serves it:\n"
	       "  1. give the data directory to the server's user (chown -R mysql:mysql %s)\n"
	       "     and start MariaDB on it;\n"
	       "  2. revoke the sessions the backup holds: tutoratctl -c CONFIG "
	       "revoke-sessions\n",
	       dir, datadir, datadir);
	rc = 0;
out:
	scratch_close(&s);
	return rc;
}

/* ---- revoke-sessions ---- */

/*
 * After a restore, the sessions of the backup are open again, those
 * revoked since included (a logout, a deactivation): every open session
 * of every académie is revoked, each académie in one transaction with its
 * audit row ("session.revoke_all", the count in its detail). Every user
 * logs in again.
 */
int backup_revoke_sessions(struct config *cfg)
{
	struct server srv = {.cfg = cfg};
	char err[512];
	struct worker *w;
	struct req r;
	int rc = 0;

	mysql_library_init(0, NULL, NULL);
	if (!schema_load_academy_ids(cfg, err, sizeof(err))) {
		fprintf(stderr, "tutoratctl: revoke-sessions: %s\n", err);
		return 1;
	}
	w = worker_new(&srv, 0);
	for (size_t i = 0; i < cfg->n_academies; i++) {
		uint64_t count = 0;
		json_t *detail;
		enum err e;

		memset(&r, 0, sizeof(r));
		r.w = w;
		r.arena = &w->arena;
		r.cfg = w->cfg;
		r.db = w->db;
		r.tenant = cfg->academies[i];
		r.remote_addr = "tutoratctl";
		snprintf(r.request_id, sizeof(r.request_id), "revoke-sessions-%lld",
			 (long long)random_id());
		e = db_begin(&r);
		if (e == ERR_OK)
			e = authdb_sessions_revoke_all(&r, &count);
		detail = json_pack("{s:I}", "sessions", (json_int_t)count);
		if (e == ERR_OK)
			e = audit_record(&r, "session.revoke_all", "session", 0, detail);
		json_decref(detail);
		if (e == ERR_OK)
			e = db_commit(&r);
		if (e != ERR_OK) {
			db_rollback(&r);
			fprintf(stderr, "tutoratctl: revoke-sessions: %s: %s\n",
				cfg->academies[i]->code, problem_get(e)->code);
			rc = 1;
		} else {
			printf("%s: %llu sessions revoked\n", cfg->academies[i]->code,
			       (unsigned long long)count);
		}
		arena_reset(&w->arena);
	}
	worker_free(w);
	return rc;
}
