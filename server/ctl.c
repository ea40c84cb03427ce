/*
 * tutoratctl: administration of a tutorat instance.
 *   migrate                 apply the numbered files of sql/ not yet applied
 *   check-config            validate the configuration, line by line
 *   keys generate|add|activate KID|rotate|list   the signing keys
 *   keys list               the keys and which one signs
 *   routes                  every route: method, path, access rule (for the
 *                           OpenAPI agreement test and for reviews)
 *   demo-data               load the demo académies' data (development only)
 *   import KIND FILE.csv    import structures, people, assignments or enrolments into
 *                           one académie (--academy CODE), all or nothing
 *   check-sql [--columns]   prepare every statement of every module against the
 *                           migrated schema and check it against its declaration
 *                           (--columns: print MariaDB's names of each statement's
 *                           columns, one JSON line each, to write DB_COLS)
 *   backup DIR              a physical backup of the MariaDB server (mariadb-backup),
 *                           prepared, with a manifest, into a new or empty DIR (0700)
 *   restore DIR DATADIR     check DIR against its manifest, then copy it into the new
 *                           or empty DATADIR of a stopped server
 *   revoke-sessions         revoke every open session (the step after a restore)
 *   sync-directory [ACADEMY] bring the people bound to a directory entry up to
 *                           date from LDAP (every académie, or one); those whose
 *                           entry is gone are deactivated, their sessions revoked
 *   NAME [ARGS...]          a command a module offers (struct module.verbs), e.g.
 *                           --academy CODE generate [--seed N] [--trainees N]
 */
#include "audit.h"
#include "auth_db.h"
#include "backup.h"
#include "config.h"
#include "csv.h"
#include "routes.h"
#include "db.h"
#include "keys.h"
#include "ldapauth.h"
#include "modules.h"
#include "readlog_db.h"
#include "req.h"
#include "schema.h"
#include "util.h"
#include "worker.h"

#include <dirent.h>
#include <getopt.h>
#include <mysql.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__attribute__((noreturn)) static void usage(void)
{
	fprintf(stderr,
		"usage: tutoratctl -c CONFIG [--sql-dir DIR] COMMAND\n"
		"  migrate | check-config | routes | demo-data | check-sql [--columns]\n"
		"  sync-directory [ACADEMY]\n"
		"  keys generate | keys add | keys activate KID | keys rotate | keys list\n"
		"  backup DIR | restore DIR DATADIR | revoke-sessions\n"
		"  --academy CODE import structures|people|assignments|enrolments FILE.csv\n");
	for (size_t m = 0; m < n_modules; m++)
		for (const struct module_verb *v = modules[m]->verbs; v != NULL && v->name != NULL;
		     v++)
			fprintf(stderr, "  [--academy CODE] %s %s\n", v->name, v->usage);
	exit(2);
}

/*
 * keys generate: a first signing key (nothing if one exists);
 * keys add: a new key that verifies but does not sign yet, then restart
 *   every instance; keys activate KID: make it sign, restart again; the old
 *   key file can go once the tokens it signed have expired. On a single
 *   instance, keys rotate does both steps at once.
 */
static int cmd_keys(struct config *cfg, int argc, char **argv)
{
	const char *sub = argv[0];
	char err[512], kid[KID_LEN + 1];
	struct keyring *k;

	if (strcmp(sub, "generate") == 0 || strcmp(sub, "rotate") == 0 || strcmp(sub, "add") == 0) {
		bool had_key;

		k = keys_load(cfg->keys_dir, err, sizeof(err));
		had_key = k != NULL;
		if (had_key && strcmp(sub, "generate") == 0) {
			printf("signing key already present: %s (see 'keys add' to rotate)\n",
			       k->current->kid);
			keys_free(k);
			return 0;
		}
		keys_free(k);
		if (!keys_generate(cfg->keys_dir, strcmp(sub, "add") != 0 || !had_key, kid, err,
				   sizeof(err))) {
			fprintf(stderr, "tutoratctl: %s\n", err);
			return 1;
		}
		if (strcmp(sub, "add") == 0)
			printf("new key %s (verifies, does not sign): restart every instance, then "
			       "'tutoratctl keys activate %s' and restart again\n",
			       kid, kid);
		else
			printf("new signing key %s\n", kid);
		return 0;
	}
	if (strcmp(sub, "activate") == 0 && argc > 1) {
		if (!keys_activate(cfg->keys_dir, argv[1], err, sizeof(err))) {
			fprintf(stderr, "tutoratctl: %s\n", err);
			return 1;
		}
		printf("%s now signs: restart every instance; remove the old key file after %d s\n",
		       argv[1], cfg->token_lifetime);
		return 0;
	}
	if (strcmp(sub, "list") == 0) {
		k = keys_load(cfg->keys_dir, err, sizeof(err));
		if (k == NULL) {
			fprintf(stderr, "tutoratctl: %s\n", err);
			return 1;
		}
		for (size_t i = 0; i < k->n; i++)
			printf("%s%s\n", k->keys[i].kid,
			       &k->keys[i] == k->current ? " (signing)" : "");
		keys_free(k);
		return 0;
	}
	usage();
	return 2;
}

/* ---- import ---- */

static char *read_all(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0, got;

	if (fp == NULL)
		return NULL;
	do {
		if (n + 4096 > cap) {
			cap = cap ? cap * 2 : 65536;
			buf = realloc(buf, cap + 1);
			if (buf == NULL)
				abort();
		}
		got = fread(buf + n, 1, cap - n, fp);
		n += got;
	} while (got > 0);
	fclose(fp);
	buf[n] = '\0';
	*len = n;
	return buf;
}

/*
 * Checks the file's shape (header, column count, required values) for
 * every line first and reports every error; then writes all rows in one
 * transaction, stopping at the first row the database refuses. Nothing is
 * written unless every line is good.
 */
static int cmd_import(struct config *cfg, const char *academy, const char *kind, const char *path)
{
	const struct module_import *ik = NULL;
	const struct academy_cfg *a;
	struct csv_row *rows = NULL;
	size_t n_rows = 0, len = 0, n_cols = 0;
	int err_line = 0, errors = 0, rc = 1;
	const char *why = NULL;
	char err[512], *text;
	struct server srv = {.cfg = cfg};
	struct worker *w;
	struct req r;

	for (size_t m = 0; m < n_modules && ik == NULL; m++)
		for (const struct module_import *k = modules[m]->imports;
		     k != NULL && k->name != NULL; k++)
			if (strcmp(k->name, kind) == 0)
				ik = k;
	if (ik == NULL || academy == NULL)
		usage();
	a = config_academy(cfg, academy, strlen(academy));
	if (a == NULL) {
		fprintf(stderr, "tutoratctl: unknown academy '%s'\n", academy);
		return 1;
	}
	text = read_all(path, &len);
	if (text == NULL) {
		fprintf(stderr, "%s: cannot read\n", path);
		return 1;
	}
	if (!utf8_clean(text, len) || !csv_parse(text, len, &rows, &n_rows, &err_line, &why)) {
		fprintf(stderr, "%s:%d: %s\n", path, err_line,
			why != NULL ? why : "not UTF-8 text");
		free(text);
		return 1;
	}
	free(text);
	while (ik->columns[n_cols] != NULL)
		n_cols++;
	if (n_rows == 0 || rows[0].n != n_cols) {
		fprintf(stderr, "%s:1: the header must be:", path);
		for (size_t c = 0; c < n_cols; c++)
			fprintf(stderr, "%s%s", c ? "," : " ", ik->columns[c]);
		fprintf(stderr, "\n");
		goto out;
	}
	for (size_t c = 0; c < n_cols; c++) {
		if (strcmp(rows[0].f[c], ik->columns[c]) != 0) {
			fprintf(stderr, "%s:1: column %zu must be '%s', not '%s'\n", path, c + 1,
				ik->columns[c], rows[0].f[c]);
			errors++;
		}
	}
	for (size_t i = 1; i < n_rows; i++) {
		if (rows[i].n != n_cols) {
			fprintf(stderr, "%s:%d: %zu fields, expected %zu\n", path, rows[i].line,
				rows[i].n, n_cols);
			errors++;
			continue;
		}
		for (size_t c = 0; c < ik->n_required; c++) {
			if (rows[i].f[c][0] == '\0') {
				fprintf(stderr, "%s:%d: column '%s' is empty\n", path, rows[i].line,
					ik->columns[c]);
				errors++;
			}
		}
	}
	if (errors > 0)
		goto out;

	if (!schema_load_academy_ids(cfg, err, sizeof(err))) {
		fprintf(stderr, "tutoratctl: %s\n", err);
		goto out;
	}
	w = worker_new(&srv, 0);
	worker_ctl_request(&r, w, a, "import");
	if (db_begin(&r) != ERR_OK) {
		fprintf(stderr, "tutoratctl: database unavailable\n");
		worker_free(w);
		goto out;
	}
	for (size_t i = 1; i < n_rows; i++) {
		enum err e = ik->row(&r, rows[i].f);

		if (e != ERR_OK) {
			enum err shown = r.err != ERR_OK ? r.err : e;

			fprintf(stderr, "%s:%d: %s%s%s%s%s\n", path, rows[i].line,
				problem_get(shown)->code, r.err_field ? " (" : "",
				r.err_field ? r.err_field : "", r.err_field ? ")" : "",
				r.err_detail ? arena_printf(r.arena, ": %s", r.err_detail) : "");
			errors++;
			/* Keep going, inside the transaction that will be rolled
			 * back, so that every refused line is reported at once. */
		}
		r.err = ERR_OK;
		r.log_detail = NULL;
		r.err_field = r.err_detail = NULL;
	}
	if (errors == 0 && db_commit(&r) == ERR_OK) {
		printf("imported %zu %s into %s\n", n_rows - 1, kind, a->code);
		rc = 0;
	} else {
		db_rollback(&r);
		fprintf(stderr, "nothing imported\n");
	}
	arena_reset(&w->arena);
	worker_free(w);
out:
	csv_free(rows, n_rows);
	return rc;
}

/* People read from the directory per transaction: a batch's entries are
 * read with no transaction open, then written in one, with its audit row. */
#define SYNC_BATCH 200

struct sync_counts {
	size_t checked, deactivated, conflicts;
};

/*
 * One batch of sync-directory: the entries of the n people ids[] (bound to
 * entry_ids[]), then in one transaction each person brought up to date
 * (attributes, and roles from groups unless the group search failed, as at
 * login) or, when their entry is gone, deactivated with their sessions
 * revoked. The audit row holds the counts and the deactivated ids, no name.
 * False (with a message) when the directory or the database fails.
 */
static bool sync_batch(struct req *r, const struct academy_cfg *a, const int64_t *ids,
		       const char *const *entry_ids, size_t n, struct sync_counts *c)
{
	struct ldap_person *found = arena_zalloc(r->arena, n * sizeof(*found));
	enum ldap_outcome *outs = arena_zalloc(r->arena, n * sizeof(*outs));
	size_t conflicts = 0;
	json_t *gone, *d;
	enum err e;

	for (size_t i = 0; i < n; i++) {
		const char *why = NULL;

		outs[i] = ldap_directory_entry_by_id(r->w->ldap, a, entry_ids[i], r->arena,
						     &found[i], &why);
		if (outs[i] == LDAP_AUTH_UNAVAILABLE) {
			fprintf(stderr,
				"tutoratctl: sync-directory %s: the directory does not answer "
				"(%s)\n",
				a->code, why != NULL ? why : "?");
			return false;
		}
	}
	e = db_begin(r);
	gone = json_array();
	for (size_t i = 0; i < n && e == ERR_OK; i++) {
		int64_t got = ids[i];
		bool active, mismatch;

		if (outs[i] != LDAP_AUTH_OK) {
			e = authdb_person_deactivate(r, ids[i]);
			json_array_append_new(gone, json_integer(ids[i]));
			continue;
		}
		e = authdb_person_upsert(r, &found[i], false, &got, &active, &mismatch);
		/* The entry's new username is another person's: left for the
		 * administrator, as a login would be. */
		if (e == ERR_DUPLICATE || (e == ERR_OK && (mismatch || got != ids[i]))) {
			conflicts++;
			e = ERR_OK;
		}
	}
	d = json_pack("{s:I, s:O, s:I}", "checked", (json_int_t)n, "deactivated", gone, "conflicts",
		      (json_int_t)conflicts);
	if (e == ERR_OK)
		e = audit_record(r, "directory.sync", "academy", a->id, d);
	if (e == ERR_OK)
		e = db_commit(r);
	else
		db_rollback(r);
	if (e == ERR_OK) {
		c->checked += n;
		c->deactivated += json_array_size(gone);
		c->conflicts += conflicts;
	} else {
		fprintf(stderr, "tutoratctl: sync-directory %s: %s%s%s\n", a->code,
			problem_get(r->err != ERR_OK ? r->err : e)->code,
			r->log_detail != NULL ? ": " : "",
			r->log_detail != NULL ? r->log_detail : "");
	}
	json_decref(d);
	json_decref(gone);
	return e == ERR_OK;
}

/* sync-directory for one académie: its bound people a batch at a time, by
 * id. Prints the académie's counts; false when a batch failed (the batches
 * before it are kept). */
static bool sync_academy(const struct config *cfg, const struct academy_cfg *a, void *arg)
{
	(void)arg;
	struct server srv = {.cfg = cfg};
	struct worker *w = worker_new(&srv, 0);
	struct sync_counts c = {0};
	int64_t ids[SYNC_BATCH], after = 0;
	const char *entry_ids[SYNC_BATCH];
	struct req r;
	bool ok = true;

	worker_ctl_request(&r, w, a, "sync");
	for (;;) {
		size_t n = 0;

		arena_reset(&w->arena);
		if (authdb_bound_people(&r, after, SYNC_BATCH, ids, entry_ids, &n) != ERR_OK) {
			fprintf(stderr, "tutoratctl: sync-directory %s: database unavailable\n",
				a->code);
			ok = false;
			break;
		}
		if (n == 0)
			break;
		if (!sync_batch(&r, a, ids, entry_ids, n, &c)) {
			ok = false;
			break;
		}
		after = ids[n - 1];
	}
	printf(
	    "sync-directory %s: %zu checked, %zu deactivated, %zu left for the administrator%s\n",
	    a->code, c.checked, c.deactivated, c.conflicts, ok ? "" : " (stopped: failed)");
	arena_reset(&w->arena);
	worker_free(w);
	return ok;
}

/* sync-directory [ACADEMY]: every académie, or the one named. */
static int cmd_sync_directory(struct config *cfg, const char *academy)
{
	char err[512];

	if (!schema_load_academy_ids(cfg, err, sizeof(err))) {
		fprintf(stderr, "tutoratctl: %s\n", err);
		return 1;
	}
	return config_each_academy(cfg, academy, sync_academy, NULL);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Loads every file of sql/demo in name order, each in a transaction, into
 * a development stack whose database holds no structure yet (so a second
 * './deploy/dev up' loads nothing twice). Refused in production.
 */
static int cmd_demo_data(const struct config *cfg, const char *sql_dir)
{
	char dir[4096], file[4096], err[1024];
	char *names[64];
	size_t n = 0;
	bool empty = false;
	struct dirent *de;
	DIR *d;
	int rc = 0;

	if (!cfg->development) {
		fprintf(stderr, "tutoratctl: demo data is only loaded into a development stack "
				"([server] environment = development)\n");
		return 1;
	}
	mysql_library_init(0, NULL, NULL);
	if (!schema_is_empty(cfg, &empty, err, sizeof(err))) {
		fprintf(stderr, "tutoratctl: demo-data: %s\n", err);
		return 1;
	}
	if (!empty) {
		printf("the database already holds data: demo data not loaded again\n");
		return 0;
	}
	if (!fmt(dir, sizeof(dir), "%s/demo", sql_dir) || (d = opendir(dir)) == NULL) {
		fprintf(stderr, "tutoratctl: demo-data: cannot read %s/demo\n", sql_dir);
		return 1;
	}
	while ((de = readdir(d)) != NULL && n < ARRAY_LEN(names)) {
		size_t len = strlen(de->d_name);

		if (len > 4 && strcmp(de->d_name + len - 4, ".sql") == 0)
			names[n++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp_str);
	for (size_t i = 0; i < n; i++) {
		if (rc == 0 && (!fmt(file, sizeof(file), "%s/%s", dir, names[i]) ||
				!schema_run_file(cfg, file, err, sizeof(err)))) {
			fprintf(stderr, "tutoratctl: demo-data: %s: %s\n", names[i], err);
			rc = 1;
		} else if (rc == 0) {
			printf("loaded %s\n", names[i]);
		}
		free(names[i]);
	}
	return rc;
}

/* The relation names of a mask, comma-separated ("-" for none). */
static void print_relations(const struct module *m, unsigned mask)
{
	int first = 1;

	for (unsigned k = 0; m->relations[k] != NULL; k++) {
		if (!(mask & (1u << k)))
			continue;
		printf("%s%s", first ? "" : ",", m->relations[k]);
		first = 0;
	}
	if (first)
		printf("-");
}

/* ` OBJECT SEE ACT` for a route that addresses an object: what the
 * generated access matrix (tests/security/access-matrix.test.mjs) reads. */
static void print_object(const struct route *rt)
{
	const struct route_object *o = &rt->object;

	if (o->kind == 0)
		return;
	printf(" %s ", rt->module->objects[o->kind]);
	print_relations(rt->module, o->see);
	printf(" ");
	print_relations(rt->module, o->act != 0 ? o->act : o->see);
}

/* One JSON line: the statement and the names MariaDB gives its columns. */
static void print_columns(MYSQL *my, const struct db_sql *q)
{
	MYSQL_STMT *st = mysql_stmt_init(my);
	json_t *o = json_pack("{s:s, s:[]}", "sql", q->sql, "columns");
	MYSQL_RES *meta;
	char *line;

	if (st != NULL && mysql_stmt_prepare(st, q->sql, (unsigned long)strlen(q->sql)) == 0 &&
	    (meta = mysql_stmt_result_metadata(st)) != NULL) {
		MYSQL_FIELD *f = mysql_fetch_fields(meta);

		for (unsigned i = 0; i < mysql_num_fields(meta); i++)
			json_array_append_new(json_object_get(o, "columns"),
					      json_string(f[i].name));
		mysql_free_result(meta);
	}
	if (st != NULL)
		mysql_stmt_close(st);
	line = json_dumps(o, JSON_COMPACT);
	printf("%s\n", line != NULL ? line : "{}");
	free(line);
	json_decref(o);
}

/* Checks one list of statements; counts them and the failures. */
static void check_list(MYSQL *my, const char *owner, const struct db_sql *const *list, bool columns,
		       size_t *n, size_t *bad)
{
	char why[256];

	for (; list != NULL && *list != NULL; list++) {
		(*n)++;
		if (columns) {
			print_columns(my, *list);
		} else if (!db_sql_check(my, *list, why, sizeof(why))) {
			(*bad)++;
			fprintf(stderr, "%s: %s\n  %s\n", owner, why, (*list)->sql);
		}
	}
}

/*
 * check-sql: every statement of the server and of every module prepared on
 * the migrated schema: it must prepare, and MariaDB's count of placeholders
 * and columns, and the columns' names, must be those declared. The test
 * command runs it, so a statement that disagrees with the schema or with
 * its readers fails before any request reaches it.
 */
static int cmd_check_sql(const struct config *cfg, bool columns)
{
	char err[256];
	size_t n = 0, bad = 0;
	MYSQL *my;

	mysql_library_init(0, NULL, NULL);
	my = db_connect_plain(cfg, false, err, sizeof(err));
	if (my == NULL) {
		fprintf(stderr, "tutoratctl: check-sql: %s\n", err);
		return 1;
	}
	check_list(my, "server/db.c", db_statements, columns, &n, &bad);
	check_list(my, "server/audit.c", audit_statements, columns, &n, &bad);
	check_list(my, "server/readlog_db.c", readlog_statements, columns, &n, &bad);
	for (size_t m = 0; m < n_modules; m++) {
		check_list(my, modules[m]->name, modules[m]->statements, columns, &n, &bad);
		if (modules[m]->more_statements != NULL)
			check_list(my, modules[m]->name, modules[m]->more_statements, columns, &n,
				   &bad);
	}
	mysql_close(my);
	if (!columns)
		printf("check-sql: %zu statements, %zu do not fit their declaration\n", n, bad);
	return bad == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"config", required_argument, NULL, 'c'},
	    {"sql-dir", required_argument, NULL, 's'},
	    {"academy", required_argument, NULL, 'a'},
	    {NULL, 0, NULL, 0},
	};
	const char *path = NULL, *sql_dir = TUTORAT_SQL_DIR, *academy = NULL;
	char err[8192];
	struct config *cfg;
	int opt_c, rc = 2;

	/* '+': the options stop at the command; what follows is its own. */
	while ((opt_c = getopt_long(argc, argv, "+c:s:a:", longopts, NULL)) != -1) {
		switch (opt_c) {
		case 'c':
			path = opt_c == 'c' ? optarg : path;
			break;
		case 's':
			sql_dir = optarg;
			break;
		case 'a':
			academy = optarg;
			break;
		default:
			usage();
		}
	}
	if (path == NULL || optind >= argc)
		usage();
	const char *cmd = argv[optind];

	cfg = config_load(path, err, sizeof(err));
	if (cfg == NULL) {
		fprintf(stderr, "%s", err);
		return 1;
	}
	if (strcmp(cmd, "routes") == 0) {
		routes_init();
		for (size_t i = 0; i < routes_count(); i++) {
			const struct route *rt = route_at(i);

			printf("%s %s ", method_name(rt->method), rt->pattern);
			if (rt->allow & ALLOW_PUBLIC) {
				printf("public\n");
				continue;
			}
			if (rt->allow & ALLOW_AUTHENTICATED) {
				printf("authenticated");
				print_object(rt);
				printf("\n");
				continue;
			}
			for (int k = 0, first = 1; k < ROLE__MAX; k++) {
				if (!(rt->allow & (UINT32_C(1) << k)))
					continue;
				printf("%s%s", first ? "" : ",", role_name((enum role)k));
				first = 0;
			}
			print_object(rt);
			printf("\n");
		}
		rc = 0;
	} else if (strcmp(cmd, "check-sql") == 0) {
		rc = cmd_check_sql(cfg,
				   optind + 1 < argc && strcmp(argv[optind + 1], "--columns") == 0);
	} else if (strcmp(cmd, "check-config") == 0) {
		printf("%s: ok (%zu academies)\n", path, cfg->n_academies);
		rc = 0;
	} else if (strcmp(cmd, "keys") == 0 && optind + 1 < argc) {
		rc = cmd_keys(cfg, argc - optind - 1, argv + optind + 1);
	} else if (strcmp(cmd, "migrate") == 0) {
		mysql_library_init(0, NULL, NULL);
		rc = schema_migrate(cfg, sql_dir, err, sizeof(err)) ? 0 : 1;
		if (rc != 0)
			fprintf(stderr, "tutoratctl: migrate: %s\n", err);
	} else if (strcmp(cmd, "backup") == 0 && optind + 2 == argc) {
		rc = backup_run(cfg, argv[optind + 1]);
	} else if (strcmp(cmd, "restore") == 0 && optind + 3 == argc) {
		rc = backup_restore(argv[optind + 1], argv[optind + 2]);
	} else if (strcmp(cmd, "revoke-sessions") == 0) {
		rc = backup_revoke_sessions(cfg);
	} else if (strcmp(cmd, "demo-data") == 0) {
		rc = cmd_demo_data(cfg, sql_dir);
	} else if (strcmp(cmd, "sync-directory") == 0 && optind + 2 >= argc) {
		mysql_library_init(0, NULL, NULL);
		rc = cmd_sync_directory(cfg, optind + 1 < argc ? argv[optind + 1] : academy);
	} else if (strcmp(cmd, "import") == 0 && optind + 2 < argc) {
		mysql_library_init(0, NULL, NULL);
		rc = cmd_import(cfg, academy, argv[optind + 1], argv[optind + 2]);
	} else {
		const struct module_verb *verb = NULL;

		for (size_t m = 0; m < n_modules && verb == NULL; m++)
			for (const struct module_verb *v = modules[m]->verbs;
			     v != NULL && v->name != NULL; v++)
				if (strcmp(v->name, cmd) == 0)
					verb = v;
		if (verb == NULL) {
			config_free(cfg);
			usage();
		}
		if (verb->development_only && !cfg->development) {
			fprintf(stderr,
				"tutoratctl: %s writes invented data: only into a development "
				"stack ([server] environment = development)\n",
				verb->name);
			config_free(cfg);
			return 1;
		}
		mysql_library_init(0, NULL, NULL);
		/* A verb's requests bind the académie's id (worker_ctl_request). */
		if (!schema_load_academy_ids(cfg, err, sizeof(err))) {
			fprintf(stderr, "tutoratctl: %s\n", err);
			config_free(cfg);
			return 1;
		}
		rc = verb->run(cfg, academy, argc - optind, argv + optind);
	}
	config_free(cfg);
	return rc;
}
