/*
 * Helpers shared by the unit tests: scratch directories, files written by
 * the test, a reference base64url encoder (independent of server/util.c so
 * that the token tests do not lean on the code they would need to catch),
 * and a way to run a check in a child process, for checks whose failure
 * mode is a crash or a sanitizer report rather than a wrong answer.
 *
 * Everything is static inline: each test includes what it uses.
 */
#ifndef TUTORAT_TESTS_UNIT_H
#define TUTORAT_TESTS_UNIT_H

#define _GNU_SOURCE
#include <errno.h>
#include <ftw.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* Aborts the test program: only for the test's own set-up failing. */
static inline void unit_die(const char *what)
{
	fprintf(stderr, "test set-up failed: %s: %s\n", what, strerror(errno));
	abort();
}

static inline char *unit_tmpdir(void)
{
	char tmpl[] = "/tmp/tutorat-unit-XXXXXX";
	char *d = mkdtemp(tmpl);

	if (d == NULL)
		unit_die("mkdtemp");
	d = strdup(d);
	if (d == NULL)
		unit_die("strdup");
	return d;
}

static inline int unit_rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static inline void unit_rmtree(const char *dir)
{
	if (dir != NULL)
		nftw(dir, unit_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* dir/rel, malloc'd. */
static inline char *unit_path(const char *dir, const char *rel)
{
	char *p = NULL;

	if (asprintf(&p, "%s/%s", dir, rel) < 0)
		unit_die("asprintf");
	return p;
}

/* Writes text to dir/rel with the given mode, creating the directory
 * that holds it (one level: dir itself, or dir/sub for rel "sub/file"). */
static inline void unit_write_mode(const char *dir, const char *rel, const char *text, mode_t mode)
{
	const char *slash = strrchr(rel, '/');
	char *p = unit_path(dir, rel), *parent = NULL;
	FILE *fp;

	if (asprintf(&parent, "%s/%.*s", dir, slash != NULL ? (int)(slash - rel) : 0, rel) < 0)
		unit_die("asprintf");
	if (mkdir(parent, 0700) != 0 && errno != EEXIST)
		unit_die("mkdir");
	free(parent);
	fp = fopen(p, "w");
	if (fp == NULL || fputs(text, fp) < 0 || fclose(fp) != 0 || chmod(p, mode) != 0)
		unit_die("writing a test file");
	free(p);
}

static inline void unit_write(const char *dir, const char *rel, const char *text)
{
	unit_write_mode(dir, rel, text, 0644);
}

/* Reference base64url (RFC 4648 section 5, no padding) into a malloc'd string. */
static inline char *unit_b64url(const void *data, size_t n)
{
	static const char A[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	const unsigned char *in = data;
	char *out = malloc(n / 3 * 4 + 5), *o = out;
	size_t i = 0;

	if (out == NULL)
		unit_die("malloc");
	for (; i + 3 <= n; i += 3) {
		*o++ = A[in[i] >> 2];
		*o++ = A[(in[i] & 3) << 4 | in[i + 1] >> 4];
		*o++ = A[(in[i + 1] & 15) << 2 | in[i + 2] >> 6];
		*o++ = A[in[i + 2] & 63];
	}
	if (n - i == 1) {
		*o++ = A[in[i] >> 2];
		*o++ = A[(in[i] & 3) << 4];
	} else if (n - i == 2) {
		*o++ = A[in[i] >> 2];
		*o++ = A[(in[i] & 3) << 4 | in[i + 1] >> 4];
		*o++ = A[(in[i + 1] & 15) << 2];
	}
	*o = '\0';
	return out;
}

/*
 * Runs fn(arg) in a child process; true when the child exited with 0,
 * which fn signals by returning true. A crash, an abort or a sanitizer
 * report in the child (its report goes to stderr) gives false without
 * taking the rest of the test program down with it.
 */
static inline bool unit_in_child(bool (*fn)(void *), void *arg)
{
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		unit_die("fork");
	if (pid == 0)
		_exit(fn(arg) ? 0 : 1);
	if (waitpid(pid, &status, 0) != pid)
		unit_die("waitpid");
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/*
 * A complete configuration, valid in production (the default environment:
 * encrypted LDAP, https issuer, secrets not world-readable). Relative
 * paths, resolved from the file's directory. UNIT_BASE_LINES is its number
 * of lines: text appended to it starts at line UNIT_BASE_LINES + 1.
 */
#define UNIT_BASE_INI                                                                              \
	"[server]\n"                                                                               \
	"socket = run/tutoratd.sock\n"                                                             \
	"audience = tutorat\n"                                                                     \
	"keys_dir = keys\n"                                                                        \
	"token_lifetime = 600\n"                                                                   \
	"[database]\n"                                                                             \
	"socket = run/mysqld.sock\n"                                                               \
	"name = tutorat\n"                                                                         \
	"user = tutorat\n"                                                                         \
	"password_file = secrets/db_password\n"                                                    \
	"[academy lyon]\n"                                                                         \
	"name = Académie de Lyon\n"                                                               \
	"issuer = https://tutorat.ac-lyon.fr\n"                                                    \
	"ldap_uri = ldaps://ldap.ac-lyon.fr\n"                                                     \
	"bind_dn = cn=tutorat,ou=services,dc=ac-lyon,dc=fr\n"                                      \
	"bind_password_file = secrets/ldap_lyon\n"                                                 \
	"search_base = ou=people,dc=ac-lyon,dc=fr\n"                                               \
	"user_filter = (&(objectClass=inetOrgPerson)(uid=%s))\n"
#define UNIT_BASE_LINES 18

/* The secrets UNIT_BASE_INI names, and one a second académie may name;
 * mode 0600, as production demands. */
static inline void unit_write_secrets(const char *dir)
{
	unit_write_mode(dir, "secrets/db_password", "db-secret\n", 0600);
	unit_write_mode(dir, "secrets/ldap_lyon", "lyon-secret\n", 0600);
	unit_write_mode(dir, "secrets/ldap_grenoble", "grenoble-secret\r\n", 0600);
}

#endif
