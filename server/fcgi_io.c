/*
 * FastCGI input and output (see fcgi_io.h).
 */
#include "fcgi_io.h"
#include "config.h"
#include "routes.h"
#include "util.h"

#include <fcgiapp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum err fcgi_read_body(struct req *r, FCGX_Request *fr, size_t limit)
{
	const char *cl = FCGX_GetParam("CONTENT_LENGTH", fr->envp);
	int64_t len = 0;
	char sink[4096];

	if (cl == NULL || *cl == '\0')
		return ERR_OK;
	if (!parse_int64(cl, strlen(cl), &len) || len < 0)
		return fail(r, ERR_MALFORMED_JSON, NULL, "Content-Length invalide.");
	if ((size_t)len > limit) {
		int64_t left = len;

		while (left > 0) {
			int got = FCGX_GetStr(
			    sink, left > (int64_t)sizeof(sink) ? (int)sizeof(sink) : (int)left,
			    fr->in);
			if (got <= 0)
				break;
			left -= got;
		}
		return fail(r, ERR_BODY_TOO_LARGE, NULL,
			    arena_printf(r->arena, "Taille maximale : %zu octets.", limit));
	}
	char *body = arena_alloc(r->arena, (size_t)len + 1);

	if (body == NULL)
		return fail_internal(r, ERR_INTERNAL, "arena exhausted");
	size_t got = 0;

	while (got < (size_t)len) {
		int n = FCGX_GetStr(body + got, (int)((size_t)len - got), fr->in);

		if (n <= 0)
			break;
		got += (size_t)n;
	}
	if (got != (size_t)len)
		return fail(r, ERR_MALFORMED_JSON, NULL, "Corps de requête incomplet.");
	body[got] = '\0';
	r->body = body;
	r->body_len = got;
	return ERR_OK;
}

static const char *status_text(int s)
{
	switch (s) {
	case 200:
		return "OK";
	case 201:
		return "Created";
	case 204:
		return "No Content";
	case 400:
		return "Bad Request";
	case 401:
		return "Unauthorized";
	case 403:
		return "Forbidden";
	case 404:
		return "Not Found";
	case 405:
		return "Method Not Allowed";
	case 409:
		return "Conflict";
	case 412:
		return "Precondition Failed";
	case 413:
		return "Content Too Large";
	case 415:
		return "Unsupported Media Type";
	case 422:
		return "Unprocessable Content";
	case 428:
		return "Precondition Required";
	case 429:
		return "Too Many Requests";
	case 503:
		return "Service Unavailable";
	default:
		return s >= 500 ? "Internal Server Error" : "OK";
	}
}

static void put(FCGX_Request *fr, const char *s, size_t n) { FCGX_PutStr(s, (int)n, fr->out); }

void fcgi_respond(struct req *r, FCGX_Request *fr)
{
	char head[512];
	char *body = NULL;
	const char *type = r->reply_type != NULL ? r->reply_type : "application/json";
	size_t body_len = 0;

	if (r->err != ERR_OK) {
		const struct problem_def *p = req_problem(r);
		/* The request id travels in X-Request-Id: two refusals of the same
		 * kind have byte-identical bodies. */
		json_t *o = json_pack("{s:s, s:s, s:i, s:s}", "type", "about:blank", "title",
				      p->title, "status", p->status, "code", p->code);

		if (r->err_field != NULL)
			json_object_set_new(o, "field", json_string(r->err_field));
		if (r->err_detail != NULL)
			json_object_set_new(o, "detail", json_string(r->err_detail));
		if (r->err_list != NULL)
			json_object_set(o, "errors", r->err_list);
		reply_json(r, p->status, o);
		r->status = p->status;
		r->raw_reply = NULL; /* a body prepared before the failure is not sent */
		r->raw_len = 0;
		type = "application/problem+json";
		if (r->retry_after > 0)
			reply_header(r, arena_printf(r->arena, "Retry-After: %lld",
						     (long long)r->retry_after));
	}
	if (r->raw_reply != NULL) {
		body = (char *)r->raw_reply;
		body_len = r->raw_len;
	} else if (r->reply != NULL) {
		body = json_dumps(r->reply, JSON_COMPACT);
		body_len = body != NULL ? strlen(body) : 0;
		json_decref(r->reply);
		r->reply = NULL;
		if (body != NULL)
			arena_defer(r->arena, free, body);
	}
	if (r->status == 0)
		r->status = 200;
	snprintf(head, sizeof(head), "Status: %d %s\r\n", r->status, status_text(r->status));
	put(fr, head, strlen(head));
	if (body != NULL) {
		bool json = strcmp(type, "application/json") == 0 ||
			    strcmp(type, "application/problem+json") == 0;

		snprintf(head, sizeof(head), "Content-Type: %s%s\r\nContent-Length: %zu\r\n", type,
			 json ? "; charset=utf-8" : "", body_len);
		put(fr, head, strlen(head));
	}
	bool cache_set = false;

	for (size_t i = 0; i < r->n_headers; i++) {
		if (r->headers[i] == NULL)
			continue;
		cache_set |= strncmp(r->headers[i], "Cache-Control:", 14) == 0;
		put(fr, r->headers[i], strlen(r->headers[i]));
		put(fr, "\r\n", 2);
	}
	if (!cache_set)
		put(fr, "Cache-Control: no-store\r\n", 25);
	snprintf(head, sizeof(head), "X-Request-Id: %s\r\n\r\n", r->request_id);
	put(fr, head, strlen(head));
	if (body != NULL)
		put(fr, body, body_len);
}

static void set_request_id(struct req *r, const char *given)
{
	unsigned char rnd[12];
	size_t n = given != NULL ? strlen(given) : 0;
	bool ok = n >= 8 && n < sizeof(r->request_id);

	for (size_t i = 0; ok && i < n; i++)
		if (!((given[i] >= '0' && given[i] <= '9') ||
		      (given[i] >= 'a' && given[i] <= 'z') ||
		      (given[i] >= 'A' && given[i] <= 'Z') || given[i] == '-'))
			ok = false;
	if (ok) {
		memcpy(r->request_id, given, n + 1);
		return;
	}
	random_bytes(rnd, sizeof(rnd));
	hex_encode(r->request_id, rnd, sizeof(rnd));
}

/* When nginx received the request ($msec: seconds.milliseconds); now when
 * the parameter is missing or malformed (a starter other than nginx). */
static double received_at(const char *msec)
{
	double now = now_real(), t;
	char *end;

	if (msec == NULL || *msec == '\0')
		return now;
	t = strtod(msec, &end);
	if (*end != '\0' || t <= 0 || t > now + 60)
		return now;
	return t;
}

void fcgi_read_params(struct req *r, FCGX_Request *fr)
{
	const char *doc_uri = FCGX_GetParam("DOCUMENT_URI", fr->envp);

	set_request_id(r, FCGX_GetParam("REQUEST_ID", fr->envp));
	r->method_str = FCGX_GetParam("REQUEST_METHOD", fr->envp);
	r->method = method_parse(r->method_str);
	r->path = doc_uri != NULL ? doc_uri : FCGX_GetParam("SCRIPT_NAME", fr->envp);
	r->query = FCGX_GetParam("QUERY_STRING", fr->envp);
	r->remote_addr = FCGX_GetParam("REMOTE_ADDR", fr->envp);
	r->content_type = FCGX_GetParam("CONTENT_TYPE", fr->envp);
	r->authorization = FCGX_GetParam("HTTP_AUTHORIZATION", fr->envp);
	r->cookie = FCGX_GetParam("HTTP_COOKIE", fr->envp);
	r->if_match = FCGX_GetParam("HTTP_IF_MATCH", fr->envp);
	r->requested_with = FCGX_GetParam("HTTP_X_REQUESTED_WITH", fr->envp);
	r->deadline =
	    received_at(FCGX_GetParam("REQUEST_START", fr->envp)) + r->cfg->request_deadline;
}
