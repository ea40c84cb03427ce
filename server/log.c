#include "log.h"
#include "config.h"
#include "problem.h"
#include "req.h"
#include "util.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void timestamp(char *buf, size_t cap)
{
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	snprintf(buf, cap, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(ts.tv_nsec / 1000000) % 1000);
}

static void emit(json_t *o)
{
	char *line = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);

	if (line != NULL) {
		size_t n = strlen(line);

		line[n] = '\n'; /* replaces the NUL: we write n + 1 bytes */
		ssize_t rc = write(STDERR_FILENO, line, n + 1);

		(void)rc; /* nowhere else to report a failing log */
		free(line);
	}
	json_decref(o);
}

/*
 * A string for a log line, whatever its bytes: as it is when it is UTF-8;
 * otherwise each byte that is not part of a well-formed character becomes
 * the four characters \xNN. json_pack refuses invalid UTF-8, and a line
 * that cannot be built is a line lost: a request with such a path would
 * leave no trace. Every string that comes from a request goes through here.
 */
static json_t *log_text(const char *s)
{
	size_t n = strlen(s), o = 0;
	json_t *v = json_stringn(s, n);
	char *buf;

	if (v != NULL)
		return v;
	buf = malloc(n * 4 + 1);
	if (buf == NULL)
		return json_string("(unloggable)");
	for (size_t i = 0; i < n;) {
		size_t len = utf8_char_len(s + i, n - i);

		if (len == 0) {
			snprintf(buf + o, 5, "\\x%02x", (unsigned char)s[i]);
			o += 4;
			i++;
		} else {
			memcpy(buf + o, s + i, len);
			o += len;
			i += len;
		}
	}
	v = json_stringn(buf, o);
	free(buf);
	return v;
}

void log_msg(const char *level, const char *fmt, ...)
{
	char msg[1024], ts[64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	timestamp(ts, sizeof(ts));
	/* msg may hold request text, or a character cut by vsnprintf. */
	emit(json_pack("{s:s, s:s, s:o}", "ts", ts, "level", level, "msg", log_text(msg)));
}

/* The path as logged: a route whose last parameter is {token} (the
 * calendar feed's secret) has that segment written as "-". */
static const char *loggable_path(const struct req *r)
{
	const char *slash;
	size_t n = r->route != NULL ? strlen(r->route->pattern) : 0;

	if (r->path == NULL)
		return "-";
	if (n < 8 || strcmp(r->route->pattern + n - 8, "/{token}") != 0 ||
	    (slash = strrchr(r->path, '/')) == NULL)
		return r->path;
	return arena_printf(r->arena, "%.*s/-", (int)(slash - r->path), r->path);
}

void log_request(const struct req *r, double duration_ms)
{
	const char *path = loggable_path(r);
	char ts[64];
	json_t *o;

	timestamp(ts, sizeof(ts));
	o = json_pack("{s:s, s:s, s:s, s:o, s:s, s:o, s:i, s:f}", "ts", ts, "level",
		      r->status >= 500 ? "error" : "info", "request_id", r->request_id, "method",
		      log_text(r->method_str != NULL ? r->method_str : "-"), "route",
		      r->route != NULL ? r->route->pattern : "-", "path",
		      log_text(path != NULL ? path : "-"), "status", r->status, "duration_ms",
		      duration_ms);
	if (o == NULL)
		return;
	if (r->tenant != NULL)
		json_object_set_new(o, "academy", json_string(r->tenant->code));
	if (r->authenticated)
		json_object_set_new(o, "principal", json_integer(r->who.person_id));
	if (r->err != ERR_OK) {
		json_object_set_new(o, "code", json_string(req_problem(r)->code));
		if (r->err_field != NULL)
			json_object_set_new(o, "field", log_text(r->err_field));
	}
	if (r->log_detail != NULL)
		json_object_set_new(o, "error", log_text(r->log_detail));
	if (r->remote_addr != NULL)
		json_object_set_new(o, "client", log_text(r->remote_addr));
	json_object_set_new(o, "statements", json_integer(r->statements));
	emit(o);
}
