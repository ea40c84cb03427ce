#include "config.h"
#include "util.h"

#include <ini.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct loader {
	struct config *c;
	FILE *fp;
	int line;
	char *err;
	size_t errlen, errused;
	int nerr;
	struct academy_cfg *cur;
	char section[128]; /* the section of the previous key */
	int header_line;   /* line of the last [section] header read */
	bool new_header, at_line_start;
	enum {
		SEC_NONE,
		SEC_SERVER,
		SEC_DATABASE,
		SEC_REPORTING,
		SEC_LOGIN,
		SEC_MAIL,
		SEC_UPLOADS,
		SEC_ACADEMY,
		SEC_UNKNOWN
	} sec;
};

static void complain(struct loader *l, int line, const char *f, ...)
    __attribute__((format(printf, 3, 4)));

static void complain(struct loader *l, int line, const char *f, ...)
{
	va_list ap;
	int n;

	l->nerr++;
	if (l->errused + 1 >= l->errlen)
		return;
	n = snprintf(l->err + l->errused, l->errlen - l->errused, "%s:%d: ", l->c->path, line);
	if (n > 0 && (size_t)n < l->errlen - l->errused)
		l->errused += (size_t)n;
	va_start(ap, f);
	n = vsnprintf(l->err + l->errused, l->errlen - l->errused, f, ap);
	va_end(ap);
	if (n > 0 && (size_t)n < l->errlen - l->errused)
		l->errused += (size_t)n;
	if (l->errused + 1 < l->errlen) {
		l->err[l->errused++] = '\n';
		l->err[l->errused] = '\0';
	}
}

/* inih's reader: counting lines here gives the handler precise positions. */
static char *reader(char *str, int num, void *stream)
{
	struct loader *l = stream;
	char *s = fgets(str, num, l->fp);

	if (s != NULL) {
		if (l->at_line_start) {
			const char *p = s;

			l->line++;
			while (*p == ' ' || *p == '\t')
				p++;
			if (*p == '[') {
				l->header_line = l->line;
				l->new_header = true;
			}
		}
		l->at_line_start = strchr(s, '\n') != NULL;
	}
	return s;
}

static char *path_from(struct loader *l, const char *value)
{
	char *p;

	if (value[0] == '/' || l->c->dir == NULL)
		return strdup(value);
	size_t n = strlen(l->c->dir) + strlen(value) + 2;

	p = malloc(n);
	if (p != NULL)
		snprintf(p, n, "%s/%s", l->c->dir, value);
	return p;
}

static bool get_int(struct loader *l, const char *name, const char *value, int min, int max,
		    int *out)
{
	int64_t v;

	if (!parse_int64(value, strlen(value), &v) || v < min || v > max) {
		complain(l, l->line, "%s must be a whole number from %d to %d, not '%s'", name, min,
			 max, value);
		return false;
	}
	*out = (int)v;
	return true;
}

static bool get_bool(struct loader *l, const char *name, const char *value, bool *out)
{
	if (strcmp(value, "true") == 0 || strcmp(value, "yes") == 0) {
		*out = true;
		return true;
	}
	if (strcmp(value, "false") == 0 || strcmp(value, "no") == 0) {
		*out = false;
		return true;
	}
	complain(l, l->line, "%s must be true or false, not '%s'", name, value);
	return false;
}

static void set_str(char **dst, const char *value)
{
	free(*dst);
	*dst = strdup(value);
	if (*dst == NULL)
		abort(); /* start-up allocation */
}

static void set_path(struct loader *l, char **dst, const char *value)
{
	free(*dst);
	*dst = path_from(l, value);
	if (*dst == NULL)
		abort();
}

/* run/tutoratd.sock -> run/tutoratd-health.sock: beside the main socket, so
 * that a configuration which names only its socket (a second instance's)
 * gets a health socket of its own. */
static char *default_health_socket(const char *socket)
{
	size_t n = strlen(socket);
	bool dot_sock = n > 5 && strcmp(socket + n - 5, ".sock") == 0;
	size_t stem = n - (dot_sock ? 5 : 0);
	static const char tail[] = "-health.sock";
	char *p = malloc(stem + sizeof(tail));

	if (p == NULL)
		abort(); /* start-up */
	memcpy(p, socket, stem);
	memcpy(p + stem, tail, sizeof(tail)); /* with its NUL */
	return p;
}

static bool code_valid(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 32)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return false;
	return true;
}

static int on_section(struct loader *l, const char *section)
{
	struct config *c = l->c;

	l->cur = NULL;
	if (strcmp(section, "server") == 0) {
		l->sec = SEC_SERVER;
	} else if (strcmp(section, "database") == 0) {
		l->sec = SEC_DATABASE;
	} else if (strcmp(section, "database.reporting") == 0) {
		l->sec = SEC_REPORTING;
		c->reporting.port = 3306;
		c->reporting.timeout = 5;
		c->reporting.read_only = true;
	} else if (strcmp(section, "login") == 0) {
		l->sec = SEC_LOGIN;
	} else if (strcmp(section, "mail") == 0) {
		l->sec = SEC_MAIL;
	} else if (strcmp(section, "uploads") == 0) {
		l->sec = SEC_UPLOADS;
	} else if (strncmp(section, "academy ", 8) == 0) {
		const char *code = section + 8;

		l->sec = SEC_ACADEMY;
		if (!code_valid(code)) {
			complain(l, l->header_line,
				 "academy code '%s' must be 1-32 of a-z, 0-9, '-'", code);
			return 1;
		}
		for (size_t i = 0; i < c->n_academies; i++) {
			if (strcmp(c->academies[i]->code, code) == 0) {
				complain(l, l->header_line,
					 "academy '%s' is defined twice (first at line %d)", code,
					 c->academies[i]->line);
				return 1;
			}
		}
		if (c->n_academies == CONFIG_MAX_ACADEMIES) {
			complain(l, l->header_line, "too many academies (at most %d)",
				 CONFIG_MAX_ACADEMIES);
			return 1;
		}
		struct academy_cfg *a = calloc(1, sizeof(*a));

		if (a == NULL)
			abort();
		snprintf(a->code, sizeof(a->code), "%s", code);
		a->line = l->header_line;
		a->timeout = 3;
		a->totp_required_roles = UINT32_C(1) << ROLE_ADMIN |
					 UINT32_C(1) << ROLE_BUREAU_STAGES |
					 UINT32_C(1) << ROLE_DIRECTION_INSPE;
		a->index = c->n_academies;
		c->academies[c->n_academies++] = a;
		l->cur = a;
	} else {
		l->sec = SEC_UNKNOWN;
		complain(l, l->header_line, "unknown section [%s]", section);
	}
	return 1;
}

static void on_server(struct loader *l, const char *name, const char *value)
{
	struct config *c = l->c;

	if (strcmp(name, "environment") == 0) {
		if (strcmp(value, "development") == 0)
			c->development = true;
		else if (strcmp(value, "production") == 0)
			c->development = false;
		else
			complain(l, l->line,
				 "environment must be development or production, not '%s'", value);
	} else if (strcmp(name, "socket") == 0) {
		set_path(l, &c->socket, value);
	} else if (strcmp(name, "health_socket") == 0) {
		set_path(l, &c->health_socket, value);
	} else if (strcmp(name, "socket_mode") == 0) {
		char *end;
		long m = strtol(value, &end, 8);

		if (*end != '\0' || m < 0 || m > 0777)
			complain(l, l->line, "socket_mode must be an octal mode, not '%s'", value);
		else
			c->socket_mode = (int)m;
	} else if (strcmp(name, "processes") == 0) {
		get_int(l, name, value, 1, 64, &c->processes);
	} else if (strcmp(name, "threads") == 0) {
		get_int(l, name, value, 1, 256, &c->threads);
	} else if (strcmp(name, "max_body_bytes") == 0) {
		int v;

		if (get_int(l, name, value, 1024, 64 * 1024 * 1024, &v))
			c->max_body_bytes = (size_t)v;
	} else if (strcmp(name, "request_deadline") == 0) {
		get_int(l, name, value, 1, 300, &c->request_deadline);
	} else if (strcmp(name, "audience") == 0) {
		set_str(&c->audience, value);
	} else if (strcmp(name, "token_lifetime") == 0) {
		get_int(l, name, value, 30, 900, &c->token_lifetime);
	} else if (strcmp(name, "session_lifetime") == 0) {
		get_int(l, name, value, 60, 7 * 86400, &c->session_lifetime);
	} else if (strcmp(name, "session_idle") == 0) {
		get_int(l, name, value, 60, 86400, &c->session_idle);
	} else if (strcmp(name, "keys_dir") == 0) {
		set_path(l, &c->keys_dir, value);
	} else if (strcmp(name, "ldap_max_concurrent") == 0) {
		get_int(l, name, value, 1, 256, &c->ldap_max_concurrent);
	} else if (strcmp(name, "ldap_failure_threshold") == 0) {
		get_int(l, name, value, 1, 1000, &c->ldap_failure_threshold);
	} else if (strcmp(name, "ldap_open_seconds") == 0) {
		get_int(l, name, value, 1, 3600, &c->ldap_open_seconds);
	} else if (strcmp(name, "ready_interval") == 0) {
		get_int(l, name, value, 1, 300, &c->ready_interval);
	} else {
		complain(l, l->line, "unknown key '%s' in [server]", name);
	}
}

/* hosts = HOST:PORT HOST:PORT ...: a Galera cluster's nodes, in the order
 * they are tried; a host without a port takes the section's port. */
static void set_hosts(struct loader *l, struct db_target *t, const char *value)
{
	char *copy = strdup(value), *save = NULL;

	if (copy == NULL)
		abort();
	for (size_t i = 0; i < t->n_hosts; i++)
		free(t->hosts[i]);
	t->n_hosts = 0;
	for (char *h = strtok_r(copy, " \t,", &save); h != NULL;
	     h = strtok_r(NULL, " \t,", &save)) {
		char *colon = strrchr(h, ':');
		int port = 0;

		if (t->n_hosts == DB_MAX_HOSTS) {
			complain(l, l->line, "hosts: at most %d", DB_MAX_HOSTS);
			break;
		}
		if (colon != NULL) {
			*colon = '\0';
			if (!get_int(l, "a port of hosts", colon + 1, 1, 65535, &port))
				break;
		}
		if (*h == '\0') {
			complain(l, l->line, "hosts: an empty host name");
			break;
		}
		t->hosts[t->n_hosts] = strdup(h);
		if (t->hosts[t->n_hosts] == NULL)
			abort();
		t->host_ports[t->n_hosts++] = port;
	}
	free(copy);
}

static void on_database(struct loader *l, struct db_target *t, const char *section,
			const char *name, const char *value)
{
	if (strcmp(name, "socket") == 0)
		set_path(l, &t->socket, value);
	else if (strcmp(name, "host") == 0)
		set_str(&t->host, value);
	else if (strcmp(name, "hosts") == 0)
		set_hosts(l, t, value);
	else if (strcmp(name, "port") == 0)
		get_int(l, name, value, 1, 65535, &t->port);
	else if (strcmp(name, "name") == 0)
		set_str(&t->name, value);
	else if (strcmp(name, "user") == 0)
		set_str(&t->user, value);
	else if (strcmp(name, "password_file") == 0)
		set_path(l, &t->password_file, value);
	else if (strcmp(name, "timeout") == 0)
		get_int(l, name, value, 1, 60, &t->timeout);
	else if (strcmp(name, "tls") == 0)
		get_bool(l, name, value, &t->tls);
	else if (strcmp(name, "tls_ca_file") == 0)
		set_path(l, &t->tls_ca_file, value);
	else
		complain(l, l->line, "unknown key '%s' in [%s]", name, section);
}

static void on_mail(struct loader *l, const char *name, const char *value)
{
	struct mail_cfg *m = &l->c->mail;

	if (strcmp(name, "poll_interval") == 0)
		get_int(l, name, value, 1, 3600, &m->poll_interval);
	else if (strcmp(name, "retry_base") == 0)
		get_int(l, name, value, 1, 86400, &m->retry_base);
	else if (strcmp(name, "retry_max") == 0)
		get_int(l, name, value, 1, 7 * 86400, &m->retry_max);
	else if (strcmp(name, "max_attempts") == 0)
		get_int(l, name, value, 1, 1000, &m->max_attempts);
	else if (strcmp(name, "lease") == 0)
		get_int(l, name, value, 10, 86400, &m->lease);
	else if (strcmp(name, "timeout") == 0)
		get_int(l, name, value, 1, 600, &m->timeout);
	else if (strcmp(name, "digest_hour") == 0)
		get_int(l, name, value, 0, 23, &m->digest_hour);
	else if (strcmp(name, "journal") == 0)
		set_path(l, &m->journal, value);
	else
		complain(l, l->line, "unknown key '%s' in [mail]", name);
}

static void on_uploads(struct loader *l, const char *name, const char *value)
{
	struct upload_cfg *u = &l->c->uploads;
	int mib = 0;

	if (strcmp(name, "dossier_mib") == 0) {
		if (get_int(l, name, value, 1, 1024 * 1024, &mib))
			u->dossier_bytes = (int64_t)mib << 20;
	} else if (strcmp(name, "person_day_mib") == 0) {
		if (get_int(l, name, value, 1, 1024 * 1024, &mib))
			u->person_day_bytes = (int64_t)mib << 20;
	} else if (strcmp(name, "person_day_files") == 0) {
		get_int(l, name, value, 1, 100000, &u->person_day_files);
	} else {
		complain(l, l->line, "unknown key '%s' in [uploads]", name);
	}
}

static void on_login(struct loader *l, const char *name, const char *value)
{
	struct config *c = l->c;

	if (strcmp(name, "max_failures_pair") == 0)
		get_int(l, name, value, 1, 1000, &c->login_max_failures_pair);
	else if (strcmp(name, "max_failures_account") == 0)
		get_int(l, name, value, 1, 10000, &c->login_max_failures_account);
	else if (strcmp(name, "max_accounts_address") == 0)
		get_int(l, name, value, 1, 100000, &c->login_max_accounts_address);
	else if (strcmp(name, "max_failures_address") == 0)
		complain(l, l->line,
			 "max_failures_address is gone: an address is limited in the accounts it "
			 "tries (max_accounts_address), not in its logins (docs/security.md)");
	else if (strcmp(name, "first_delay_seconds") == 0)
		get_int(l, name, value, 1, 86400, &c->login_first_delay_seconds);
	else if (strcmp(name, "device_days") == 0)
		get_int(l, name, value, 1, 3650, &c->login_device_days);
	else if (strcmp(name, "totp_remember_days") == 0)
		get_int(l, name, value, 0, 365, &c->login_totp_remember_days);
	else if (strcmp(name, "window_seconds") == 0)
		get_int(l, name, value, 10, 86400, &c->login_window_seconds);
	else if (strcmp(name, "block_seconds") == 0)
		get_int(l, name, value, 1, 86400, &c->login_block_seconds);
	else
		complain(l, l->line, "unknown key '%s' in [login]", name);
}

/* A filter template takes the escaped value at its single %s. */
static bool filter_template_ok(const char *v)
{
	const char *p = strchr(v, '%');

	return p != NULL && p[1] == 's' && strchr(p + 2, '%') == NULL && v[0] == '(';
}

static void on_academy(struct loader *l, const char *name, const char *value)
{
	struct academy_cfg *a = l->cur;

	if (a == NULL)
		return; /* the section itself was refused */
	if (strcmp(name, "name") == 0) {
		set_str(&a->name, value);
	} else if (strcmp(name, "issuer") == 0) {
		if (strncmp(value, "https://", 8) != 0 && strncmp(value, "http://", 7) != 0)
			complain(l, l->line, "issuer must be an http(s) URL, not '%s'", value);
		set_str(&a->issuer, value);
	} else if (strcmp(name, "ldap_uri") == 0) {
		if (strncmp(value, "ldap://", 7) != 0 && strncmp(value, "ldaps://", 8) != 0 &&
		    strncmp(value, "ldapi://", 8) != 0)
			complain(l, l->line,
				 "ldap_uri must start with ldap://, ldaps:// or ldapi://");
		set_str(&a->ldap_uri, value);
	} else if (strcmp(name, "starttls") == 0) {
		get_bool(l, name, value, &a->starttls);
	} else if (strcmp(name, "bind_dn") == 0) {
		set_str(&a->bind_dn, value);
	} else if (strcmp(name, "bind_password_file") == 0) {
		set_path(l, &a->bind_password_file, value);
	} else if (strcmp(name, "search_base") == 0) {
		set_str(&a->search_base, value);
	} else if (strcmp(name, "user_filter") == 0 || strcmp(name, "group_filter") == 0) {
		if (!filter_template_ok(value))
			complain(l, l->line, "%s must be an LDAP filter with exactly one %%s",
				 name);
		set_str(name[0] == 'u' ? &a->user_filter : &a->group_filter, value);
	} else if (strcmp(name, "group_base") == 0) {
		set_str(&a->group_base, value);
	} else if (strcmp(name, "attr_username") == 0) {
		set_str(&a->attr_username, value);
	} else if (strcmp(name, "attr_display_name") == 0) {
		set_str(&a->attr_display_name, value);
	} else if (strcmp(name, "attr_given_name") == 0) {
		set_str(&a->attr_given_name, value);
	} else if (strcmp(name, "attr_family_name") == 0) {
		set_str(&a->attr_family_name, value);
	} else if (strcmp(name, "attr_email") == 0) {
		set_str(&a->attr_email, value);
	} else if (strcmp(name, "timeout") == 0) {
		get_int(l, name, value, 1, 60, &a->timeout);
	} else if (strcmp(name, "ldap_max_concurrent") == 0) {
		get_int(l, name, value, 1, 256, &a->ldap_max_concurrent);
	} else if (strcmp(name, "base_url") == 0) {
		if (strncmp(value, "https://", 8) != 0 && strncmp(value, "http://", 7) != 0)
			complain(l, l->line, "base_url must be an http(s) URL, not '%s'", value);
		set_str(&a->base_url, value);
	} else if (strcmp(name, "mail_from") == 0) {
		if (strchr(value, '@') == NULL || strpbrk(value, " <>\r\n") != NULL)
			complain(l, l->line, "mail_from must be a bare address, not '%s'", value);
		set_str(&a->mail_from, value);
	} else if (strcmp(name, "smtp_url") == 0) {
		if (strncmp(value, "smtp://", 7) != 0 && strncmp(value, "smtps://", 8) != 0)
			complain(l, l->line, "smtp_url must start with smtp:// or smtps://");
		set_str(&a->smtp_url, value);
	} else if (strcmp(name, "smtp_starttls") == 0) {
		get_bool(l, name, value, &a->smtp_starttls);
	} else if (strcmp(name, "smtp_user") == 0) {
		set_str(&a->smtp_user, value);
	} else if (strcmp(name, "smtp_password_file") == 0) {
		set_path(l, &a->smtp_password_file, value);
	} else if (strcmp(name, "totp_required_roles") == 0) {
		/* Space-separated role names; empty: no role requires it. */
		a->totp_required_roles = 0;
		for (const char *p = value; *p != '\0';) {
			size_t n = strcspn(p, " \t");
			int r = n > 0 ? role_parse(p, n) : 0;

			if (r < 0)
				complain(l, l->line, "unknown role '%.*s' in totp_required_roles",
					 (int)n, p);
			else if (n > 0)
				a->totp_required_roles |= UINT32_C(1) << r;
			p += n;
			p += strspn(p, " \t");
		}
	} else if (strncmp(name, "role.", 5) == 0) {
		int r = role_parse(name + 5, strlen(name + 5));

		if (r < 0) {
			complain(l, l->line, "unknown role '%s'", name + 5);
			return;
		}
		char *copy = strdup(value), *save = NULL, *tok;
		int n = 0;

		if (copy == NULL)
			abort();
		for (int i = 0; i < CONFIG_MAX_GROUPS; i++) {
			free(a->role_groups[r][i]);
			a->role_groups[r][i] = NULL;
		}
		for (tok = strtok_r(copy, ";", &save); tok != NULL;
		     tok = strtok_r(NULL, ";", &save)) {
			while (*tok == ' ')
				tok++;
			size_t len = strlen(tok);

			while (len > 0 && tok[len - 1] == ' ')
				tok[--len] = '\0';
			if (len == 0)
				continue;
			if (n == CONFIG_MAX_GROUPS) {
				complain(l, l->line, "at most %d groups per role",
					 CONFIG_MAX_GROUPS);
				break;
			}
			a->role_groups[r][n] = strdup(tok);
			if (a->role_groups[r][n++] == NULL)
				abort();
		}
		free(copy);
	} else {
		complain(l, l->line, "unknown key '%s' in [academy %s]", name, a->code);
	}
}

static int handler(void *user, const char *section, const char *name, const char *value)
{
	struct loader *l = user;

	/* Debian's inih does not report sections on their own: a section
	 * starts where the section name of a key changes. */
	if (name == NULL || l->new_header ||
	    strncmp(section, l->section, sizeof(l->section)) != 0) {
		l->new_header = false;
		snprintf(l->section, sizeof(l->section), "%s", section);
		on_section(l, section);
		if (name == NULL)
			return 1;
	}
	switch (l->sec) {
	case SEC_SERVER:
		on_server(l, name, value);
		break;
	case SEC_DATABASE:
		on_database(l, &l->c->db, "database", name, value);
		break;
	case SEC_REPORTING:
		on_database(l, &l->c->reporting, "database.reporting", name, value);
		break;
	case SEC_LOGIN:
		on_login(l, name, value);
		break;
	case SEC_MAIL:
		on_mail(l, name, value);
		break;
	case SEC_UPLOADS:
		on_uploads(l, name, value);
		break;
	case SEC_ACADEMY:
		on_academy(l, name, value);
		break;
	case SEC_NONE:
		complain(l, l->line, "'%s' is outside any section", name);
		break;
	case SEC_UNKNOWN:
		break;
	}
	return 1;
}

static void require(struct loader *l, int line, const char *what, const void *v)
{
	if (v == NULL)
		complain(l, line, "missing required key %s", what);
}

static void check_academy(struct loader *l, struct academy_cfg *a)
{
	require(l, a->line, "name", a->name);
	require(l, a->line, "issuer", a->issuer);
	require(l, a->line, "ldap_uri", a->ldap_uri);
	require(l, a->line, "bind_dn", a->bind_dn);
	require(l, a->line, "bind_password_file", a->bind_password_file);
	require(l, a->line, "search_base", a->search_base);
	require(l, a->line, "user_filter", a->user_filter);
	if (a->attr_username == NULL)
		set_str(&a->attr_username, "uid");
	if (a->attr_display_name == NULL)
		set_str(&a->attr_display_name, "displayName");
	if (a->attr_given_name == NULL)
		set_str(&a->attr_given_name, "givenName");
	if (a->attr_family_name == NULL)
		set_str(&a->attr_family_name, "sn");
	if (a->attr_email == NULL)
		set_str(&a->attr_email, "mail");
	if ((a->group_base == NULL) != (a->group_filter == NULL))
		complain(l, a->line, "group_base and group_filter go together");
	if (a->bind_password_file != NULL) {
		a->bind_password = read_secret_file(a->bind_password_file);
		if (a->bind_password == NULL)
			complain(l, a->line, "cannot read a password from bind_password_file %s",
				 a->bind_password_file);
	}
	if (a->base_url == NULL && a->issuer != NULL)
		set_str(&a->base_url, a->issuer);
	if (a->smtp_url != NULL && a->mail_from == NULL)
		complain(l, a->line, "smtp_url needs mail_from");
	if ((a->smtp_user == NULL) != (a->smtp_password_file == NULL))
		complain(l, a->line, "smtp_user and smtp_password_file go together");
	if (a->smtp_password_file != NULL) {
		a->smtp_password = read_secret_file(a->smtp_password_file);
		if (a->smtp_password == NULL)
			complain(l, a->line, "cannot read a password from smtp_password_file %s",
				 a->smtp_password_file);
	}
}

/* A secret readable by anyone on the host is no secret. */
static void check_secret_mode(struct loader *l, int line, const char *path)
{
	struct stat st;

	if (path != NULL && stat(path, &st) == 0 && (st.st_mode & 0007) != 0)
		complain(l, line, "%s is readable by every user: chmod o-rwx", path);
}

/* Every URI of the list is encrypted: ldaps://, ldapi:// (local), or StartTLS. */
static bool ldap_encrypted(const struct academy_cfg *a)
{
	const char *u = a->ldap_uri;

	if (a->starttls)
		return true;
	while (u != NULL && *u != '\0') {
		while (*u == ' ')
			u++;
		if (*u == '\0')
			break;
		if (strncmp(u, "ldaps://", 8) != 0 && strncmp(u, "ldapi://", 8) != 0)
			return false;
		u = strchr(u, ' ');
	}
	return true;
}

/*
 * What production demands beyond a well-formed file: encrypted directory
 * connections, HTTPS issuers, database TLS over the network, secrets not
 * world-readable. The development stack (loopback only) is exempt.
 */
static void check_production(struct loader *l)
{
	struct config *c = l->c;

	check_secret_mode(l, 1, c->db.password_file);
	check_secret_mode(l, 1, c->reporting.password_file);
	if ((c->db.host != NULL || c->db.n_hosts > 0) && c->db.socket == NULL && !c->db.tls)
		complain(l, 1, "[database] over the network needs tls = true in production");
	if (c->reporting.name != NULL && (c->reporting.host != NULL || c->reporting.n_hosts > 0) &&
	    c->reporting.socket == NULL && !c->reporting.tls)
		complain(l, 1,
			 "[database.reporting] over the network needs tls = true in production");
	for (size_t i = 0; i < c->n_academies; i++) {
		struct academy_cfg *a = c->academies[i];

		check_secret_mode(l, a->line, a->bind_password_file);
		if (a->ldap_uri != NULL && !ldap_encrypted(a))
			complain(l, a->line,
				 "academy %s: use ldaps:// or starttls = true in production",
				 a->code);
		if (a->issuer != NULL && strncmp(a->issuer, "https://", 8) != 0)
			complain(l, a->line,
				 "academy %s: the issuer must be https:// in production", a->code);
		check_secret_mode(l, a->line, a->smtp_password_file);
		if (a->smtp_url != NULL && strncmp(a->smtp_url, "smtps://", 8) != 0 &&
		    !a->smtp_starttls)
			complain(l, a->line,
				 "academy %s: use smtps:// or smtp_starttls = true in production",
				 a->code);
	}
}

/* A [database] or [database.reporting] section: where and as whom to
 * connect, and the password read from its file. */
static void check_target(struct loader *l, struct db_target *t, const char *section)
{
	char what[64];

	snprintf(what, sizeof(what), "[%s] name", section);
	require(l, 1, what, t->name);
	snprintf(what, sizeof(what), "[%s] user", section);
	require(l, 1, what, t->user);
	if (t->socket == NULL && t->host == NULL && t->n_hosts == 0)
		complain(l, 1, "[%s] needs socket, host or hosts", section);
	if (t->password_file != NULL) {
		t->password = read_secret_file(t->password_file);
		if (t->password == NULL)
			complain(l, 1, "cannot read a password from [%s] password_file %s", section,
				 t->password_file);
	}
}

struct config *config_load(const char *path, char *err, size_t errlen)
{
	struct config *c = calloc(1, sizeof(*c));
	struct loader l = {.c = c, .err = err, .errlen = errlen, .at_line_start = true};
	char *dircopy;

	if (c == NULL)
		abort();
	err[0] = '\0';
	/* Relative paths in the file are relative to the file itself. */
	char *abs = realpath(path, NULL);

	c->path = strdup(path);
	dircopy = abs != NULL ? abs : strdup(path);
	if (c->path == NULL || dircopy == NULL)
		abort();
	c->dir = strdup(dirname(dircopy));
	free(dircopy);
	c->processes = 1;
	c->threads = 8;
	c->ldap_failure_threshold = 5;
	c->ldap_open_seconds = 30;
	c->ready_interval = 5;
	c->socket_mode = 0660;
	c->max_body_bytes = (size_t)1024 * 1024;
	c->request_deadline = 20;
	c->token_lifetime = 900;
	c->session_lifetime = 8 * 3600;
	c->session_idle = 3600;
	c->db.port = 3306;
	c->db.timeout = 5;
	c->login_max_failures_pair = 5;
	c->login_max_failures_account = 10;
	c->login_max_accounts_address = 20;
	c->login_window_seconds = 900;
	c->login_first_delay_seconds = 60;
	c->login_block_seconds = 900;
	c->login_device_days = 180;
	c->uploads.dossier_bytes = (int64_t)200 << 20;
	c->uploads.person_day_bytes = (int64_t)100 << 20;
	c->uploads.person_day_files = 100;
	c->login_totp_remember_days = 30;
	c->mail.poll_interval = 5;
	c->mail.retry_base = 60;
	c->mail.retry_max = 3600;
	c->mail.max_attempts = 30;
	c->mail.lease = 300;
	c->mail.timeout = 30;
	c->mail.digest_hour = 7;

	l.fp = fopen(path, "r");
	if (l.fp == NULL) {
		complain(&l, 0, "cannot open the configuration file");
		config_free(c);
		return NULL;
	}
	ini_use_stack = false;
	ini_max_line = 8192;
	ini_allow_realloc = true;
	int rc = ini_parse_stream(reader, &l, handler, &l);

	fclose(l.fp);
	if (rc > 0)
		complain(&l, rc, "syntax error");

	require(&l, 1, "[server] socket", c->socket);
	if (c->socket != NULL && c->health_socket == NULL)
		c->health_socket = default_health_socket(c->socket);
	if (c->socket != NULL && strcmp(c->socket, c->health_socket) == 0)
		complain(&l, 1, "[server] health_socket must differ from socket");
	require(&l, 1, "[server] audience", c->audience);
	require(&l, 1, "[server] keys_dir", c->keys_dir);
	check_target(&l, &c->db, "database");
	if (c->reporting.port != 0) /* the section is there */
		check_target(&l, &c->reporting, "database.reporting");
	if (c->n_academies == 0)
		complain(&l, 1, "no [academy CODE] section");
	for (size_t i = 0; i < c->n_academies; i++)
		check_academy(&l, c->academies[i]);
	if (!c->development)
		check_production(&l);
	if (l.nerr > 0) {
		config_free(c);
		return NULL;
	}
	return c;
}

static void academy_free(struct academy_cfg *a)
{
	free(a->name);
	free(a->issuer);
	free(a->ldap_uri);
	free(a->bind_dn);
	free(a->bind_password_file);
	if (a->bind_password != NULL) {
		memset(a->bind_password, 0, strlen(a->bind_password));
		free(a->bind_password);
	}
	free(a->search_base);
	free(a->user_filter);
	free(a->group_base);
	free(a->group_filter);
	free(a->attr_username);
	free(a->attr_display_name);
	free(a->attr_given_name);
	free(a->attr_family_name);
	free(a->attr_email);
	free(a->base_url);
	free(a->mail_from);
	free(a->smtp_url);
	free(a->smtp_user);
	free(a->smtp_password_file);
	if (a->smtp_password != NULL) {
		memset(a->smtp_password, 0, strlen(a->smtp_password));
		free(a->smtp_password);
	}
	for (int r = 0; r < ROLE__MAX; r++)
		for (int i = 0; i < CONFIG_MAX_GROUPS; i++)
			free(a->role_groups[r][i]);
	free(a);
}

static void target_free(struct db_target *t)
{
	free(t->socket);
	free(t->host);
	free(t->name);
	free(t->user);
	free(t->password_file);
	free(t->tls_ca_file);
	for (size_t i = 0; i < t->n_hosts; i++)
		free(t->hosts[i]);
	if (t->password != NULL) {
		memset(t->password, 0, strlen(t->password));
		free(t->password);
	}
}

void config_free(struct config *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->n_academies; i++)
		academy_free(c->academies[i]);
	free(c->path);
	free(c->dir);
	free(c->socket);
	free(c->health_socket);
	free(c->audience);
	free(c->keys_dir);
	free(c->mail.journal);
	target_free(&c->db);
	target_free(&c->reporting);
	free(c);
}

const struct academy_cfg *config_academy(const struct config *c, const char *code, size_t n)
{
	for (size_t i = 0; i < c->n_academies; i++)
		if (strlen(c->academies[i]->code) == n &&
		    memcmp(c->academies[i]->code, code, n) == 0)
			return c->academies[i];
	return NULL;
}

int config_each_academy(const struct config *c, const char *code,
			bool (*fn)(const struct config *c, const struct academy_cfg *a, void *arg),
			void *arg)
{
	bool ok = true;

	if (code != NULL) {
		const struct academy_cfg *a = config_academy(c, code, strlen(code));

		if (a == NULL) {
			fprintf(stderr, "tutoratctl: unknown academy '%s'\n", code);
			return 1;
		}
		return fn(c, a, arg) ? 0 : 1;
	}
	for (size_t i = 0; i < c->n_academies; i++)
		ok = fn(c, c->academies[i], arg) && ok;
	return ok ? 0 : 1;
}

const struct academy_cfg *config_academy_by_id(const struct config *c, uint32_t id)
{
	for (size_t i = 0; i < c->n_academies; i++)
		if (c->academies[i]->id == id)
			return c->academies[i];
	return NULL;
}
