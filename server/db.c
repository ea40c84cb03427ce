#include "db.h"
#include "config.h"
#include "log.h"
#include "metrics.h"
#include "req.h"
#include "util.h"

#include <errmsg.h>
#include <mysql.h>
#include <mysqld_error.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define STMT_SLOTS    512
#define DB_MAX_PARAMS 32
#define DB_MAX_COLS   48
/* statement()'s *errno_out for a statement that does not fit its declaration */
#define DECLARATION_MISMATCH 1

struct stmt_slot {
	const struct db_sql *key;
	MYSQL_STMT *stmt;
};

struct db_conn {
	const struct db_target *target;
	MYSQL *my;
	size_t host;		 /* which of the target's hosts it reached */
	unsigned long thread_id; /* its connection id on that server */
	bool up;
	bool in_tx;
	struct stmt_slot slots[STMT_SLOTS];
};

/* The index of a declared column, or SIZE_MAX. */
static size_t col_index(const struct db_res *res, const char *col)
{
	if (res->cols != NULL)
		for (size_t i = 0; res->cols[i] != NULL; i++)
			if (strcmp(res->cols[i], col) == 0)
				return i;
	return SIZE_MAX;
}

const struct db_val *db_cell(const struct db_res *res, size_t row, const char *col)
{
	static const struct db_val missing = {NULL, 0};
	size_t c = col_index(res, col);

	if (row >= res->n_rows || c >= res->n_cols) {
		log_msg("error", "read of cell (%zu, %s) outside a %zu x %zu result", row, col,
			res->n_rows, res->n_cols);
		return &missing;
	}
	return &res->v[row * res->n_cols + c];
}

const char *db_str(const struct db_res *res, size_t row, const char *col)
{
	return db_cell(res, row, col)->s;
}

bool db_isnull(const struct db_res *res, size_t row, const char *col)
{
	return db_cell(res, row, col)->s == NULL;
}

int64_t db_int(const struct db_res *res, size_t row, const char *col)
{
	const struct db_val *v = db_cell(res, row, col);
	int64_t out = 0;

	if (v->s == NULL || !parse_int64(v->s, v->len, &out))
		return 0;
	return out;
}

bool db_bool(const struct db_res *res, size_t row, const char *col)
{
	return db_int(res, row, col) != 0;
}

int64_t db_total(const struct db_res *res) { return res->n_rows > 0 ? db_int(res, 0, "total") : 0; }

/* A connection with the service's options, to one server. */
static MYSQL *connect_one(const struct db_target *t, const char *host, int port, bool multi,
			  char *err, size_t errlen)
{
	MYSQL *my = mysql_init(NULL);
	unsigned int secs = (unsigned int)t->timeout;
	my_bool no = 0;

	if (my == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	mysql_optionsv(my, MYSQL_OPT_CONNECT_TIMEOUT, &secs);
	mysql_optionsv(my, MYSQL_OPT_READ_TIMEOUT, &secs);
	mysql_optionsv(my, MYSQL_OPT_WRITE_TIMEOUT, &secs);
	/* Reconnection is ours: the driver's would lose prepared statements silently. */
	mysql_optionsv(my, MYSQL_OPT_RECONNECT, &no);
	mysql_optionsv(my, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	if (t->tls) {
		my_bool enforce = 1, verify = 1;

		mysql_optionsv(my, MYSQL_OPT_SSL_ENFORCE, &enforce);
		mysql_optionsv(my, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &verify);
		if (t->tls_ca_file != NULL)
			mysql_optionsv(my, MYSQL_OPT_SSL_CA, t->tls_ca_file);
	}
	mysql_optionsv(my, MYSQL_INIT_COMMAND,
		       "SET time_zone = '+00:00', sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_DATE,"
		       "NO_ZERO_IN_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION'");
	/* The reporting connection cannot write, whatever a statement says. */
	if (t->read_only)
		mysql_optionsv(my, MYSQL_INIT_COMMAND, "SET SESSION TRANSACTION READ ONLY");
	if (mysql_real_connect(my, host, t->user, t->password, t->name, (unsigned)port, t->socket,
			       multi ? CLIENT_MULTI_STATEMENTS : 0) == NULL) {
		snprintf(err, errlen, "%s", mysql_error(my));
		mysql_close(my);
		return NULL;
	}
	return my;
}

/* A Galera node that is not in the primary component accepts connections
 * but refuses queries (1047): not one to use. */
static bool node_serves(MYSQL *my, char *err, size_t errlen)
{
	MYSQL_RES *res;

	if (mysql_query(my, "SELECT 1") != 0) {
		snprintf(err, errlen, "%s", mysql_error(my));
		return false;
	}
	res = mysql_store_result(my);
	mysql_free_result(res);
	return res != NULL;
}

/*
 * A connection to the target: its socket, its host, or the first of its
 * hosts that serves queries, tried in order (so every instance writes to
 * the same node while it lives); *which gets the host's index (0 for a
 * socket or a single host).
 */
static MYSQL *connect_target(const struct db_target *t, bool multi, size_t *which, char *err,
			     size_t errlen)
{
	size_t used = 0;

	if (which == NULL)
		which = &used;
	*which = 0;
	if (t->socket != NULL || t->n_hosts == 0)
		return connect_one(t, t->socket != NULL ? NULL : t->host, t->port, multi, err,
				   errlen);
	for (size_t i = 0; i < t->n_hosts; i++) {
		int port = t->host_ports[i] != 0 ? t->host_ports[i] : t->port;
		MYSQL *my = connect_one(t, t->hosts[i], port, multi, err, errlen);

		if (my != NULL && node_serves(my, err, errlen)) {
			*which = i;
			return my;
		}
		if (my != NULL)
			mysql_close(my);
		log_msg("warn", "database node %s:%d does not serve: %s", t->hosts[i], port, err);
	}
	snprintf(err, errlen, "none of the %zu database nodes serves", t->n_hosts);
	return NULL;
}

struct st_mysql *db_connect_plain(const struct config *cfg, bool multi, char *err, size_t errlen)
{
	return connect_target(&cfg->db, multi, NULL, err, errlen);
}

struct db_conn *db_conn_new(const struct config *cfg) { return db_conn_new_for(&cfg->db); }

struct db_conn *db_conn_new_for(const struct db_target *target)
{
	struct db_conn *c = calloc(1, sizeof(*c));

	if (c == NULL)
		abort();
	c->target = target;
	return c;
}

static void drop_statements(struct db_conn *c)
{
	for (size_t i = 0; i < STMT_SLOTS; i++) {
		if (c->slots[i].stmt != NULL)
			mysql_stmt_close(c->slots[i].stmt);
		c->slots[i].stmt = NULL;
		c->slots[i].key = NULL;
	}
}

static void disconnect(struct db_conn *c)
{
	drop_statements(c);
	if (c->my != NULL)
		mysql_close(c->my);
	c->my = NULL;
	c->up = false;
	c->in_tx = false;
}

void db_conn_free(struct db_conn *c)
{
	if (c == NULL)
		return;
	disconnect(c);
	free(c);
}

enum err db_conn_ensure(struct db_conn *c)
{
	char err[256];

	if (c->up)
		return ERR_OK;
	c->my = connect_target(c->target, false, &c->host, err, sizeof(err));
	if (c->my == NULL) {
		log_msg("error", "database connection failed: %s", err);
		return ERR_DATABASE_UNAVAILABLE;
	}
	c->thread_id = mysql_thread_id(c->my);
	c->up = true;
	metrics_count(METRIC_DB_CONNECTS);
	return ERR_OK;
}

bool db_conn_ping(struct db_conn *c)
{
	if (db_conn_ensure(c) != ERR_OK)
		return false;
	if (mysql_ping(c->my) != 0) {
		disconnect(c);
		return db_conn_ensure(c) == ERR_OK && mysql_ping(c->my) == 0;
	}
	return true;
}

bool db_conn_in_tx(const struct db_conn *c) { return c->in_tx; }

static bool conn_lost(unsigned int e);

/* The first column of the one row `sql` answers, copied into out; false
 * when there is none or it does not fit. */
static bool query_text(struct db_conn *c, const char *sql, char *out, size_t n)
{
	MYSQL_RES *res;
	MYSQL_ROW row;
	bool ok = false;

	if (db_conn_ensure(c) != ERR_OK || mysql_query(c->my, sql) != 0) {
		if (c->my != NULL && conn_lost(mysql_errno(c->my)))
			disconnect(c);
		return false;
	}
	res = mysql_store_result(c->my);
	if (res == NULL)
		return false;
	row = mysql_fetch_row(res);
	if (row != NULL && row[0] != NULL && strlen(row[0]) < n) {
		memcpy(out, row[0], strlen(row[0]) + 1);
		ok = true;
	}
	mysql_free_result(res);
	return ok;
}

bool db_conn_caught_up(struct db_conn *primary, struct db_conn *replica, int wait_ms)
{
	char pos[1024], sql[1100], got[32];

	if (!query_text(primary, "SELECT @@gtid_binlog_pos", pos, sizeof(pos)) || pos[0] == '\0')
		return false;
	/* A GTID list is digits, '-' and ','; anything else is not put in SQL. */
	if (strspn(pos, "0123456789-,") != strlen(pos))
		return false;
	snprintf(sql, sizeof(sql), "SELECT MASTER_GTID_WAIT('%s', %d.%03d)", pos, wait_ms / 1000,
		 wait_ms % 1000);
	return query_text(replica, sql, got, sizeof(got)) && strcmp(got, "0") == 0;
}

/* Errors after which the connection cannot serve another statement. Out of
 * sync (2014) means a result set was left unread: the connection is
 * dropped and made anew rather than failing every later statement. */
static bool conn_lost(unsigned int e)
{
	return e == CR_COMMANDS_OUT_OF_SYNC || e == CR_SERVER_GONE_ERROR || e == CR_SERVER_LOST ||
	       e == CR_CONNECTION_ERROR || e == CR_CONN_HOST_ERROR || e == ER_CONNECTION_KILLED ||
	       e == CR_SERVER_LOST_EXTENDED || e == ER_SERVER_SHUTDOWN ||
	       e == ER_UNKNOWN_COM_ERROR; /* 1047: a Galera node out of the primary component */
}

/* Placeholders the declaration accounts for: the values it names, and the
 * académie in front for a tenant-bound statement that does not place it. */
static size_t declared_params(const struct db_sql *q)
{
	const char *p = q->params != NULL ? q->params : "";

	return strlen(p) + (!q->global && strchr(p, 'A') == NULL ? 1 : 0);
}

static size_t declared_cols(const struct db_sql *q)
{
	size_t n = 0;

	while (q->cols != NULL && q->cols[n] != NULL)
		n++;
	return n;
}

/* A name MariaDB gives a plain column or an alias (not an expression). */
static bool plain_name(const char *s)
{
	if (!((*s >= 'a' && *s <= 'z') || *s == '_'))
		return false;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

/* The prepared statement against its declaration: MariaDB's count of
 * placeholders and columns, and the columns' names where the SQL names
 * them (a column or an alias: an expression without alias is named by its
 * declaration alone). */
static bool declaration_fits(MYSQL_STMT *st, const struct db_sql *q, char *err, size_t errlen)
{
	size_t ncols = declared_cols(q);
	MYSQL_RES *meta;
	bool ok = true;

	if (q->params == NULL || (q->global && strchr(q->params, 'A') != NULL) ||
	    strspn(q->params, "Aizsb") != strlen(q->params)) {
		snprintf(err, errlen, "parameter signature missing or invalid");
		return false;
	}
	if (mysql_stmt_param_count(st) != declared_params(q)) {
		snprintf(err, errlen, "%lu placeholders, %zu declared", mysql_stmt_param_count(st),
			 declared_params(q));
		return false;
	}
	if (mysql_stmt_field_count(st) != ncols) {
		snprintf(err, errlen, "%u result columns, %zu declared", mysql_stmt_field_count(st),
			 ncols);
		return false;
	}
	if (ncols > DB_MAX_COLS) {
		snprintf(err, errlen, "more than %d result columns", DB_MAX_COLS);
		return false;
	}
	meta = mysql_stmt_result_metadata(st);
	if (meta == NULL)
		return ncols == 0;
	MYSQL_FIELD *f = mysql_fetch_fields(meta);

	for (size_t i = 0; i < ncols && ok; i++) {
		if (plain_name(f[i].name) && strcmp(f[i].name, q->cols[i]) != 0) {
			snprintf(err, errlen, "column %zu is \"%s\", declared \"%s\"", i + 1,
				 f[i].name, q->cols[i]);
			ok = false;
		}
	}
	mysql_free_result(meta);
	return ok;
}

bool db_sql_check(struct st_mysql *my, const struct db_sql *q, char *err, size_t errlen)
{
	MYSQL_STMT *st = mysql_stmt_init(my);
	bool ok;

	if (st == NULL) {
		snprintf(err, errlen, "out of memory");
		return false;
	}
	if (mysql_stmt_prepare(st, q->sql, (unsigned long)strlen(q->sql)) != 0) {
		snprintf(err, errlen, "prepare: %s", mysql_stmt_error(st));
		ok = false;
	} else {
		ok = declaration_fits(st, q, err, errlen);
	}
	mysql_stmt_close(st);
	return ok;
}

static MYSQL_STMT *statement(struct db_conn *c, const struct db_sql *q, unsigned int *errno_out)
{
	size_t h = ((uintptr_t)q >> 4) % STMT_SLOTS;

	for (size_t i = 0; i < STMT_SLOTS; i++) {
		struct stmt_slot *s = &c->slots[(h + i) % STMT_SLOTS];

		if (s->key == q)
			return s->stmt;
		if (s->key != NULL)
			continue;
		MYSQL_STMT *st = mysql_stmt_init(c->my);

		if (st == NULL)
			return NULL;
		if (mysql_stmt_prepare(st, q->sql, (unsigned long)strlen(q->sql)) != 0) {
			*errno_out = mysql_stmt_errno(st);
			log_msg("error", "prepare failed (%u: %s): %s", mysql_stmt_errno(st),
				mysql_stmt_error(st), q->sql);
			mysql_stmt_close(st);
			return NULL;
		}
		char why[160];

		if (!declaration_fits(st, q, why, sizeof(why))) {
			/* A statement and its declaration that disagree would bind
			 * arguments never passed or read columns that are not
			 * there: refused once, here, and by tutoratctl check-sql. */
			log_msg("error", "statement does not fit its declaration (%s): %s", why,
				q->sql);
			mysql_stmt_close(st);
			*errno_out = DECLARATION_MISMATCH;
			return NULL;
		}
		s->key = q;
		s->stmt = st;
		return st;
	}
	abort(); /* more distinct statements than slots: raise STMT_SLOTS */
}

struct bound {
	MYSQL_BIND bind[DB_MAX_PARAMS];
	long long ints[DB_MAX_PARAMS];
	unsigned long lens[DB_MAX_PARAMS];
	my_bool nulls[DB_MAX_PARAMS];
	size_t n;
};

/* Binds the académie, then the values the declaration names (its fit to
 * the statement was checked when it was prepared); false without a tenant. */
static bool bind_params(struct req *r, const struct db_sql *q, struct bound *b, va_list ap)
{
	const char *sig = q->params;
	bool explicit_tenant = strchr(sig, 'A') != NULL;

	memset(b, 0, sizeof(*b));
	if (q->global == explicit_tenant && q->global)
		return false; /* a global statement takes no académie */
	if (!q->global) {
		if (r->tenant == NULL)
			return false;
		if (!explicit_tenant) {
			b->ints[0] = (long long)r->tenant->id;
			b->bind[0].buffer_type = MYSQL_TYPE_LONGLONG;
			b->bind[0].buffer = &b->ints[0];
			b->n = 1;
		}
	}
	for (const char *p = sig; *p != '\0'; p++) {
		size_t i = b->n++;
		MYSQL_BIND *bd = &b->bind[i];

		if (i >= DB_MAX_PARAMS)
			return false;
		switch (*p) {
		case 'A':
			b->ints[i] = (long long)r->tenant->id;
			bd->buffer_type = MYSQL_TYPE_LONGLONG;
			bd->buffer = &b->ints[i];
			break;
		case 'i':
		case 'z':
			b->ints[i] = va_arg(ap, int64_t);
			bd->buffer_type = MYSQL_TYPE_LONGLONG;
			bd->buffer = &b->ints[i];
			if (*p == 'z' && b->ints[i] == 0) {
				b->nulls[i] = 1;
				bd->is_null = &b->nulls[i];
			}
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);

			bd->buffer_type = MYSQL_TYPE_STRING;
			if (s == NULL) {
				b->nulls[i] = 1;
				bd->is_null = &b->nulls[i];
			} else {
				b->lens[i] = (unsigned long)strlen(s);
				bd->buffer = (void *)s;
				bd->buffer_length = b->lens[i];
				bd->length = &b->lens[i];
			}
			break;
		}
		case 'b': {
			const void *p2 = va_arg(ap, const void *);
			size_t n = va_arg(ap, size_t);

			bd->buffer_type = MYSQL_TYPE_BLOB;
			bd->buffer = (void *)p2;
			b->lens[i] = (unsigned long)n;
			bd->buffer_length = b->lens[i];
			bd->length = &b->lens[i];
			break;
		}
		default:
			return false;
		}
	}
	return true;
}

/*
 * A result that broke off while its rows came: the server or the cluster
 * ended the statement (a connection lost, a Galera abort), not a defect of
 * ours. 503, the connection dropped when it cannot serve on, and the
 * server's own error in the log.
 */
static enum err fetch_failed(struct req *r, MYSQL_STMT *st, bool *drop)
{
	unsigned int en = mysql_stmt_errno(st);

	log_msg("warn", "request %s: reading a result failed (%u: %s)", r->request_id, en,
		mysql_stmt_error(st));
	if (en == ER_LOCK_DEADLOCK)
		r->conflict = true;
	*drop = conn_lost(en) || en == 0;
	return fail_internal(r, ERR_DATABASE_UNAVAILABLE, "reading a result failed");
}

/* Reads every row of an executed statement into the arena as text. The
 * result set is freed on every exit: one left unread would leave the
 * connection out of sync (error 2014) for every later statement. */
static enum err fetch_all(struct req *r, MYSQL_STMT *st, struct db_res *out)
{
	MYSQL_RES *meta = mysql_stmt_result_metadata(st);
	size_t ncols, cap = 16, nrows = 0;
	MYSQL_BIND bind[DB_MAX_COLS];
	unsigned long lens[DB_MAX_COLS];
	my_bool nulls[DB_MAX_COLS], errs[DB_MAX_COLS];
	char small[DB_MAX_COLS][128];
	struct db_val *vals = NULL;
	bool drop = false;
	enum err e = ERR_OK;

	memset(out, 0, sizeof(*out));
	if (meta == NULL) {
		mysql_stmt_free_result(st);
		return ERR_OK;
	}
	ncols = mysql_num_fields(meta);
	mysql_free_result(meta);
	if (ncols > DB_MAX_COLS) {
		e = fail_internal(r, ERR_INTERNAL, "too many result columns");
		goto out;
	}
	memset(bind, 0, sizeof(bind));
	for (size_t c = 0; c < ncols; c++) {
		bind[c].buffer_type = MYSQL_TYPE_STRING;
		bind[c].buffer = small[c];
		bind[c].buffer_length = sizeof(small[c]);
		bind[c].length = &lens[c];
		bind[c].is_null = &nulls[c];
		bind[c].error = &errs[c];
	}
	if (mysql_stmt_bind_result(st, bind) != 0) {
		e = fail_internal(r, ERR_INTERNAL, mysql_stmt_error(st));
		goto out;
	}
	vals = arena_alloc(r->arena, cap * ncols * sizeof(*vals) + 1);
	if (vals == NULL) {
		e = fail_internal(r, ERR_INTERNAL, "arena exhausted");
		goto out;
	}
	for (;;) {
		int rc = mysql_stmt_fetch(st);

		if (rc == MYSQL_NO_DATA)
			break;
		if (rc == 1) {
			e = fetch_failed(r, st, &drop);
			break;
		}
		if (nrows == cap) {
			struct db_val *bigger =
			    arena_alloc(r->arena, 2 * cap * ncols * sizeof(*vals) + 1);

			if (bigger == NULL) {
				e = fail_internal(r, ERR_INTERNAL, "arena exhausted");
				break;
			}
			memcpy(bigger, vals, cap * ncols * sizeof(*vals));
			vals = bigger;
			cap *= 2;
		}
		for (size_t c = 0; c < ncols; c++) {
			struct db_val *v = &vals[nrows * ncols + c];
			char *s;

			if (nulls[c]) {
				v->s = NULL;
				v->len = 0;
				continue;
			}
			s = arena_alloc(r->arena, lens[c] + 1);
			if (s == NULL) {
				e = fail_internal(r, ERR_INTERNAL, "arena exhausted");
				goto out;
			}
			if (lens[c] <= sizeof(small[c])) {
				memcpy(s, small[c], lens[c]);
			} else {
				MYSQL_BIND big = {0};

				big.buffer_type = MYSQL_TYPE_STRING;
				big.buffer = s;
				big.buffer_length = lens[c];
				if (mysql_stmt_fetch_column(st, &big, (unsigned)c, 0) != 0) {
					e = fail_internal(r, ERR_INTERNAL, mysql_stmt_error(st));
					goto out;
				}
			}
			s[lens[c]] = '\0';
			v->s = s;
			v->len = lens[c];
		}
		nrows++;
	}
out:
	mysql_stmt_free_result(st);
	if (drop)
		disconnect(r->db); /* closes st too: the caller uses it no more */
	if (e != ERR_OK)
		return e; /* no partial result: out stays empty */
	out->n_rows = nrows;
	out->n_cols = ncols;
	out->v = vals;
	return e;
}

/*
 * Prepares (once), binds and executes q. A connection lost outside a
 * transaction is re-established and the statement tried once more; inside
 * a transaction the work is gone, so the request fails with a 503.
 */
static enum err run(struct req *r, const struct db_sql *q, struct db_res *res, uint64_t *affected,
		    va_list ap)
{
	struct db_conn *c = r->db;
	struct bound b;
	enum err e;

	if (res != NULL)
		memset(res, 0, sizeof(*res));
	if (q->params == NULL || !bind_params(r, q, &b, ap))
		return fail_internal(r, ERR_INTERNAL,
				     "statement without a declaration, or without a tenant");
	for (int attempt = 0; attempt < 2; attempt++) {
		unsigned int en = 0;
		MYSQL_STMT *st;

		e = db_conn_ensure(c);
		if (e != ERR_OK)
			return fail(r, e, NULL, NULL);
		st = statement(c, q, &en);
		if (st == NULL) {
			if (conn_lost(en) || en == 0) {
				bool was_tx = c->in_tx;

				disconnect(c);
				if (!was_tx && attempt == 0)
					continue;
				return fail(r, ERR_DATABASE_UNAVAILABLE, NULL, NULL);
			}
			return fail_internal(r, ERR_INTERNAL, "prepare failed");
		}
		if (mysql_stmt_param_count(st) != b.n) {
			log_msg("error", "statement takes %lu parameters, given %zu: %s",
				mysql_stmt_param_count(st), b.n, q->sql);
			return fail_internal(r, ERR_INTERNAL, "parameter count mismatch");
		}
		r->statements++;
		if (mysql_stmt_bind_param(st, b.bind) != 0 || mysql_stmt_execute(st) != 0) {
			unsigned int se = mysql_stmt_errno(st);

			if (conn_lost(se)) {
				bool was_tx = c->in_tx;

				log_msg("warn", "database connection lost (%u), reconnecting", se);
				disconnect(c);
				if (!was_tx && attempt == 0)
					continue;
				return fail(r, ERR_DATABASE_UNAVAILABLE, NULL, NULL);
			}
			if (se == ER_DUP_ENTRY)
				return ERR_DUPLICATE;
			/* A foreign key or a CHECK constraint refused the change: the
			 * caller names the field (404, 409 or 422 as it fits). */
			if (se == ER_NO_REFERENCED_ROW_2 || se == ER_ROW_IS_REFERENCED_2 ||
			    se == ER_CONSTRAINT_FAILED)
				return ERR_REFERENCE;
			/* A deadlock, or on Galera a transaction aborted by a
			 * replicated one: the whole transaction may run again. */
			if (se == ER_LOCK_DEADLOCK)
				r->conflict = true;
			if (se == ER_LOCK_DEADLOCK || se == ER_LOCK_WAIT_TIMEOUT)
				return fail_internal(r, ERR_DATABASE_UNAVAILABLE,
						     mysql_stmt_error(st));
			log_msg("error", "statement failed (%u: %s): %s", se, mysql_stmt_error(st),
				q->sql);
			return fail_internal(r, ERR_INTERNAL, "statement failed");
		}
		if (affected != NULL)
			*affected = (uint64_t)mysql_stmt_affected_rows(st);
		if (res != NULL) {
			e = fetch_all(r, st, res);
			res->cols = q->cols;
			return e;
		}
		/* A write can still return a result set (RETURNING): drain it. */
		mysql_stmt_free_result(st);
		return ERR_OK;
	}
	return fail(r, ERR_DATABASE_UNAVAILABLE, NULL, NULL);
}

enum err db_rows(struct req *r, const struct db_sql *q, struct db_res *out, ...)
{
	va_list ap;
	enum err e;

	va_start(ap, out);
	e = run(r, q, out, NULL, ap);
	va_end(ap);
	return e;
}

enum err db_one(struct req *r, const struct db_sql *q, struct db_res *out, ...)
{
	va_list ap;
	enum err e;

	va_start(ap, out);
	e = run(r, q, out, NULL, ap);
	va_end(ap);
	if (e == ERR_OK && out->n_rows != 1)
		return ERR_NOT_FOUND;
	return e;
}

enum err db_exists(struct req *r, const struct db_sql *q, bool *found, ...)
{
	struct db_res res;
	va_list ap;
	enum err e;

	va_start(ap, found);
	e = run(r, q, &res, NULL, ap);
	va_end(ap);
	*found = e == ERR_OK && res.n_rows > 0;
	return e;
}

enum err db_run(struct req *r, const struct db_sql *q, uint64_t *affected, ...)
{
	va_list ap;
	enum err e;

	/* A route that runs its own transactions writes only inside them. */
	if (r->route != NULL && r->route->own_transactions && !r->db->in_tx)
		return fail_internal(r, ERR_INTERNAL, "a write outside a transaction");
	va_start(ap, affected);
	e = run(r, q, NULL, affected, ap);
	va_end(ap);
	return e;
}

enum err db_update_versioned(struct req *r, const struct db_sql *update,
			     const struct db_sql *exists, int64_t id, ...)
{
	uint64_t changed = 0;
	va_list ap;
	enum err e;

	va_start(ap, id);
	e = run(r, update, NULL, &changed, ap);
	va_end(ap);
	if (e != ERR_OK)
		return e;
	return changed > 0 ? ERR_OK : db_stale_or_missing(r, exists, id);
}

static const struct db_sql Q_REFERENCE_CHANGED = {
    "INSERT INTO academy_state (academy_id, reference_version) VALUES (?, 2) "
    "ON DUPLICATE KEY UPDATE reference_version = reference_version + 1",
    ""};

/* Whether the request's audit row is stored: read causally, so that on
 * Galera it sees every write set the cluster ordered before the read. */
static const struct db_sql Q_AUDIT_OF_REQUEST = {
    "SET STATEMENT wsrep_sync_wait = 1 FOR "
    "SELECT 1 AS found FROM audit_log WHERE academy_id = ? AND request_id = ? LIMIT 1",
    "s", DB_COLS("found")};

/* Whether a connection of ours still runs on the server (a user sees its
 * own connections without the PROCESS privilege). */
static const struct db_sql Q_CONNECTION_ALIVE = {
    "SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE ID = ?", "i", DB_COLS("n"),
    .global = true};

/* The statements of db.c itself, for tutoratctl check-sql. */
const struct db_sql *const db_statements[] = {&Q_REFERENCE_CHANGED, &Q_AUDIT_OF_REQUEST,
					      &Q_CONNECTION_ALIVE, NULL};

enum err db_reference_changed(struct req *r) { return db_run(r, &Q_REFERENCE_CHANGED, NULL); }

enum err db_stale_or_missing(struct req *r, const struct db_sql *exists, int64_t id)
{
	struct db_res res;
	enum err e = db_one(r, exists, &res, id);

	if (e != ERR_OK)
		return e;
	return fail(r, ERR_PRECONDITION_FAILED, NULL,
		    arena_printf(r->arena,
				 "L'enregistrement a été modifié par quelqu'un d'autre (version "
				 "actuelle : %lld). Rechargez-le avant de modifier.",
				 (long long)db_int(&res, 0, "version")));
}

const char *db_like_contains(struct req *r, const char *q)
{
	size_t n = q != NULL ? strlen(q) : 0;
	char *out, *o;

	if (q == NULL)
		return NULL;
	out = arena_alloc(r->arena, 2 * n + 3);
	if (out == NULL)
		return NULL;
	o = out;
	*o++ = '%';
	for (size_t i = 0; i < n; i++) {
		if (q[i] == '%' || q[i] == '_' || q[i] == '\\')
			*o++ = '\\';
		*o++ = q[i];
	}
	*o++ = '%';
	*o = '\0';
	return out;
}

enum err db_begin(struct req *r)
{
	struct db_conn *c = r->db;

	for (int attempt = 0; attempt < 2; attempt++) {
		if (db_conn_ensure(c) != ERR_OK)
			return fail(r, ERR_DATABASE_UNAVAILABLE, NULL, NULL);
		if (mysql_real_query(c->my, "START TRANSACTION", 17) == 0) {
			c->in_tx = true;
			r->audited_at_begin = r->audited;
			return ERR_OK;
		}
		if (!conn_lost(mysql_errno(c->my)))
			break;
		disconnect(c);
	}
	return fail_internal(r, ERR_DATABASE_UNAVAILABLE, "cannot start a transaction");
}

/*
 * The connection broke during COMMIT: the transaction may be stored or
 * not, and the client must not be told it failed if it was stored. On a
 * fresh connection, once the old one has left its server (it finishes its
 * commit, or rolls back, before it goes), the request's audit row tells:
 * every write commits with one (dispatch.c). Present: the write stands and
 * the request succeeds. Absent, or no way to know before the deadline: 503,
 * and nothing of it commits later.
 */
static enum err commit_outcome(struct req *r)
{
	struct db_conn *c = r->db;
	size_t old_host = c->host;
	unsigned long old_id = c->thread_id;
	struct db_res res;
	bool found = false;

	disconnect(c);
	if (r->request_id[0] == '\0' || r->audited == 0 || db_conn_ensure(c) != ERR_OK)
		return fail_internal(r, ERR_DATABASE_UNAVAILABLE,
				     "connection lost during commit: outcome unknown");
	for (;;) {
		if (c->host != old_host)
			break; /* the old server is gone or cut off: the cluster decided */
		if (db_rows(r, &Q_CONNECTION_ALIVE, &res, (int64_t)old_id) != ERR_OK)
			return fail_internal(r, ERR_DATABASE_UNAVAILABLE,
					     "connection lost during commit: outcome unknown");
		if (db_int(&res, 0, "n") == 0)
			break;
		if (now_real() >= r->deadline)
			return fail_internal(r, ERR_DATABASE_UNAVAILABLE,
					     "connection lost during commit: still committing");
		nanosleep(&(struct timespec){0, 20000000L}, NULL);
	}
	if (db_exists(r, &Q_AUDIT_OF_REQUEST, &found, r->request_id) != ERR_OK)
		return fail_internal(r, ERR_DATABASE_UNAVAILABLE,
				     "connection lost during commit: outcome unknown");
	if (!found)
		return fail_internal(r, ERR_DATABASE_UNAVAILABLE,
				     "connection lost during commit: not committed");
	log_msg("warn", "request %s: connection lost during commit, the commit is stored",
		r->request_id);
	return ERR_OK;
}

enum err db_commit(struct req *r)
{
	struct db_conn *c = r->db;
	unsigned int e;

	if (!c->in_tx)
		return ERR_OK;
	c->in_tx = false;
	if (mysql_commit(c->my) == 0)
		return ERR_OK;
	e = mysql_errno(c->my);
	if (e == ER_LOCK_DEADLOCK) {
		/* Galera's certification refused the write set: nothing is
		 * stored, and the whole transaction may run again. */
		r->conflict = true;
		return fail_internal(r, ERR_DATABASE_UNAVAILABLE, "commit: certification failure");
	}
	if (conn_lost(e))
		return commit_outcome(r);
	return fail_internal(r, ERR_DATABASE_UNAVAILABLE, "commit failed");
}

void db_rollback(struct req *r)
{
	struct db_conn *c = r->db;

	if (!c->in_tx)
		return;
	c->in_tx = false;
	if (c->my != NULL && mysql_rollback(c->my) != 0)
		disconnect(c);
}
