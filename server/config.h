/*
 * The configuration file: one INI file (libinih), a [server], [database]
 * and [login] section, and one [academy CODE] section per académie.
 * Loaded once at start-up; read-only afterwards and shared by all workers.
 */
#ifndef TUTORAT_CONFIG_H
#define TUTORAT_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "authz.h"

#define CONFIG_MAX_ACADEMIES 64
#define CONFIG_MAX_GROUPS    8

struct academy_cfg {
	char code[33];
	char *name;
	char *issuer;
	char *ldap_uri;
	bool starttls;
	char *bind_dn;
	char *bind_password_file;
	char *bind_password; /* read at load */
	char *search_base;
	char *user_filter;
	char *group_base;
	char *group_filter;
	char *attr_username, *attr_display_name, *attr_given_name, *attr_family_name, *attr_email;
	int timeout;
	/* The bulkhead (server/ldapguard.h): worker threads of one process
	 * that may wait on this directory at once; 0: [server]'s. */
	int ldap_max_concurrent;
	/* Mail (server/mailer.c): the address links in mails and the calendar
	 * feed start with (default: the issuer), the sender address, and the
	 * relay: smtp://host:port or smtps://; STARTTLS required when
	 * smtp_starttls; AUTH when smtp_user is set. No smtp_url: the
	 * académie's mails wait in the outbox. */
	char *base_url;
	char *mail_from;
	char *smtp_url;
	bool smtp_starttls;
	char *smtp_user, *smtp_password_file;
	char *smtp_password; /* read at load */
	/* The roles whose holders must sign in with a second factor (TOTP):
	 * a bit per enum role (docs/security.md, "Second factor"). */
	uint32_t totp_required_roles;
	/* role -> group DNs */
	char *role_groups[ROLE__MAX][CONFIG_MAX_GROUPS];
	int line;     /* where the section starts, for messages */
	uint32_t id;  /* academy.id in the database, resolved at start */
	size_t index; /* position in config.academies */
};

/*
 * A MariaDB server to connect to: a unix socket, one host, or a list of
 * hosts (a Galera cluster: tried in order, the first that accepts queries
 * serves until its connection breaks).
 */
#define DB_MAX_HOSTS 8
struct db_target {
	char *socket, *host, *name, *user, *password_file, *password;
	int port, timeout;
	char *hosts[DB_MAX_HOSTS]; /* [database] hosts = HOST:PORT ...: host part */
	int host_ports[DB_MAX_HOSTS];
	size_t n_hosts;
	bool tls;
	char *tls_ca_file;
	/* [database.reporting]: each session opens SET SESSION TRANSACTION
	 * READ ONLY (server/db.c). */
	bool read_only;
};

struct config {
	char *path;
	char *dir;
	bool development;
	char *socket;
	/* The health socket (server/health.c); when not set, the socket's path
	 * with "-health.sock" in place of a ".sock" ending (or appended). */
	char *health_socket;
	int socket_mode;
	int processes, threads;
	size_t max_body_bytes;
	int request_deadline; /* seconds from nginx's receipt; below its read timeout */
	char *audience;
	int token_lifetime, session_lifetime;
	int session_idle; /* seconds without the person's activity that end a session */
	char *keys_dir;
	/* Directories (server/ldapguard.h): worker threads of a process inside
	 * one académie's directory at once (0: threads / 4 rounded up); the
	 * consecutive failures that open its circuit, and for how long. */
	int ldap_max_concurrent, ldap_failure_threshold, ldap_open_seconds;
	int ready_interval; /* seconds a readiness state is served before it is checked again */

	struct db_target db;	    /* [database]: every statement of the request path */
	struct db_target reporting; /* [database.reporting]: read-only; .name NULL when absent */

	/* [login] (docs/security.md, "Throttling"): failures per account and
	 * address group or known device (pair), per account from unknown
	 * devices, distinct accounts failing from one address group; the
	 * first delay, doubled at each further failure up to block_seconds;
	 * how long a browser that signed in stays known. */
	int login_max_failures_pair, login_max_failures_account, login_max_accounts_address;
	int login_window_seconds, login_first_delay_seconds, login_block_seconds;
	int login_device_days;
	/* How long a browser that passed the second factor skips it. */
	int login_totp_remember_days;

	/* [uploads]: quotas on documents, per dossier (bytes kept), per
	 * uploader and UTC day (bytes and files). */
	struct upload_cfg {
		int64_t dossier_bytes, person_day_bytes;
		int person_day_files;
	} uploads;

	/* [mail]: the mailer (tutoratctl mailer) and the daily digest. */
	struct mail_cfg {
		int poll_interval;   /* seconds between looks at the outbox */
		int retry_base;	     /* first retry after this many seconds, doubled each time */
		int retry_max;	     /* ... up to this */
		int max_attempts;    /* then the mail is 'failed' */
		int lease;	     /* a claimed mail is another mailer's again after this */
		int timeout;	     /* one SMTP conversation */
		int digest_hour;     /* hour (UTC, as every time of the database) of the daily digest */
		char *journal;	     /* sent-but-not-yet-marked mails, replayed at start */
	} mail;

	struct academy_cfg *academies[CONFIG_MAX_ACADEMIES];
	size_t n_academies;
};

/*
 * Parses and validates the file. On failure returns NULL and writes
 * "path:line: message" lines to err (bounded).
 */
struct config *config_load(const char *path, char *err, size_t errlen);
void config_free(struct config *c);
const struct academy_cfg *config_academy(const struct config *c, const char *code, size_t n);
const struct academy_cfg *config_academy_by_id(const struct config *c, uint32_t id);
/*
 * A tutoratctl verb's work per académie: fn for the académie named `code`,
 * or for each académie when code is NULL (all of them, even after one
 * failed). Returns the verb's exit status: 0, 1 when an académie failed or
 * `code` names none (said on stderr).
 */
int config_each_academy(const struct config *c, const char *code,
			bool (*fn)(const struct config *c, const struct academy_cfg *a, void *arg),
			void *arg);

#endif
