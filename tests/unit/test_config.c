/*
 * server/config.c: a good file loads with its paths resolved from the
 * file's directory and its secrets read; every mistake is reported as
 * "path:LINE: message", LINE being where the mistake is.
 *
 * Files are UNIT_BASE_INI (tests/unit/unit.h, 18 lines, valid) plus the
 * text of the test, which therefore starts at line 19.
 */
#include "unit.h"

#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "config.h"

#define L(n) (UNIT_BASE_LINES + (n)) /* line n of the appended text */

static char *tmp; /* realpath of the scratch directory */
static char *ini; /* tmp/tutorat.ini */
static char err[4096];

static int setup(void **state)
{
	char *dir = unit_tmpdir();

	(void)state;
	tmp = realpath(dir, NULL);
	if (tmp == NULL)
		unit_die("realpath");
	free(dir);
	unit_write_secrets(tmp);
	ini = unit_path(tmp, "tutorat.ini");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unit_rmtree(tmp);
	free(tmp);
	free(ini);
	return 0;
}

static struct config *load_text(const char *text)
{
	unit_write(tmp, "tutorat.ini", text);
	memset(err, 0, sizeof(err));
	return config_load(ini, err, sizeof(err));
}

/* Loads UNIT_BASE_INI followed by extra. */
static struct config *load_extra(const char *extra)
{
	char *text = NULL;
	struct config *c;

	if (asprintf(&text, "%s%s", UNIT_BASE_INI, extra) < 0)
		unit_die("asprintf");
	c = load_text(text);
	free(text);
	return c;
}

/* err holds the line "ini:line: message". */
static void expect_message(int line, const char *message)
{
	char *want = NULL;

	if (asprintf(&want, "%s:%d: %s\n", ini, line, message) < 0)
		unit_die("asprintf");
	if (strstr(err, want) == NULL)
		fail_msg("expected \"%s\" in:\n%s", want, err);
	free(want);
}

/* The file fails to load, with this message at this line. */
static void expect_error(const char *extra, int line, const char *message)
{
	struct config *c = load_extra(extra);

	if (c != NULL) {
		config_free(c);
		fail_msg("loaded, expected %d: %s", line, message);
	}
	expect_message(line, message);
}

static char *in_tmp(const char *rel) { return unit_path(tmp, rel); }

static void assert_path(const char *got, const char *rel)
{
	char *want = in_tmp(rel);

	assert_non_null(got);
	assert_string_equal(got, want);
	free(want);
}

/* ---- a good file ---- */

static void test_good_file(void **state)
{
	struct config *c =
	    load_extra("role.admin = cn=admins,ou=groups,dc=x;cn=root,ou=groups,dc=x\n"
		       "role.stagiaire = cn=stagiaires,ou=groups,dc=x\n"
		       "group_base = ou=groups,dc=x\n"
		       "group_filter = (&(objectClass=groupOfNames)(member=%s))\n"
		       "starttls = true\n"
		       "[academy grenoble]\n"
		       "name = Académie de Grenoble\n"
		       "issuer = https://tutorat.ac-grenoble.fr\n"
		       "ldap_uri = ldaps://ldap.ac-grenoble.fr\n"
		       "bind_dn = cn=tutorat,dc=ac-grenoble,dc=fr\n"
		       "bind_password_file = secrets/ldap_grenoble\n"
		       "search_base = ou=people,dc=ac-grenoble,dc=fr\n"
		       "user_filter = (uid=%s)\n"
		       "attr_username = sAMAccountName\n"
		       "timeout = 7\n"
		       "[login]\n"
		       "max_failures_account = 3\n");
	const struct academy_cfg *a, *g;

	(void)state;
	if (c == NULL)
		fail_msg("%s", err);
	assert_string_equal(err, "");
	assert_string_equal(c->audience, "tutorat");
	assert_int_equal(c->token_lifetime, 600);
	assert_string_equal(c->db.name, "tutorat");
	assert_string_equal(c->db.user, "tutorat");
	assert_string_equal(c->db.password, "db-secret");
	assert_int_equal(c->login_max_failures_account, 3);
	/* Defaults. */
	assert_false(c->development);
	assert_int_equal(c->processes, 1);
	assert_int_equal(c->threads, 8);
	assert_int_equal(c->socket_mode, 0660);
	assert_int_equal(c->max_body_bytes, 1024 * 1024);
	assert_int_equal(c->session_lifetime, 8 * 3600);
	assert_int_equal(c->db.port, 3306);
	assert_int_equal(c->login_max_failures_pair, 5);
	assert_int_equal(c->login_max_accounts_address, 20);
	assert_int_equal(c->login_first_delay_seconds, 60);
	assert_int_equal(c->login_device_days, 180);
	/* Académies, in file order. */
	assert_int_equal(c->n_academies, 2);
	a = c->academies[0];
	g = c->academies[1];
	assert_string_equal(a->code, "lyon");
	assert_string_equal(a->name, "Académie de Lyon");
	assert_string_equal(a->issuer, "https://tutorat.ac-lyon.fr");
	assert_string_equal(a->bind_password, "lyon-secret");
	assert_true(a->starttls);
	assert_int_equal(a->timeout, 3);
	assert_string_equal(a->attr_username, "uid");
	assert_string_equal(a->attr_display_name, "displayName");
	assert_string_equal(a->attr_email, "mail");
	assert_string_equal(a->group_filter, "(&(objectClass=groupOfNames)(member=%s))");
	assert_string_equal(a->role_groups[ROLE_ADMIN][0], "cn=admins,ou=groups,dc=x");
	assert_string_equal(a->role_groups[ROLE_ADMIN][1], "cn=root,ou=groups,dc=x");
	assert_null(a->role_groups[ROLE_ADMIN][2]);
	assert_string_equal(a->role_groups[ROLE_STAGIAIRE][0], "cn=stagiaires,ou=groups,dc=x");
	assert_null(a->role_groups[ROLE_IEN][0]);
	assert_int_equal(a->index, 0);
	assert_string_equal(g->code, "grenoble");
	assert_string_equal(g->bind_password, "grenoble-secret"); /* CRLF trimmed */
	assert_false(g->starttls);
	assert_int_equal(g->timeout, 7);
	assert_string_equal(g->attr_username, "sAMAccountName");
	assert_int_equal(g->index, 1);
	/* Look-ups. */
	assert_ptr_equal(config_academy(c, "lyon", 4), a);
	assert_ptr_equal(config_academy(c, "grenoble", 8), g);
	assert_ptr_equal(config_academy(c, "lyonnais", 4), a); /* bounded by n */
	assert_null(config_academy(c, "lyo", 3));
	assert_null(config_academy(c, "LYON", 4));
	assert_null(config_academy(c, "paris", 5));
	c->academies[0]->id = 10;
	c->academies[1]->id = 20;
	assert_ptr_equal(config_academy_by_id(c, 20), g);
	assert_null(config_academy_by_id(c, 30));
	config_free(c);
}

static void test_relative_paths_from_file_dir(void **state)
{
	struct config *c = load_extra("");

	(void)state;
	assert_non_null(c);
	assert_string_equal(c->dir, tmp);
	assert_path(c->socket, "run/tutoratd.sock");
	assert_path(c->keys_dir, "keys");
	assert_path(c->db.socket, "run/mysqld.sock");
	assert_path(c->db.password_file, "secrets/db_password");
	assert_path(c->academies[0]->bind_password_file, "secrets/ldap_lyon");
	config_free(c);
}

/* The health socket: as given, else beside the main socket; never the
 * main socket itself. */
static void test_health_socket(void **state)
{
	struct config *c = load_extra("");

	(void)state;
	assert_non_null(c);
	assert_path(c->health_socket, "run/tutoratd-health.sock");
	config_free(c);
	c = load_extra("[server]\nsocket = /run/tutoratd/2\n");
	assert_non_null(c);
	assert_string_equal(c->health_socket, "/run/tutoratd/2-health.sock");
	config_free(c);
	c = load_extra("[server]\nhealth_socket = /run/tutoratd/h.sock\n");
	assert_non_null(c);
	assert_string_equal(c->health_socket, "/run/tutoratd/h.sock");
	config_free(c);
	assert_null(load_extra("[server]\nhealth_socket = run/tutoratd.sock\n"));
	expect_message(1, "[server] health_socket must differ from socket");
}

static void test_absolute_paths_kept(void **state)
{
	struct config *c = load_extra("[server]\nkeys_dir = /etc/tutorat/keys\n"
				      "[database]\nsocket = /run/mysqld/mysqld.sock\n");

	(void)state;
	assert_non_null(c);
	assert_string_equal(c->keys_dir, "/etc/tutorat/keys");
	assert_string_equal(c->db.socket, "/run/mysqld/mysqld.sock");
	config_free(c);
}

/* Given as a relative path, from another working directory: the paths in
 * it are still resolved from the file's directory, and absolute. */
static void test_relative_config_path(void **state)
{
	char cwd[PATH_MAX];
	struct config *c;

	(void)state;
	unit_write(tmp, "sub/tutorat.ini", UNIT_BASE_INI);
	unit_write_mode(tmp, "sub/secrets/db_password", "x\n", 0600);
	unit_write_mode(tmp, "sub/secrets/ldap_lyon", "y\n", 0600);
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(tmp), 0);
	c = config_load("sub/tutorat.ini", err, sizeof(err));
	assert_int_equal(chdir(cwd), 0);
	if (c == NULL)
		fail_msg("%s", err);
	assert_path(c->keys_dir, "sub/keys");
	assert_string_equal(c->db.password, "x");
	config_free(c);
}

/* The example of docs/architecture.md (section Configuration) is a file
 * the loader accepts, and means what the document says. */
static void test_documented_example_loads(void **state)
{
	const char *src = getenv("TUTORAT_SOURCE_DIR");
	char *path, *doc, *start, *end;
	FILE *fp;
	long n;
	struct config *c;

	(void)state;
	if (src == NULL)
		skip(); /* run through ctest, which sets it */
	path = unit_path(src, "docs/architecture.md");
	fp = fopen(path, "r");
	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	doc = calloc(1, (size_t)n + 1);
	assert_int_equal(fread(doc, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	start = strstr(doc, "```ini\n");
	assert_non_null(start);
	start += 7;
	end = strstr(start, "```");
	assert_non_null(end);
	*end = '\0';
	c = load_text(start);
	if (c == NULL)
		fail_msg("%s", err);
	assert_true(c->development); /* "development      ; development | production" */
	assert_int_equal(c->token_lifetime, 900);
	assert_string_equal(c->academies[0]->code, "lyon");
	assert_string_equal(c->academies[0]->bind_password, "lyon-secret");
	assert_non_null(c->academies[0]->role_groups[ROLE_ADMIN][0]);
	assert_int_equal(c->ldap_max_concurrent, 0); /* a quarter of the threads */
	assert_int_equal(c->ldap_failure_threshold, 5);
	assert_int_equal(c->ldap_open_seconds, 30);
	assert_int_equal(c->ready_interval, 5);
	assert_int_equal(c->academies[0]->ldap_max_concurrent, 2);
	config_free(c);
	free(doc);
	free(path);
}

/* ---- production rules (the default environment) ---- */

static void test_production_secret_modes(void **state)
{
	char *msg = NULL;

	(void)state;
	unit_write_mode(tmp, "secrets/open_db", "x\n", 0644);
	unit_write_mode(tmp, "secrets/open_ldap", "y\n", 0604);
	assert_null(load_extra("bind_password_file = secrets/open_ldap\n"
			       "[database]\npassword_file = secrets/open_db\n"));
	if (asprintf(&msg, "%s/secrets/open_db is readable by every user: chmod o-rwx", tmp) < 0)
		unit_die("asprintf");
	expect_message(1, msg);
	free(msg);
	if (asprintf(&msg, ": %s/secrets/open_ldap is readable by every user: chmod o-rwx\n", tmp) <
	    0)
		unit_die("asprintf");
	assert_non_null(strstr(err, msg));
	free(msg);
	/* Group-readable is fine (0640 root:tutoratd). */
	unit_write_mode(tmp, "secrets/group_db", "x\n", 0640);
	struct config *c = load_extra("[database]\npassword_file = secrets/group_db\n");

	if (c == NULL)
		fail_msg("%s", err);
	config_free(c);
	/* Development does not check. */
	c = load_extra(
	    "[server]\nenvironment = development\n[database]\npassword_file = secrets/open_db\n");
	assert_non_null(c);
	config_free(c);
}

static void test_production_ldap_encrypted(void **state)
{
	static const char msg[] = ": academy lyon: use ldaps:// or starttls = true in production\n";
	struct config *c;

	(void)state;
	assert_null(load_extra("ldap_uri = ldap://ldap.ac-lyon.fr\n"));
	assert_non_null(strstr(err, msg));
	/* One clear URI in a list is one too many. */
	assert_null(load_extra("ldap_uri = ldaps://a.ac-lyon.fr ldap://b.ac-lyon.fr\n"));
	assert_non_null(strstr(err, msg));
	c = load_extra("ldap_uri = ldap://a.ac-lyon.fr ldap://b.ac-lyon.fr\nstarttls = true\n");
	assert_non_null(c);
	config_free(c);
	c = load_extra("ldap_uri = ldaps://a.ac-lyon.fr  ldapi://%2Frun%2Fslapd%2Fldapi\n");
	assert_non_null(c);
	config_free(c);
	c = load_text(
	    "[server]\nenvironment = development\nsocket = s\naudience = a\nkeys_dir = k\n"
	    "[database]\nsocket = d\nname = n\nuser = u\n"
	    "[academy lyon]\nname = L\nissuer = http://localhost\nldap_uri = ldap://h\n"
	    "bind_dn = cn=x\nbind_password_file = secrets/ldap_lyon\nsearch_base = dc=x\n"
	    "user_filter = (uid=%s)\n");
	if (c == NULL)
		fail_msg("development refused: %s", err);
	config_free(c);
}

static void test_production_https_issuer(void **state)
{
	(void)state;
	assert_null(load_extra("issuer = http://tutorat.ac-lyon.fr\n"));
	assert_non_null(strstr(err, ": academy lyon: the issuer must be https:// in production\n"));
}

static void test_production_database_tls(void **state)
{
	struct config *c;

	(void)state;
	c = load_text("[server]\nsocket = s\naudience = a\nkeys_dir = k\n"
		      "[database]\nhost = db.example\nname = n\nuser = u\n"
		      "[academy lyon]\nname = L\nissuer = https://x\nldap_uri = ldaps://h\n"
		      "bind_dn = cn=x\nbind_password_file = secrets/ldap_lyon\nsearch_base = dc=x\n"
		      "user_filter = (uid=%s)\n");
	assert_null(c);
	expect_message(1, "[database] over the network needs tls = true in production");
	c = load_text("[server]\nsocket = s\naudience = a\nkeys_dir = k\n"
		      "[database]\nhost = db.example\nname = n\nuser = u\ntls = true\n"
		      "tls_ca_file = ca.pem\n"
		      "[academy lyon]\nname = L\nissuer = https://x\nldap_uri = ldaps://h\n"
		      "bind_dn = cn=x\nbind_password_file = secrets/ldap_lyon\nsearch_base = dc=x\n"
		      "user_filter = (uid=%s)\n");
	if (c == NULL)
		fail_msg("%s", err);
	assert_true(c->db.tls);
	assert_path(c->db.tls_ca_file, "ca.pem");
	config_free(c);
}

/* A Galera cluster's nodes, in order, and a reporting replica. */
static void test_database_hosts_and_reporting(void **state)
{
	struct config *c;

	(void)state;
	c = load_text(
	    "[server]\nenvironment = development\nsocket = s\naudience = a\nkeys_dir = k\n"
	    "[database]\nhosts = 127.0.0.1:3311 db2.example, db3.example:3313\n"
	    "port = 3307\nname = n\nuser = u\n"
	    "[database.reporting]\nhost = replica.example\nname = r\nuser = ro\n"
	    "password_file = secrets/db_password\n"
	    "[academy lyon]\nname = L\nissuer = http://localhost\nldap_uri = ldap://h\n"
	    "bind_dn = cn=x\nbind_password_file = secrets/ldap_lyon\nsearch_base = dc=x\n"
	    "user_filter = (uid=%s)\n");
	if (c == NULL)
		fail_msg("%s", err);
	assert_int_equal(c->db.n_hosts, 3);
	assert_string_equal(c->db.hosts[0], "127.0.0.1");
	assert_int_equal(c->db.host_ports[0], 3311);
	assert_string_equal(c->db.hosts[1], "db2.example");
	assert_int_equal(c->db.host_ports[1], 0); /* the section's port */
	assert_int_equal(c->db.port, 3307);
	assert_string_equal(c->db.hosts[2], "db3.example");
	assert_int_equal(c->db.host_ports[2], 3313);
	assert_null(c->db.host);
	assert_string_equal(c->reporting.host, "replica.example");
	assert_string_equal(c->reporting.name, "r");
	assert_string_equal(c->reporting.user, "ro");
	assert_string_equal(c->reporting.password, "db-secret");
	assert_int_equal(c->reporting.port, 3306);
	config_free(c);

	/* Without the section, no reporting connection. */
	c = load_text(UNIT_BASE_INI);
	if (c == NULL)
		fail_msg("%s", err);
	assert_null(c->reporting.name);
	config_free(c);

	/* A bad port, and a reporting section without its user. */
	c = load_text(
	    "[server]\nenvironment = development\nsocket = s\naudience = a\nkeys_dir = k\n"
	    "[database]\nhosts = a:1 b:99999\nname = n\nuser = u\n"
	    "[database.reporting]\nsocket = r.sock\nname = r\n"
	    "[academy lyon]\nname = L\nissuer = http://localhost\nldap_uri = ldap://h\n"
	    "bind_dn = cn=x\nbind_password_file = secrets/ldap_lyon\nsearch_base = dc=x\n"
	    "user_filter = (uid=%s)\n");
	assert_null(c);
	expect_message(7, "a port of hosts must be a whole number from 1 to 65535, not '99999'");
	expect_message(1, "missing required key [database.reporting] user");
}

/* ---- errors, each with its line ---- */

static void test_unknown_key(void **state)
{
	(void)state;
	expect_error("[server]\nbogus = 1\n", L(2), "unknown key 'bogus' in [server]");
	expect_error("[database]\npasword_file = x\n", L(2),
		     "unknown key 'pasword_file' in [database]");
	expect_error("[login]\nwindow = 60\n", L(2), "unknown key 'window' in [login]");
	/* The old per-address limit says what replaced it. */
	expect_error("[login]\nmax_failures_address = 50\n", L(2),
		     "max_failures_address is gone: an address is limited in the accounts it "
		     "tries (max_accounts_address), not in its logins (docs/security.md)");
	expect_error("colour = blue\n", L(1), "unknown key 'colour' in [academy lyon]");
}

/* [academy CODE] totp_required_roles: the default, a list, none, and a
 * role that does not exist; [login] totp_remember_days. */
static void test_totp_required_roles(void **state)
{
	struct config *c;
	const uint32_t dflt = UINT32_C(1) << ROLE_ADMIN | UINT32_C(1) << ROLE_BUREAU_STAGES |
			      UINT32_C(1) << ROLE_DIRECTION_INSPE;

	(void)state;
	c = load_extra("");
	assert_non_null(c);
	assert_int_equal(c->academies[0]->totp_required_roles, dflt);
	assert_int_equal(c->login_totp_remember_days, 30);
	config_free(c);
	c = load_extra("totp_required_roles = mat  gestionnaire_scolarite\n");
	assert_non_null(c);
	assert_int_equal(c->academies[0]->totp_required_roles,
			 UINT32_C(1) << ROLE_MAT | UINT32_C(1) << ROLE_GESTIONNAIRE_SCOLARITE);
	config_free(c);
	c = load_extra("totp_required_roles =\n");
	assert_non_null(c);
	assert_int_equal(c->academies[0]->totp_required_roles, 0);
	config_free(c);
	expect_error("totp_required_roles = admin chef\n", L(1),
		     "unknown role 'chef' in totp_required_roles");
	expect_error("[login]\ntotp_remember_days = 400\n", L(2),
		     "totp_remember_days must be a whole number from 0 to 365, not '400'");
}

/* The section is wrong: the header's line is the one to show. */
static void test_unknown_section(void **state)
{
	(void)state;
	expect_error("[bogus]\nx = 1\n", L(1), "unknown section [bogus]");
}

static void test_bad_int(void **state)
{
	(void)state;
	expect_error("[server]\nthreads = abc\n", L(2),
		     "threads must be a whole number from 1 to 256, not 'abc'");
	expect_error("[server]\nthreads = 0\n", L(2),
		     "threads must be a whole number from 1 to 256, not '0'");
	expect_error("[server]\nthreads = 257\n", L(2),
		     "threads must be a whole number from 1 to 256, not '257'");
	expect_error("[server]\nthreads = 08\n", L(2),
		     "threads must be a whole number from 1 to 256, not '08'");
	expect_error("[server]\nthreads = 4x\n", L(2),
		     "threads must be a whole number from 1 to 256, not '4x'");
	expect_error("\n[database]\nport = 65536\n", L(3),
		     "port must be a whole number from 1 to 65535, not '65536'");
	expect_error("timeout = 0\n", L(1), "timeout must be a whole number from 1 to 60, not '0'");
}

static void test_token_lifetime_bound(void **state)
{
	struct config *c;

	(void)state;
	expect_error("[server]\ntoken_lifetime = 901\n", L(2),
		     "token_lifetime must be a whole number from 30 to 900, not '901'");
	expect_error("[server]\ntoken_lifetime = 3600\n", L(2),
		     "token_lifetime must be a whole number from 30 to 900, not '3600'");
	c = load_extra("[server]\ntoken_lifetime = 900\n");
	assert_non_null(c);
	assert_int_equal(c->token_lifetime, 900);
	config_free(c);
}

static void test_filter_placeholder(void **state)
{
	static const char msg_user[] = "user_filter must be an LDAP filter with exactly one %s";

	(void)state;
	expect_error("user_filter = (uid=jdupont)\n", L(1), msg_user);
	expect_error("user_filter = (|(uid=%s)(mail=%s))\n", L(1), msg_user);
	expect_error("user_filter = (uid=%d)\n", L(1), msg_user);
	expect_error("user_filter = (uid=%%s)\n", L(1), msg_user);
	expect_error("user_filter = uid=%s\n", L(1), msg_user);
	expect_error("group_base = ou=g,dc=x\ngroup_filter = (member=%s)(cn=%s)\n", L(2),
		     "group_filter must be an LDAP filter with exactly one %s");
}

static void test_missing_server_keys(void **state)
{
	struct config *c = load_text("[server]\n"
				     "socket = s\n"
				     "[database]\n"
				     "name = n\n"
				     "[academy lyon]\n"
				     "name = L\n"
				     "issuer = https://x\n"
				     "ldap_uri = ldap://h\n"
				     "bind_dn = cn=x\n"
				     "bind_password_file = secrets/ldap_lyon\n"
				     "search_base = dc=x\n"
				     "user_filter = (uid=%s)\n");

	(void)state;
	assert_null(c);
	expect_message(1, "missing required key [server] audience");
	expect_message(1, "missing required key [server] keys_dir");
	expect_message(1, "missing required key [database] user");
	expect_message(1, "[database] needs socket, host or hosts");
	assert_null(strstr(err, "[server] socket"));
	assert_null(strstr(err, "[database] name"));
}

static void test_no_academy(void **state)
{
	(void)state;
	assert_null(load_text("[server]\nsocket = s\naudience = a\nkeys_dir = k\n"
			      "[database]\nhost = h\nname = n\nuser = u\n"));
	expect_message(1, "no [academy CODE] section");
}

/* What an académie lacks is reported at its section header. */
static void test_missing_academy_keys(void **state)
{
	(void)state;
	assert_null(load_extra("[academy grenoble]\n"
			       "name = Grenoble\n"
			       "group_base = ou=groups,dc=x\n"));
	expect_message(L(1), "missing required key issuer");
	expect_message(L(1), "missing required key ldap_uri");
	expect_message(L(1), "missing required key bind_dn");
	expect_message(L(1), "missing required key bind_password_file");
	expect_message(L(1), "missing required key search_base");
	expect_message(L(1), "missing required key user_filter");
	expect_message(L(1), "group_base and group_filter go together");
	/* Lyon, complete, is not blamed. */
	assert_null(strstr(err, ":11: "));
}

static void test_duplicate_academy(void **state)
{
	(void)state;
	expect_error("[login]\nwindow_seconds = 60\n[academy lyon]\nname = Lyon bis\n", L(3),
		     "academy 'lyon' is defined twice (first at line 11)");
}

/* Right after the first one, with nothing in between. */
static void test_duplicate_academy_adjacent(void **state)
{
	(void)state;
	expect_error("[academy lyon]\nname = Lyon bis\n", L(1),
		     "academy 'lyon' is defined twice (first at line 11)");
}

static void test_bad_academy_code(void **state)
{
	(void)state;
	expect_error("[academy Lyon2]\nname = x\n", L(1),
		     "academy code 'Lyon2' must be 1-32 of a-z, 0-9, '-'");
}

static void test_key_outside_section(void **state)
{
	char *text = NULL;
	struct config *c;

	(void)state;
	if (asprintf(&text, "audience = tutorat\n%s", UNIT_BASE_INI) < 0)
		unit_die("asprintf");
	c = load_text(text);
	free(text);
	assert_null(c);
	expect_message(1, "'audience' is outside any section");
}

static void test_unknown_role(void **state)
{
	(void)state;
	expect_error("role.superuser = cn=x,dc=x\n", L(1), "unknown role 'superuser'");
	expect_error("\nrole.Admin = cn=x,dc=x\n", L(2), "unknown role 'Admin'");
	expect_error("role. = cn=x\n", L(1), "unknown role ''");
}

static void test_too_many_groups(void **state)
{
	(void)state;
	expect_error("role.ien = a;b;c;d;e;f;g;h;i\n", L(1), "at most 8 groups per role");
}

static void test_bad_values(void **state)
{
	(void)state;
	expect_error("[server]\nenvironment = staging\n", L(2),
		     "environment must be development or production, not 'staging'");
	expect_error("[server]\nsocket_mode = 0999\n", L(2),
		     "socket_mode must be an octal mode, not '0999'");
	expect_error("starttls = maybe\n", L(1), "starttls must be true or false, not 'maybe'");
	expect_error("issuer = tutorat.ac-lyon.fr\n", L(1),
		     "issuer must be an http(s) URL, not 'tutorat.ac-lyon.fr'");
	expect_error("ldap_uri = http://h\n", L(1),
		     "ldap_uri must start with ldap://, ldaps:// or ldapi://");
}

static void test_unreadable_secrets(void **state)
{
	char *want = NULL;

	(void)state;
	assert_null(load_extra("bind_password_file = secrets/missing\n"));
	if (asprintf(&want, ": cannot read a password from bind_password_file %s/secrets/missing\n",
		     tmp) < 0)
		unit_die("asprintf");
	assert_non_null(strstr(err, want));
	free(want);
	assert_null(load_extra("[database]\npassword_file = secrets/none\n"));
	if (asprintf(&want, "cannot read a password from [database] password_file %s/secrets/none",
		     tmp) < 0)
		unit_die("asprintf");
	expect_message(1, want);
	free(want);
	/* An empty secret is no secret. */
	unit_write(tmp, "secrets/empty", "\n");
	assert_null(load_extra("[database]\npassword_file = secrets/empty\n"));
}

static void test_syntax_error(void **state)
{
	(void)state;
	expect_error("[server]\nthis line has no equals sign\n", L(2), "syntax error");
}

/* Every mistake is reported, not only the first. */
static void test_all_errors_reported(void **state)
{
	(void)state;
	assert_null(load_extra("[server]\nthreads = x\nbogus = 1\n[login]\nblock_seconds = 0\n"));
	expect_message(L(2), "threads must be a whole number from 1 to 256, not 'x'");
	expect_message(L(3), "unknown key 'bogus' in [server]");
	expect_message(L(5), "block_seconds must be a whole number from 1 to 86400, not '0'");
}

/* A small error buffer is filled, bounded and terminated. */
static void test_error_buffer_bounded(void **state)
{
	char small[24];
	struct config *c;

	(void)state;
	unit_write(tmp, "tutorat.ini", UNIT_BASE_INI "[server]\nbogus = 1\nother = 2\n");
	memset(small, 'x', sizeof(small));
	c = config_load(ini, small, sizeof(small));
	assert_null(c);
	assert_non_null(memchr(small, '\0', sizeof(small)));
}

static void test_missing_file(void **state)
{
	char *path = in_tmp("nope.ini");

	(void)state;
	assert_null(config_load(path, err, sizeof(err)));
	assert_non_null(strstr(err, "cannot open the configuration file"));
	free(path);
}

/*
 * The contract gives several DNs per role, separated by ';': with real
 * DNs such a line passes 200 characters, libinih's default line buffer.
 * The line must load whole, not be cut in two (the tail then read as a
 * line of its own).
 */
static void test_long_role_line(void **state)
{
	char line[1024] = "role.tuteur_terrain = ";
	struct config *c;

	(void)state;
	for (int i = 0; i < 6; i++) {
		char dn[80];

		snprintf(dn, sizeof(dn), "%scn=tuteurs-terrain-%d,ou=groups,dc=ac-lyon,dc=fr",
			 i > 0 ? ";" : "", i);
		strcat(line, dn);
	}
	strcat(line, "\n");
	assert_true(strlen(line) > 250);
	c = load_extra(line);
	if (c == NULL)
		fail_msg("a %zu-character line was refused:\n%s", strlen(line), err);
	for (int i = 0; i < 6; i++) {
		char dn[80];

		snprintf(dn, sizeof(dn), "cn=tuteurs-terrain-%d,ou=groups,dc=ac-lyon,dc=fr", i);
		assert_non_null(c->academies[0]->role_groups[ROLE_TUTEUR_TERRAIN][i]);
		assert_string_equal(c->academies[0]->role_groups[ROLE_TUTEUR_TERRAIN][i], dn);
	}
	config_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_good_file),
	    cmocka_unit_test(test_relative_paths_from_file_dir),
	    cmocka_unit_test(test_health_socket),
	    cmocka_unit_test(test_absolute_paths_kept),
	    cmocka_unit_test(test_relative_config_path),
	    cmocka_unit_test(test_documented_example_loads),
	    cmocka_unit_test(test_production_secret_modes),
	    cmocka_unit_test(test_production_ldap_encrypted),
	    cmocka_unit_test(test_production_https_issuer),
	    cmocka_unit_test(test_production_database_tls),
	    cmocka_unit_test(test_database_hosts_and_reporting),
	    cmocka_unit_test(test_unknown_key),
	    cmocka_unit_test(test_totp_required_roles),
	    cmocka_unit_test(test_unknown_section),
	    cmocka_unit_test(test_bad_int),
	    cmocka_unit_test(test_token_lifetime_bound),
	    cmocka_unit_test(test_filter_placeholder),
	    cmocka_unit_test(test_missing_server_keys),
	    cmocka_unit_test(test_no_academy),
	    cmocka_unit_test(test_missing_academy_keys),
	    cmocka_unit_test(test_duplicate_academy),
	    cmocka_unit_test(test_duplicate_academy_adjacent),
	    cmocka_unit_test(test_bad_academy_code),
	    cmocka_unit_test(test_key_outside_section),
	    cmocka_unit_test(test_unknown_role),
	    cmocka_unit_test(test_too_many_groups),
	    cmocka_unit_test(test_bad_values),
	    cmocka_unit_test(test_unreadable_secrets),
	    cmocka_unit_test(test_syntax_error),
	    cmocka_unit_test(test_all_errors_reported),
	    cmocka_unit_test(test_error_buffer_bounded),
	    cmocka_unit_test(test_missing_file),
	    cmocka_unit_test(test_long_role_line),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
