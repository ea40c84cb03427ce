#include "schema.h"
#include "config.h"
#include "db.h"
#include "modules.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <mysql.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (fp == NULL)
		return NULL;
	if (fseek(fp, 0, SEEK_END) == 0 && (n = ftell(fp)) >= 0 && fseek(fp, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)n + 1);
		if (buf != NULL && fread(buf, 1, (size_t)n, fp) == (size_t)n) {
			buf[n] = '\0';
			*len = (size_t)n;
		} else {
			free(buf);
			buf = NULL;
		}
	}
	fclose(fp);
	return buf;
}

/* Runs a text of several statements; drains every result. */
static bool run_multi(MYSQL *my, const char *sql, size_t len, char *err, size_t errlen)
{
	int status;

	if (mysql_real_query(my, sql, (unsigned long)len) != 0) {
		snprintf(err, errlen, "%s", mysql_error(my));
		return false;
	}
	do {
		MYSQL_RES *res = mysql_store_result(my);

		mysql_free_result(res);
		status = mysql_next_result(my);
		if (status > 0) {
			snprintf(err, errlen, "%s", mysql_error(my));
			return false;
		}
	} while (status == 0);
	return true;
}

/* A prepared statement with string/int parameters, outside any request. */
static bool exec_prepared(MYSQL *my, const char *sql, MYSQL_BIND *params, MYSQL_BIND *result,
			  bool *has_row, char *err, size_t errlen)
{
	MYSQL_STMT *st = mysql_stmt_init(my);
	bool ok = false;

	if (st == NULL)
		return false;
	if (mysql_stmt_prepare(st, sql, (unsigned long)strlen(sql)) != 0 ||
	    (params != NULL && mysql_stmt_bind_param(st, params) != 0) ||
	    mysql_stmt_execute(st) != 0 ||
	    (result != NULL && mysql_stmt_bind_result(st, result) != 0)) {
		snprintf(err, errlen, "%s", mysql_stmt_error(st));
		goto out;
	}
	if (result != NULL) {
		int rc = mysql_stmt_fetch(st);

		*has_row = rc == 0 || rc == MYSQL_DATA_TRUNCATED;
		if (rc == 1) {
			snprintf(err, errlen, "%s", mysql_stmt_error(st));
			goto out;
		}
	}
	ok = true;
out:
	mysql_stmt_close(st);
	return ok;
}

static void bind_str(MYSQL_BIND *b, const char *s, unsigned long *len)
{
	memset(b, 0, sizeof(*b));
	*len = (unsigned long)strlen(s);
	b->buffer_type = MYSQL_TYPE_STRING;
	b->buffer = (void *)s;
	b->buffer_length = *len;
	b->length = len;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool migration_name_ok(const char *n)
{
	size_t len = strlen(n);

	return len > 8 && n[0] >= '0' && n[0] <= '9' && n[1] >= '0' && n[1] <= '9' && n[2] >= '0' &&
	       n[2] <= '9' && n[3] == '_' && strcmp(n + len - 4, ".sql") == 0;
}

bool schema_migrate(const struct config *cfg, const char *sql_dir, char *err, size_t errlen)
{
	static const char create[] =
	    "CREATE TABLE IF NOT EXISTS schema_migration ("
	    " version INT NOT NULL PRIMARY KEY, name VARCHAR(200) NOT NULL,"
	    " checksum CHAR(64) NOT NULL, applied_at DATETIME NOT NULL"
	    ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";
	MYSQL *my = db_connect_plain(cfg, true, err, errlen);
	DIR *d = NULL;
	struct dirent *de;
	char *names[512];
	size_t n = 0;
	bool ok = false;

	if (my == NULL)
		return false;
	if (!run_multi(my, create, sizeof(create) - 1, err, errlen))
		goto out;
	d = opendir(sql_dir);
	if (d == NULL) {
		snprintf(err, errlen, "%s: %s", sql_dir, strerror(errno));
		goto out;
	}
	while ((de = readdir(d)) != NULL && n < ARRAY_LEN(names))
		if (migration_name_ok(de->d_name))
			names[n++] = strdup(de->d_name);
	qsort(names, n, sizeof(names[0]), cmp_names);

	for (size_t i = 0; i < n; i++) {
		char path[4096], hex[65], found[65] = "";
		unsigned char digest[32];
		size_t len = 0;
		char *sql;
		long long version = strtoll(names[i], NULL, 10);
		unsigned long flen = 0, nlen, hlen;
		MYSQL_BIND p[3], res[1];
		bool has_row = false;

		if (!fmt(path, sizeof(path), "%s/%s", sql_dir, names[i]) ||
		    (sql = slurp(path, &len)) == NULL) {
			snprintf(err, errlen, "%s: cannot read", path);
			goto out;
		}
		sha256(sql, len, digest);
		hex_encode(hex, digest, 32);

		memset(p, 0, sizeof(p));
		p[0].buffer_type = MYSQL_TYPE_LONGLONG;
		p[0].buffer = &version;
		memset(res, 0, sizeof(res));
		res[0].buffer_type = MYSQL_TYPE_STRING;
		res[0].buffer = found;
		res[0].buffer_length = sizeof(found) - 1;
		res[0].length = &flen;
		if (!exec_prepared(my, "SELECT checksum FROM schema_migration WHERE version = ?", p,
				   res, &has_row, err, errlen)) {
			free(sql);
			goto out;
		}
		if (has_row) {
			found[flen < 64 ? flen : 64] = '\0';
			free(sql);
			if (strcmp(found, hex) != 0) {
				snprintf(
				    err, errlen,
				    "%s was changed after it was applied (checksum %s, recorded "
				    "%s): write a new migration instead",
				    names[i], hex, found);
				goto out;
			}
			continue;
		}
		if (!run_multi(my, sql, len, err, errlen)) {
			char msg[512];

			snprintf(msg, sizeof(msg), "%s", err);
			snprintf(err, errlen, "%s: %s", names[i], msg);
			free(sql);
			goto out;
		}
		free(sql);
		bind_str(&p[1], names[i], &nlen);
		bind_str(&p[2], hex, &hlen);
		if (!exec_prepared(
			my,
			"INSERT INTO schema_migration (version, name, checksum, applied_at) "
			"VALUES (?, ?, ?, NOW())",
			p, NULL, NULL, err, errlen))
			goto out;
		printf("applied %s\n", names[i]);
	}
	mysql_close(my);
	my = NULL;
	ok = schema_sync_academies(cfg, err, errlen);
out:
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	if (d != NULL)
		closedir(d);
	if (my != NULL)
		mysql_close(my);
	return ok;
}

bool schema_sync_academies(const struct config *cfg, char *err, size_t errlen)
{
	MYSQL *my = db_connect_plain(cfg, false, err, errlen);
	bool ok = true;

	if (my == NULL)
		return false;
	for (size_t i = 0; ok && i < cfg->n_academies; i++) {
		MYSQL_BIND p[2];
		unsigned long l0, l1;

		bind_str(&p[0], cfg->academies[i]->code, &l0);
		bind_str(&p[1], cfg->academies[i]->name, &l1);
		ok = exec_prepared(my,
				   "INSERT INTO academy (code, name) VALUES (?, ?) "
				   "ON DUPLICATE KEY UPDATE name = VALUES(name)",
				   p, NULL, NULL, err, errlen);
	}
	mysql_close(my);
	if (!ok || !schema_load_academy_ids((struct config *)cfg, err, errlen))
		return false;
	/* Each module's reference data, for each académie, in one transaction. */
	my = db_connect_plain(cfg, false, err, errlen);
	if (my == NULL)
		return false;
	for (size_t m = 0; ok && m < n_modules; m++) {
		if (modules[m]->seed == NULL)
			continue;
		for (size_t i = 0; ok && i < cfg->n_academies; i++) {
			ok = mysql_real_query(my, "START TRANSACTION", 17) == 0 &&
			     modules[m]->seed(my, cfg->academies[i]->id, err, errlen) &&
			     mysql_commit(my) == 0;
			if (!ok)
				mysql_rollback(my);
		}
	}
	mysql_close(my);
	return ok;
}

bool schema_load_academy_ids(struct config *cfg, char *err, size_t errlen)
{
	MYSQL *my = db_connect_plain(cfg, false, err, errlen);
	bool ok = true;

	if (my == NULL)
		return false;
	for (size_t i = 0; ok && i < cfg->n_academies; i++) {
		MYSQL_BIND p[1], res[1];
		unsigned long l0;
		long long id = 0;
		bool has_row = false;

		bind_str(&p[0], cfg->academies[i]->code, &l0);
		memset(res, 0, sizeof(res));
		res[0].buffer_type = MYSQL_TYPE_LONGLONG;
		res[0].buffer = &id;
		ok = exec_prepared(my, "SELECT id FROM academy WHERE code = ?", p, res, &has_row,
				   err, errlen);
		if (ok && !has_row) {
			snprintf(err, errlen,
				 "academy '%s' is not in the database: run tutoratctl migrate",
				 cfg->academies[i]->code);
			ok = false;
		}
		cfg->academies[i]->id = (uint32_t)id;
	}
	mysql_close(my);
	return ok;
}

bool schema_run_file(const struct config *cfg, const char *path, char *err, size_t errlen)
{
	MYSQL *my;
	size_t len = 0;
	char *sql = slurp(path, &len);
	bool ok;

	if (sql == NULL) {
		snprintf(err, errlen, "%s: cannot read", path);
		return false;
	}
	my = db_connect_plain(cfg, true, err, errlen);
	if (my == NULL) {
		free(sql);
		return false;
	}
	ok = run_multi(my, "START TRANSACTION", 17, err, errlen) &&
	     run_multi(my, sql, len, err, errlen);
	if (ok)
		ok = mysql_commit(my) == 0;
	else
		mysql_rollback(my);
	free(sql);
	mysql_close(my);
	return ok;
}

bool schema_is_empty(const struct config *cfg, bool *empty, char *err, size_t errlen)
{
	MYSQL *my = db_connect_plain(cfg, false, err, errlen);
	MYSQL_BIND res[1];
	long long n = 0;
	bool has_row = false, ok;

	if (my == NULL)
		return false;
	memset(res, 0, sizeof(res));
	res[0].buffer_type = MYSQL_TYPE_LONGLONG;
	res[0].buffer = &n;
	ok = exec_prepared(my, "SELECT COUNT(*) FROM structure", NULL, res, &has_row, err, errlen);
	*empty = ok && has_row && n == 0;
	mysql_close(my);
	return ok;
}

bool schema_exec(MYSQL *my, const char *sql, bool *found, char *err, size_t errlen, const char *sig,
		 ...)
{
	MYSQL_BIND p[16];
	long long ints[16];
	unsigned long lens[16];
	my_bool nulls[16];
	size_t n = strlen(sig);
	va_list ap;
	char sink[8];
	unsigned long sink_len;
	MYSQL_BIND res[1];

	if (n > 16)
		return false;
	memset(p, 0, sizeof(p));
	va_start(ap, sig);
	for (size_t i = 0; i < n; i++) {
		if (sig[i] == 'i') {
			ints[i] = va_arg(ap, int64_t);
			p[i].buffer_type = MYSQL_TYPE_LONGLONG;
			p[i].buffer = &ints[i];
		} else {
			const char *v = va_arg(ap, const char *);

			p[i].buffer_type = MYSQL_TYPE_STRING;
			nulls[i] = v == NULL;
			p[i].is_null = &nulls[i];
			lens[i] = v != NULL ? (unsigned long)strlen(v) : 0;
			p[i].buffer = (void *)v;
			p[i].buffer_length = lens[i];
			p[i].length = &lens[i];
		}
	}
	va_end(ap);
	memset(res, 0, sizeof(res));
	res[0].buffer_type = MYSQL_TYPE_STRING;
	res[0].buffer = sink;
	res[0].buffer_length = sizeof(sink);
	res[0].length = &sink_len;
	return exec_prepared(my, sql, n > 0 ? p : NULL, found != NULL ? res : NULL, found, err,
			     errlen);
}
