/*
 * tutoratctl mailer [--once]: the sender of mail_outbox (server/mailer.h
 * says how a mail goes at least once and never twice for a crash). A loop
 * every [mail] poll_interval seconds: replay the journal, then for each
 * académie with a relay (smtp_url) claim the due rows a batch at a time,
 * send each mail through libcurl's SMTP, mark it. --once: one pass until
 * nothing is due, then exit (0, or 1 when the database or the journal
 * failed).
 *
 * Logs: one line per mail sent or failed, with the académie and the row
 * id, never the address nor the text (personal data).
 */
#include "config.h"
#include "db.h"
#include "log.h"
#include "mail_mime.h"
#include "mailer.h"
#include "req.h"
#include "schema.h"
#include "util.h"
#include "worker.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CLAIM_BATCH 50
#define MAX_DIGEST  200 /* rows of one recipient's digest in one mail */
/* Where a person changes their preferences, as notify() links it. */
#define PREFERENCES_PATH "/app.html#/preferences"

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

/* What one SMTP conversation came to. */
enum send_outcome { SENT, TRY_AGAIN, REFUSED };

struct mailer {
	const struct config *cfg;
	struct worker *w;
	char host[64];
	unsigned long round;
	bool trouble; /* --once: the exit status */
};

/* A request of the mailer's own: the académie's tenant, the worker's
 * connection (as tutoratctl's own commands do). */
static void mailer_request(struct req *r, struct mailer *m, const struct academy_cfg *a)
{
	memset(r, 0, sizeof(*r));
	r->w = m->w;
	r->arena = &m->w->arena;
	r->cfg = m->cfg;
	r->db = m->w->db;
	r->tenant = a;
	r->remote_addr = "tutoratctl";
	r->deadline = now_real() + 60;
	snprintf(r->request_id, sizeof(r->request_id), "mailer-%lld", (long long)random_id());
}

/* ---- the journal: mails the relay accepted that are not marked yet ---- */

/* Appends "CODE SENT_IN ID..." and makes it durable before the mark. */
static bool journal_add(const char *path, const char *code, int64_t sent_in, const int64_t *ids,
			size_t n)
{
	char line[8192];
	size_t len;
	int fd;
	bool ok;

	len = (size_t)snprintf(line, sizeof(line), "%s %lld", code, (long long)sent_in);
	for (size_t i = 0; i < n && len < sizeof(line) - 24; i++)
		len += (size_t)snprintf(line + len, sizeof(line) - len, " %lld", (long long)ids[i]);
	line[len++] = '\n';
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return false;
	ok = write(fd, line, len) == (ssize_t)len && fsync(fd) == 0;
	return close(fd) == 0 && ok;
}

static bool journal_clear(const char *path)
{
	int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	bool ok;

	if (fd < 0)
		return errno == ENOENT;
	ok = fsync(fd) == 0;
	return close(fd) == 0 && ok;
}

/*
 * Marks every mail of the journal sent (the relay took them; the mailer
 * that sent them stopped before it could say so), then empties it. False
 * while the database does not answer: nothing else is sent until it does,
 * so the journal never grows past the mail in flight.
 */
static bool journal_replay(struct mailer *m)
{
	const char *path = m->cfg->mail.journal;
	FILE *fp = fopen(path, "r");
	char line[8192];
	bool ok = true;

	if (fp == NULL)
		return errno == ENOENT;
	while (ok && fgets(line, sizeof(line), fp) != NULL) {
		char *save = NULL, *code = strtok_r(line, " \n", &save), *tok;
		const struct academy_cfg *a =
		    code != NULL ? config_academy(m->cfg, code, strlen(code)) : NULL;
		int64_t ids[MAX_DIGEST], sent_in = 0, v;
		size_t n = 0;
		struct req r;
		bool first = true;

		if (a == NULL) {
			log_msg("error", "mailer: journal %s names no configured academy: line left out",
				path);
			continue;
		}
		while ((tok = strtok_r(NULL, " \n", &save)) != NULL && n < MAX_DIGEST) {
			if (!parse_int64(tok, strlen(tok), &v))
				continue;
			if (first)
				sent_in = v;
			else
				ids[n++] = v;
			first = false;
		}
		if (n == 0)
			continue;
		arena_reset(&m->w->arena);
		mailer_request(&r, m, a);
		ok = mailer_mark_sent(&r, ids, n, sent_in) == ERR_OK;
		if (ok)
			log_msg("info", "mailer: academy %s: mail %lld marked sent from the journal",
				a->code, (long long)(sent_in != 0 ? sent_in : ids[0]));
	}
	fclose(fp);
	if (ok && !journal_clear(path)) {
		log_msg("error", "mailer: cannot empty the journal %s: %s", path, strerror(errno));
		ok = false;
	}
	return ok;
}

/* ---- one SMTP conversation ---- */

struct upload {
	const char *p;
	size_t left;
};

static size_t read_message(char *buf, size_t size, size_t nitems, void *arg)
{
	struct upload *u = arg;
	size_t n = size * nitems < u->left ? size * nitems : u->left;

	memcpy(buf, u->p, n);
	u->p += n;
	u->left -= n;
	return n;
}

/*
 * Sends one message to one address through the académie's relay. The
 * relay's 5xx is REFUSED; a connection, a timeout, a 4xx, or a refused
 * login or STARTTLS (the relay's configuration, not the mail) is
 * TRY_AGAIN. `why` gets a reason without the address or the server's
 * text (which may quote it).
 */
static enum send_outcome smtp_send(const struct mailer *m, const struct academy_cfg *a,
				   const char *to, const char *msg, size_t len, char *why,
				   size_t whylen)
{
	struct upload u = {msg, len};
	struct curl_slist *rcpt = NULL;
	char from[300], rcpt_addr[300];
	long code = 0;
	CURLcode rc;
	CURL *c = curl_easy_init();

	if (c == NULL) {
		snprintf(why, whylen, "curl: out of memory");
		return TRY_AGAIN;
	}
	snprintf(from, sizeof(from), "<%s>", a->mail_from);
	snprintf(rcpt_addr, sizeof(rcpt_addr), "<%s>", to);
	rcpt = curl_slist_append(NULL, rcpt_addr);
	curl_easy_setopt(c, CURLOPT_URL, a->smtp_url);
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, read_message);
	curl_easy_setopt(c, CURLOPT_READDATA, &u);
	curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)m->cfg->mail.timeout);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT,
			 (long)(m->cfg->mail.timeout < 10 ? m->cfg->mail.timeout : 10));
	if (a->smtp_starttls)
		curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	if (a->smtp_user != NULL) {
		curl_easy_setopt(c, CURLOPT_USERNAME, a->smtp_user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, a->smtp_password);
	}
	rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(c);
	if (rc == CURLE_OK)
		return SENT;
	snprintf(why, whylen, "%s%s%ld", curl_easy_strerror(rc), code > 0 ? ", smtp " : "",
		 code > 0 ? code : 0L);
	if (code == 0)
		why[strlen(why) - 1] = '\0'; /* the "0" of no answer */
	if (code >= 500 && code < 600 && rc != CURLE_LOGIN_DENIED && rc != CURLE_USE_SSL_FAILED)
		return REFUSED;
	return TRY_AGAIN;
}

/* ---- composing ---- */

/* Appends text as HTML to fp, a line at a time; the URL that ends a line
 * ("Pour le consulter : https://...") becomes a link. */
static void html_lines(FILE *fp, struct arena *ar, const char *text)
{
	const char *p = text;

	while (*p != '\0') {
		size_t n = strcspn(p, "\n");
		char *line = arena_strndup(ar, p, n), *url;

		if (line != NULL && *line != '\0') {
			url = strstr(line, "https://");
			if (url == NULL)
				url = strstr(line, "http://");
			if (url != NULL && strchr(url, ' ') == NULL) {
				const char *href = html_escape(ar, url);

				*url = '\0';
				fprintf(fp, "%s<a href=\"%s\">%s</a><br>\n", html_escape(ar, line), href,
					href);
			} else {
				fprintf(fp, "%s<br>\n", html_escape(ar, line));
			}
		}
		p += n;
		if (*p == '\n')
			p++;
	}
}

/* The item of a digest row: its text without the greeting ("Bonjour ...,"
 * paragraph) and the signature ("-- " and after) that notify() writes
 * around it for a mail of its own. In the arena. */
static const char *digest_item(struct arena *ar, const char *text)
{
	const char *start = text, *end;

	if (strncmp(start, "Bonjour ", 8) == 0 && strstr(start, "\n\n") != NULL)
		start = strstr(start, "\n\n") + 2;
	end = strstr(start, "\n-- \n");
	if (end == NULL)
		end = start + strlen(start);
	while (end > start && end[-1] == '\n')
		end--;
	return arena_strndup(ar, start, (size_t)(end - start));
}

/*
 * The day's digest of one recipient: rows[0..n) hold one item each (the
 * sentence and its link, written by notify()); the mail carries the
 * Message-ID of the first (the smallest id). Bodies in the arena.
 */
static bool compose_digest(struct arena *ar, const struct academy_cfg *a,
			   const struct mail_row *rows, size_t n, const char **subject,
			   const char **text, const char **html)
{
	char *t = NULL, *h = NULL;
	size_t tl = 0, hl = 0;
	FILE *ft = open_memstream(&t, &tl), *fh = open_memstream(&h, &hl);
	const char *name = rows[0].recipient_name != NULL ? rows[0].recipient_name : "";
	const char *plural = n > 1 ? "s" : "";
	const char *base = a->base_url != NULL ? a->base_url : "";
	bool ok = ft != NULL && fh != NULL;

	if (ok) {
		fprintf(ft, "Bonjour %s,\n\nVotre résumé du jour : %zu notification%s.\n\n", name, n,
			plural);
		fprintf(fh, "<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\">"
			    "<title>Tutorat</title></head><body>\n<p>Bonjour %s,</p>\n"
			    "<p>Votre résumé du jour : %zu notification%s.</p>\n<ul>\n",
			html_escape(ar, name), n, plural);
		for (size_t i = 0; i < n; i++) {
			const char *item = digest_item(ar, rows[i].body_text != NULL ? rows[i].body_text : "");

			if (item == NULL)
				continue;
			fprintf(ft, "- %s\n\n", item);
			fputs("<li>", fh);
			html_lines(fh, ar, item);
			fputs("</li>\n", fh);
		}
		fprintf(ft, "-- \nTutorat, %s\nVos préférences de notification : %s" PREFERENCES_PATH "\n",
			a->name, base);
		fprintf(fh, "</ul>\n<hr>\n<p>Tutorat, %s<br>\n<a href=\"%s" PREFERENCES_PATH "\">"
			    "Vos préférences de notification</a></p>\n</body></html>\n",
			html_escape(ar, a->name), html_escape(ar, base));
	}
	if (ft != NULL && fclose(ft) != 0)
		ok = false;
	if (fh != NULL && fclose(fh) != 0)
		ok = false;
	if (ok) {
		*subject = arena_printf(ar, "[Tutorat] Votre résumé du jour : %zu notification%s", n,
					plural);
		*text = arena_strdup(ar, t);
		*html = arena_strdup(ar, h);
		ok = *subject != NULL && *text != NULL && *html != NULL;
	}
	free(t);
	free(h);
	return ok;
}

/* ---- one mail: rows[0..n) of one recipient (n > 1: a digest) ---- */

/*
 * Sends the mail and records what came of it. False only when the
 * database (or the journal) failed after the relay took the mail: the
 * caller stops and the journal is replayed before anything else goes.
 */
static bool deliver(struct mailer *m, struct req *r, const char *token,
		    const struct mail_row *rows, size_t n)
{
	const struct academy_cfg *a = r->tenant;
	const struct mail_row *first = &rows[0];
	struct mail_msg msg = {.from = a->mail_from,
			       .from_name = arena_printf(r->arena, "Tutorat — %s", a->name),
			       .to = first->to_addr,
			       .subject = first->subject,
			       .message_id = first->message_id,
			       .text = first->body_text,
			       .html = first->body_html,
			       .date = now_unix()};
	enum send_outcome out = REFUSED;
	char why[300] = "";
	int64_t *ids = arena_alloc(r->arena, n * sizeof(*ids));
	char *bytes = NULL;
	size_t len = 0;
	enum err e = ERR_OK;

	if (ids == NULL)
		return false;
	for (size_t i = 0; i < n; i++)
		ids[i] = rows[i].id;
	if (first->digest &&
	    !compose_digest(r->arena, a, rows, n, &msg.subject, &msg.text, &msg.html)) {
		log_msg("error", "mailer: academy %s: mail %lld: cannot compose the digest", a->code,
			(long long)first->id);
		return true; /* the claim expires; it is tried again */
	}
	if (msg.to == NULL) {
		snprintf(why, sizeof(why), "no_address");
	} else if (!mail_addr_ok(msg.to)) {
		snprintf(why, sizeof(why), "bad_address");
	} else if (msg.subject == NULL || msg.text == NULL || msg.html == NULL ||
		   (bytes = mail_compose(&msg, &len)) == NULL) {
		snprintf(why, sizeof(why), "cannot compose the message");
	} else {
		out = smtp_send(m, a, msg.to, bytes, len, why, sizeof(why));
	}
	free(bytes);

	if (out == SENT) {
		int64_t sent_in = first->digest ? first->id : 0;
		bool noted = journal_add(m->cfg->mail.journal, a->code, sent_in, ids, n);

		if (!noted)
			log_msg("error", "mailer: cannot write the journal %s: %s",
				m->cfg->mail.journal, strerror(errno));
		e = mailer_mark_sent(r, ids, n, sent_in);
		if (e != ERR_OK) {
			log_msg("warn", "mailer: academy %s: mail %lld sent, not yet marked (the "
					"database does not answer): kept in the journal",
				a->code, (long long)first->id);
			return false;
		}
		log_msg("info", "mailer: academy %s: mail %lld sent (%zu row%s)", a->code,
			(long long)first->id, n, n > 1 ? "s" : "");
		return !noted || journal_clear(m->cfg->mail.journal);
	}
	for (size_t i = 0; i < n && e == ERR_OK; i++) {
		int attempts = rows[i].attempts + 1;

		if (out == TRY_AGAIN && attempts < m->cfg->mail.max_attempts) {
			int64_t delay = m->cfg->mail.retry_base;

			for (int k = 1; k < attempts && delay < m->cfg->mail.retry_max; k++)
				delay *= 2;
			if (delay > m->cfg->mail.retry_max)
				delay = m->cfg->mail.retry_max;
			e = mailer_mark_retry(r, rows[i].id, token, (int)delay, why);
		} else {
			e = mailer_mark_failed(r, rows[i].id, token, why);
		}
	}
	log_msg(out == TRY_AGAIN ? "warn" : "error",
		"mailer: academy %s: mail %lld %s after %d attempt%s: %s", a->code,
		(long long)first->id,
		out == TRY_AGAIN && first->attempts + 1 < m->cfg->mail.max_attempts ? "not sent, will retry"
										   : "failed",
		first->attempts + 1, first->attempts > 0 ? "s" : "", why);
	/* A row left 'sending' goes again when its claim expires. */
	return true;
}

/*
 * One académie: claim a batch, send it, until nothing is due (or the
 * mailer stops). False when the database failed.
 */
static bool academy_round(struct mailer *m, const struct academy_cfg *a)
{
	for (;;) {
		struct mail_row *rows;
		size_t n = 0, i = 0;
		char token[100];
		struct req r;

		if (stopping)
			return true;
		arena_reset(&m->w->arena);
		mailer_request(&r, m, a);
		snprintf(token, sizeof(token), "%s:%ld:%lu", m->host, (long)getpid(), ++m->round);
		if (mailer_claim(&r, token, m->cfg->mail.lease, CLAIM_BATCH, &n) != ERR_OK ||
		    mailer_claimed(&r, token, &rows, &n) != ERR_OK)
			return false;
		if (n == 0)
			return true;
		while (i < n) {
			size_t k = 1;

			/* A digest: the recipient's due digest rows of the batch. */
			while (rows[i].digest && i + k < n && k < MAX_DIGEST && rows[i + k].digest &&
			       rows[i + k].recipient_id == rows[i].recipient_id)
				k++;
			if (!deliver(m, &r, token, &rows[i], k))
				return false;
			i += k;
		}
	}
}

/* Sleeps s seconds unless a signal comes first. */
static void pause_for(int s)
{
	struct timespec t = {s, 0};

	while (!stopping && nanosleep(&t, &t) != 0 && errno == EINTR)
		;
}

int mailer_main(const struct config *cfg, const char *academy, int argc, char **argv)
{
	struct server srv = {.cfg = cfg};
	struct mailer m = {.cfg = cfg};
	bool once = argc == 2 && strcmp(argv[1], "--once") == 0, loaded = false;
	struct sigaction sa = {0};
	char err[512];
	int fd;

	(void)academy;
	if (argc > 2 || (argc == 2 && !once)) {
		fprintf(stderr, "usage: tutoratctl -c CONFIG mailer [--once]\n");
		return 2;
	}
	if (cfg->mail.journal == NULL) {
		fprintf(stderr, "tutoratctl: mailer: [mail] journal is not set\n");
		return 1;
	}
	/* Nothing goes unless what the relay takes can be journaled. */
	fd = open(cfg->mail.journal, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		fprintf(stderr, "tutoratctl: mailer: cannot open the journal %s: %s\n",
			cfg->mail.journal, strerror(errno));
		return 1;
	}
	close(fd);
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (gethostname(m.host, sizeof(m.host)) != 0)
		snprintf(m.host, sizeof(m.host), "mailer");
	m.host[sizeof(m.host) - 1] = '\0';
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		fprintf(stderr, "tutoratctl: mailer: curl_global_init failed\n");
		return 1;
	}
	m.w = worker_new(&srv, 0);
	log_msg("info", "mailer: started (journal %s, every %d s)", cfg->mail.journal,
		cfg->mail.poll_interval);
	while (!stopping) {
		bool ok;

		/* The académies' ids, once the database answers. */
		if (!loaded) {
			loaded = schema_load_academy_ids((struct config *)cfg, err, sizeof(err));
			if (!loaded)
				log_msg("warn", "mailer: database unavailable: %s", err);
		}
		ok = loaded && journal_replay(&m);
		for (size_t i = 0; ok && i < cfg->n_academies && !stopping; i++) {
			const struct academy_cfg *a = cfg->academies[i];

			if (a->smtp_url != NULL && a->mail_from != NULL && !academy_round(&m, a)) {
				log_msg("warn", "mailer: academy %s: the database does not answer",
					a->code);
				ok = false;
			}
		}
		arena_reset(&m.w->arena);
		if (once) {
			m.trouble = !ok;
			break;
		}
		pause_for(cfg->mail.poll_interval);
	}
	log_msg("info", "mailer: stopped");
	worker_free(m.w);
	curl_global_cleanup();
	return m.trouble ? 1 : 0;
}
