/*
 * tutoratctl generate: invented data of realistic size in one académie of a
 * development stack, to log into and to benchmark (README "Generated data").
 *
 * For N trainees (default 3,000): their enrolments in the académie's
 * current year, each with one or two places of practice and a trio (a
 * tuteur terrain with about 3 trainees, a tuteur INSPÉ with about 10),
 * about 5 follow-up times each in every state, the trainee's feedback and
 * the tutors' trace after those held, intermediate bilans (some frozen)
 * and a few final ones; and what they need: circonscriptions, pôles,
 * schools, disciplines, and the IEN, pilotes de pôle and IA-IPR of them.
 * The demo accounts tuteur.terrain1 and tuteur.inspe1 are the first tutor
 * of each kind, so that a tutor's own list can be seen and measured; the
 * bureau des stages (bureau1) and the admin see everything.
 *
 * Then the other modules, at the same scale: accompaniment cases (about
 * one trainee in ten, every one en renouvellement) at levels 1 to 3 with
 * their levels over the year and the fiche de suivi; per pôle its three
 * meetings (N°1 held with its review list and decisions, N°2's list ready
 * in one pôle in two), the tutors' requests for a review; fiches de
 * personnalisation in every state; parcours d'individualisation (annex 2)
 * some of them waiting for a signature; SOPA students and host teachers
 * placed at each INSPÉ site's four periods, with reports sent in time,
 * late, drafts or missing; per département a réseau call, its volunteers
 * and collectives with their meetings. The demo account ien1 pilots the
 * first generated pôle. An académie with no school year, département or
 * INSPÉ site (one added for the benchmark, tests/bench/pilotage) gets
 * generated ones.
 *
 * Every generated row has an id in [GEN_ID_LO, GEN_ID_HI]: the service's
 * random ids (53 bits) fall there with a probability of about 1e-7. A run
 * first removes what an earlier run put there, so that the same seed gives
 * the same rows, and --trainees 0 leaves the académie as it was. All of it
 * happens in one transaction, recorded in the audit trail, and increases
 * the académie's reference_version (cached answers are never stale).
 *
 * Rows go in by multi-row INSERTs, prepared, GEN_BATCH rows at a time, one
 * table after the other (parents first: the foreign keys are checked).
 * Refused unless [server] environment = development.
 */
#include "config.h"
#include "db.h"
#include "schema.h"
#include "tutorat.h"
#include "util.h"

#include <getopt.h>
#include <mysql.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define GEN_ID_LO	 INT64_C(1000000000)
#define GEN_ID_HI	 INT64_C(1999999999)
#define GEN_MAX_TRAINEES 200000
#define GEN_BATCH	 500
/* The generated year's "now" (days since 1 September): 1 December, the
 * past of the generated year. */
#define GEN_TODAY 91

/* Each table's block of generated ids. */
enum {
	ID_STRUCTURE = 0,
	ID_PERSON = 1,
	ID_ROLE = 2,
	ID_ENROLMENT = 3,
	ID_PLACE = 4,
	ID_TRIO = 5,
	ID_FOLLOWUP = 6,
	ID_TRACE = 7,
	ID_BILAN = 8,
	ID_MODULES = 9, /* the other modules' tables: a sub-block of 1,000,000 each */
};
#define GEN_ID(block, n) (GEN_ID_LO + INT64_C(100000000) * (block) + (int64_t)(n) + 1)

/* The sub-blocks of ID_MODULES, one per table. */
enum {
	SUB_YEAR,
	SUB_CASE,
	SUB_LEVEL,
	SUB_ENTRY,
	SUB_PZ,
	SUB_PZ_ITEM,
	SUB_CONTRACT,
	SUB_CVERSION,
	SUB_CPARTY,
	SUB_CSIGNATURE,
	SUB_MEETING,
	SUB_MPARTICIPANT,
	SUB_REVIEW,
	SUB_DECISION,
	SUB_REQUEST,
	SUB_SITE_YEAR,
	SUB_PERIOD,
	SUB_PLACEMENT,
	SUB_REPORT,
	SUB_COMMUNE,
	SUB_CALL,
	SUB_VOLUNTEER,
	SUB_COLLECTIVE,
	SUB_MEMBER,
	SUB_RMEETING,
	SUB_ATTENDANCE,
	SUB_CANVAS,
	SUB_SYNTHESIS,
	SUB__MAX
};
#define GEN_SUB(sub, n) GEN_ID(ID_MODULES, INT64_C(1000000) * (sub) + (int64_t)(n))

/* ---- randomness: splitmix64, the same sequence for the same seed ---- */

struct rng {
	uint64_t s;
};

static uint64_t rng_next(struct rng *g)
{
	uint64_t z = (g->s += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* 0 <= result < n */
static size_t rnd(struct rng *g, size_t n) { return n > 0 ? (size_t)(rng_next(g) % n) : 0; }

/* true with probability pct % */
static bool chance(struct rng *g, unsigned pct) { return rnd(g, 100) < pct; }

#define PICK(g, arr) ((arr)[rnd((g), ARRAY_LEN(arr))])

/* ---- invented names and texts ---- */

static const char *const given[] = {
    "Camille", "Julien",   "Léa",     "Thomas",	 "Emma",     "Lucas",	"Chloé",    "Hugo",
    "Manon",   "Louis",	   "Inès",    "Nathan",	 "Sarah",    "Théo",	"Jade",	    "Mathis",
    "Zoé",     "Antoine",  "Clara",   "Maxime",	 "Lina",     "Paul",	"Anaïs",    "Arthur",
    "Elsa",    "Baptiste", "Margaux", "Romain",	 "Pauline",  "Quentin", "Juliette", "Adrien",
    "Lucie",   "Simon",	   "Mélanie", "Bastien", "Océane",   "Damien",	"Noémie",   "Florian",
    "Agathe",  "Kévin",	   "Salomé",  "Yanis",	 "Amandine", "Victor",	"Éloïse",   "Mehdi"};
static const char *const family[] = {
    "Martin",	 "Bernard",  "Dubois",	"Thomas",   "Robert",	"Richard",  "Petit",   "Durand",
    "Leroy",	 "Moreau",   "Simon",	"Laurent",  "Lefebvre", "Michel",   "Garcia",  "David",
    "Bertrand",	 "Roux",     "Vincent", "Fournier", "Morel",	"Girard",   "André",   "Lefèvre",
    "Mercier",	 "Dupont",   "Lambert", "Bonnet",   "François", "Martinez", "Legrand", "Garnier",
    "Faure",	 "Rousseau", "Blanc",	"Guérin",   "Muller",	"Henry",    "Roussel", "Nicolas",
    "Perrin",	 "Morin",    "Mathieu", "Clément",  "Gauthier", "Dumont",   "Lopez",   "Fontaine",
    "Chevalier", "Robin",    "Masson",	"Sanchez",  "Gérard",	"Nguyen",   "Boyer",   "Denis"};
static const char *const towns[] = {
    "Poitiers", "Niort",  "Angoulême", "La Rochelle", "Châtellerault", "Rochefort", "Saintes",
    "Cognac",	"Royan",  "Bressuire", "Parthenay",   "Thouars",       "Loudun",    "Montmorillon",
    "Jonzac",	"Ruffec", "Melle",     "Civray",      "Surgères",      "Marennes"};
static const char *const school_names[] = {
    "Jules Ferry",  "Jean Jaurès", "Victor Hugo",	    "Louis Pasteur",   "Jean Moulin",
    "Les Tilleuls", "Marie Curie", "Jacques Prévert",	    "Paul Bert",       "Les Marronniers",
    "Condorcet",    "Jean Zay",	   "Pierre et Marie Curie", "Les Coquelicots", "Albert Camus",
    "Simone Veil"};
static const struct {
	const char *code, *name;
} disciplines[] = {
    {"G-MATH", "Mathématiques"},
    {"G-LETM", "Lettres modernes"},
    {"G-HG", "Histoire-géographie"},
    {"G-ANG", "Anglais"},
    {"G-ESP", "Espagnol"},
    {"G-SVT", "Sciences de la vie et de la Terre"},
    {"G-PC", "Physique-chimie"},
    {"G-EPS", "Éducation physique et sportive"},
    {"G-TECH", "Technologie"},
    {"G-SES", "Sciences économiques et sociales"},
    {"G-CPE", "Conseiller principal d'éducation"},
    {"G-DOC", "Documentation"},
};
#define DISC_CPE 10
#define DISC_DOC 11
static const char *const classes_1d[] = {"CP",
					 "CE1",
					 "CE2",
					 "CM1",
					 "CM2",
					 "CP-CE1",
					 "CE2-CM1",
					 "Petite section",
					 "Moyenne section",
					 "Grande section"};
static const char *const classes_2d[] = {"6e A", "6e C",   "5e B",   "4e A",   "4e D",
					 "3e B", "2nde 3", "2nde 5", "1re G2", "Terminale G1"};
static const char *const notes[] = {"Séance de lecture bien préparée ; consignes à reformuler.",
				    "Mise au travail lente ; les élèves rapides attendent.",
				    "Bonne gestion de la parole ; trace écrite absente.",
				    "Matériel prêt, transitions longues entre les activités.",
				    "Évaluation des acquis en fin de séance : à systématiser.",
				    "Différenciation amorcée pour les élèves en difficulté."};
static const char *const axes[] = {"Clarté des consignes.",  "Gestion du temps.",
				   "Différenciation.",	     "Évaluation formative.",
				   "Rituels de transition.", "Place de l'écrit."};
static const char *const retained[] = {
    "J'écris la consigne au tableau et je la fais reformuler.",
    "Je prévois une activité pour les élèves qui finissent en avance.",
    "Je raccourcis les séances et j'annonce le plan au début.",
    "Je note les réussites des élèves pendant la séance."};

/* ---- a date of the school year: day 0 is 1 September of `year` ---- */

static void day_str(char *out, size_t n, int year, int day, int hour)
{
	struct tm t = {.tm_year = year - 1900, .tm_mon = 8, .tm_mday = 1 + day, .tm_hour = hour};
	time_t s = timegm(&t);

	gmtime_r(&s, &t);
	strftime(out, n, "%Y-%m-%d %H:%M:%S", &t);
}

/* ---- prepared multi-row INSERTs ---- */

struct batch {
	MYSQL *my;
	const char *head; /* "INSERT INTO t (c1, ..., ck) VALUES " */
	const char *tail; /* after the rows (ON DUPLICATE KEY ...), or NULL */
	size_t n_cols;
	size_t n_vals; /* values buffered so far */
	char *text;    /* the values, NUL-terminated one after the other */
	size_t text_len, text_cap;
	long offs[GEN_BATCH * 32]; /* offset of each value in text, -1 for NULL */
	MYSQL_STMT *full;	   /* prepared for GEN_BATCH rows, kept */
	struct batch *parent;	   /* written first: its rows are referenced by ours */
	size_t rows_written;
	char *err;
	size_t errlen;
};

static void put_raw(struct batch *b, const char *v)
{
	size_t n = v != NULL ? strlen(v) + 1 : 0;

	if (b->n_vals >= ARRAY_LEN(b->offs))
		abort(); /* a row wider than 32 columns: raise offs */
	if (v == NULL) {
		b->offs[b->n_vals++] = -1;
		return;
	}
	if (b->text_len + n > b->text_cap) {
		b->text_cap = (b->text_len + n) * 2 + 4096;
		b->text = realloc(b->text, b->text_cap);
		if (b->text == NULL)
			abort();
	}
	memcpy(b->text + b->text_len, v, n);
	b->offs[b->n_vals++] = (long)b->text_len;
	b->text_len += n;
}

static void put_int(struct batch *b, int64_t v)
{
	char s[24];

	snprintf(s, sizeof(s), "%lld", (long long)v);
	put_raw(b, s);
}

/* An id, or NULL for 0. */
static void put_ref(struct batch *b, int64_t v)
{
	if (v == 0)
		put_raw(b, NULL);
	else
		put_int(b, v);
}

static MYSQL_STMT *prepare_rows(struct batch *b, size_t rows)
{
	size_t cap = strlen(b->head) + rows * (b->n_cols * 3 + 3) + 1, len;

	if (b->tail != NULL)
		cap += strlen(b->tail);
	char *sql = malloc(cap);
	MYSQL_STMT *st;

	if (sql == NULL)
		abort();
	len = (size_t)snprintf(sql, cap, "%s", b->head);
	for (size_t r = 0; r < rows; r++) {
		sql[len++] = r > 0 ? ',' : ' ';
		sql[len++] = '(';
		for (size_t c = 0; c < b->n_cols; c++) {
			if (c > 0)
				sql[len++] = ',';
			sql[len++] = '?';
		}
		sql[len++] = ')';
	}
	sql[len] = '\0';
	if (b->tail != NULL)
		len += (size_t)snprintf(sql + len, cap - len, "%s", b->tail);
	st = mysql_stmt_init(b->my);
	if (st != NULL && mysql_stmt_prepare(st, sql, (unsigned long)len) != 0) {
		snprintf(b->err, b->errlen, "prepare %.60s: %s", b->head, mysql_stmt_error(st));
		mysql_stmt_close(st);
		st = NULL;
	}
	free(sql);
	return st;
}

/* Writes the buffered rows of b alone (its parents' first: flush). */
static bool flush_one(struct batch *b)
{
	size_t rows = b->n_cols > 0 ? b->n_vals / b->n_cols : 0;
	MYSQL_STMT *st;
	MYSQL_BIND *p;
	unsigned long *lens;
	my_bool *nulls;
	bool ok;

	if (rows == 0)
		return true;
	if (b->n_vals % b->n_cols != 0)
		abort(); /* a row with the wrong number of values */
	if (rows == GEN_BATCH) {
		if (b->full == NULL)
			b->full = prepare_rows(b, rows);
		st = b->full;
	} else {
		st = prepare_rows(b, rows);
	}
	if (st == NULL)
		return false;
	p = calloc(b->n_vals, sizeof(*p));
	lens = calloc(b->n_vals, sizeof(*lens));
	nulls = calloc(b->n_vals, sizeof(*nulls));
	if (p == NULL || lens == NULL || nulls == NULL)
		abort();
	for (size_t i = 0; i < b->n_vals; i++) {
		p[i].buffer_type = MYSQL_TYPE_STRING;
		nulls[i] = b->offs[i] < 0;
		p[i].is_null = &nulls[i];
		if (!nulls[i]) {
			p[i].buffer = b->text + b->offs[i];
			lens[i] = (unsigned long)strlen(b->text + b->offs[i]);
			p[i].buffer_length = lens[i];
		}
		p[i].length = &lens[i];
	}
	ok = mysql_stmt_bind_param(st, p) == 0 && mysql_stmt_execute(st) == 0;
	if (!ok)
		snprintf(b->err, b->errlen, "%.60s: %s", b->head, mysql_stmt_error(st));
	if (st != b->full)
		mysql_stmt_close(st);
	free(p);
	free(lens);
	free(nulls);
	b->rows_written += rows;
	b->n_vals = 0;
	b->text_len = 0;
	return ok;
}

/* Writes the buffered rows of b, after those of its parents (rows refer to
 * their parents' rows), the oldest ancestor first. */
static bool flush(struct batch *b)
{
	struct batch *chain[8];
	size_t n = 0;

	for (struct batch *p = b; p != NULL; p = p->parent) {
		if (n == sizeof(chain) / sizeof(chain[0]))
			abort(); /* deeper than any table chain of the schema */
		chain[n++] = p;
	}
	while (n > 0)
		if (!flush_one(chain[--n]))
			return false;
	return true;
}

/* Ends a row: writes the batch when it is full. */
static bool row_done(struct batch *b) { return b->n_vals < GEN_BATCH * b->n_cols || flush(b); }

static void batch_free(struct batch *b)
{
	if (b->full != NULL)
		mysql_stmt_close(b->full);
	free(b->text);
	free(b);
}

/* ---- what is generated, in memory before it is written ---- */

struct gen_person {
	int64_t id;
	char username[32];
	const char *given, *family;
	bool existing; /* a demo account already in the database */
};

struct gen_enrolment {
	size_t trainee, terrain, inspe; /* indexes into the people arrays */
	const char *parcours, *category;
	int degre;
	bool renouvellement;
	size_t pole, discipline, site; /* SIZE_MAX: none */
	size_t school[2], n_places;
	const char *class_label[2];
	/* accompaniment (planned by plan_modules) */
	int acc_level;	  /* the case's level now, 0: no case */
	bool acc_closed;  /* the case ended */
	int pz_status;	  /* index into pz_statuses, -1: no personalisation */
	bool contract;	  /* a parcours d'individualisation */
	bool requested;	  /* a tutor asked for a review after meeting N°1 */
	bool early_visit; /* a visit held before meeting N°1 */
};

struct gen {
	MYSQL *my;
	int64_t academy;
	struct rng g;
	size_t n_trainees;
	char *err;
	size_t errlen;
	/* reference data found in the académie */
	int64_t year_id, referentiel_id;
	int year_start; /* the current year's first calendar year */
	int64_t *departements, *sites, common_competences[5];
	size_t n_departements, n_sites;
	/* generated structures */
	size_t n_circ, n_poles, n_schools;
	/* people */
	struct gen_person *trainees, *terrain, *inspe;
	size_t n_terrain, n_inspe;
	struct gen_enrolment *enrolments;
	int64_t next_person, next_role, next_trace;
	/* the staff of the generated structures, for the other modules */
	int64_t *iens, *pilots, bureau;
	int64_t departements_made, sites_made; /* created here: the académie had none */
};

static int64_t circ_id(size_t i) { return GEN_ID(ID_STRUCTURE, 1000 + i); }
static int64_t pole_id(size_t i) { return GEN_ID(ID_STRUCTURE, 100 + i); }
static int64_t school_id(size_t i) { return GEN_ID(ID_STRUCTURE, 100000 + i); }
static int64_t discipline_id(size_t i) { return GEN_ID(ID_STRUCTURE, 10 + i); }

static struct batch *batch_new(struct gen *x, const char *head, size_t n_cols)
{
	struct batch *b = calloc(1, sizeof(*b));

	if (b == NULL)
		abort();
	b->my = x->my;
	b->head = head;
	b->n_cols = n_cols;
	b->err = x->err;
	b->errlen = x->errlen;
	return b;
}

/* Runs a SELECT with the académie as its only parameter; up to max ids. */
static bool select_ids(struct gen *x, const char *sql, int64_t *out, size_t max, size_t *n)
{
	MYSQL_STMT *st = mysql_stmt_init(x->my);
	MYSQL_BIND p[1], res[1];
	long long a = x->academy, v = 0;
	bool ok;

	memset(p, 0, sizeof(p));
	memset(res, 0, sizeof(res));
	p[0].buffer_type = MYSQL_TYPE_LONGLONG;
	p[0].buffer = &a;
	res[0].buffer_type = MYSQL_TYPE_LONGLONG;
	res[0].buffer = &v;
	*n = 0;
	ok = st != NULL && mysql_stmt_prepare(st, sql, (unsigned long)strlen(sql)) == 0 &&
	     mysql_stmt_bind_param(st, p) == 0 && mysql_stmt_execute(st) == 0 &&
	     mysql_stmt_bind_result(st, res) == 0 && mysql_stmt_store_result(st) == 0;
	while (ok && mysql_stmt_fetch(st) == 0)
		if (*n < max)
			out[(*n)++] = v;
	if (!ok)
		snprintf(x->err, x->errlen, "%.60s: %s", sql,
			 st != NULL ? mysql_stmt_error(st) : "out of memory");
	if (st != NULL)
		mysql_stmt_close(st);
	return ok;
}

/* ---- removal of an earlier run ---- */

/* Child tables first; every statement: (académie, lo, hi). */
static const char *const removal[] = {
    /* what the generated people's sign-ins and mail left (a demo account
     * the generated rows stand for is signed in as one of them) */
    "DELETE FROM login_challenge WHERE academy_id = ? AND person_id BETWEEN ? AND ?",
    "DELETE FROM login_device WHERE academy_id = ? AND person_id BETWEEN ? AND ?",
    "DELETE FROM totp_recovery_code WHERE academy_id = ? AND person_id BETWEEN ? AND ?",
    "DELETE FROM person_totp WHERE academy_id = ? AND person_id BETWEEN ? AND ?",
    "DELETE FROM calendar_feed WHERE academy_id = ? AND person_id BETWEEN ? AND ?",
    "DELETE FROM notification_pref WHERE academy_id = ? AND person_id BETWEEN ? AND ?",
    "DELETE FROM notification WHERE academy_id = ? AND (recipient_id BETWEEN ? AND ? "
    "OR actor_id BETWEEN ? AND ?)",
    "DELETE FROM mail_outbox WHERE academy_id = ? AND recipient_id BETWEEN ? AND ?",
    "DELETE FROM reminder_sent WHERE academy_id = ? AND recipient_id BETWEEN ? AND ?",
    /* réseau: what hangs on the generated collectives and calls */
    "DELETE t FROM reseau_attendance t JOIN reseau_meeting m ON m.academy_id = t.academy_id "
    "AND m.id = t.meeting_id WHERE t.academy_id = ? AND m.collective_id BETWEEN ? AND ?",
    "DELETE t FROM reseau_canvas t JOIN reseau_meeting m ON m.academy_id = t.academy_id "
    "AND m.id = t.meeting_id WHERE t.academy_id = ? AND m.collective_id BETWEEN ? AND ?",
    "DELETE t FROM reseau_synthesis t JOIN reseau_meeting m ON m.academy_id = t.academy_id "
    "AND m.id = t.meeting_id WHERE t.academy_id = ? AND m.collective_id BETWEEN ? AND ?",
    "DELETE FROM reseau_meeting WHERE academy_id = ? AND collective_id BETWEEN ? AND ?",
    "DELETE FROM reseau_member WHERE academy_id = ? AND collective_id BETWEEN ? AND ?",
    "DELETE FROM reseau_collective WHERE academy_id = ? AND id BETWEEN ? AND ?",
    "DELETE FROM reseau_volunteer WHERE academy_id = ? AND id BETWEEN ? AND ?",
    "DELETE FROM reseau_call WHERE academy_id = ? AND id BETWEEN ? AND ?",
    "DELETE FROM reseau_commune WHERE academy_id = ? AND id BETWEEN ? AND ?",
    /* SOPA: the generated placements, or those of generated students */
    "DELETE r FROM sopa_report r JOIN sopa_placement p ON p.academy_id = r.academy_id "
    "AND p.id = r.placement_id WHERE r.academy_id = ? AND (p.id BETWEEN ? AND ? "
    "OR p.student_id BETWEEN ? AND ?)",
    "DELETE FROM sopa_placement WHERE academy_id = ? AND (id BETWEEN ? AND ? "
    "OR student_id BETWEEN ? AND ?)",
    "DELETE FROM sopa_period WHERE academy_id = ? AND id BETWEEN ? AND ?",
    "DELETE FROM sopa_site_year WHERE academy_id = ? AND id BETWEEN ? AND ?",
    /* contracts of the generated enrolments */
    "DELETE s FROM contract_signature s JOIN contract_version v ON v.academy_id = "
    "s.academy_id AND v.id = s.version_id JOIN contract c ON c.academy_id = v.academy_id "
    "AND c.id = v.contract_id WHERE s.academy_id = ? AND c.enrolment_id BETWEEN ? AND ?",
    "DELETE s FROM contract_party s JOIN contract_version v ON v.academy_id = "
    "s.academy_id AND v.id = s.version_id JOIN contract c ON c.academy_id = v.academy_id "
    "AND c.id = v.contract_id WHERE s.academy_id = ? AND c.enrolment_id BETWEEN ? AND ?",
    "DELETE v FROM contract_version v JOIN contract c ON c.academy_id = v.academy_id "
    "AND c.id = v.contract_id WHERE v.academy_id = ? AND c.enrolment_id BETWEEN ? AND ?",
    "DELETE t FROM contract_point t JOIN contract c ON c.academy_id = t.academy_id "
    "AND c.id = t.contract_id WHERE t.academy_id = ? AND c.enrolment_id BETWEEN ? AND ?",
    "DELETE t FROM contract_bilan t JOIN contract c ON c.academy_id = t.academy_id "
    "AND c.id = t.contract_id WHERE t.academy_id = ? AND c.enrolment_id BETWEEN ? AND ?",
    "DELETE FROM contract WHERE academy_id = ? AND enrolment_id BETWEEN ? AND ?",
    /* the meetings of the generated pôles, the fiches of the enrolments */
    "DELETE i FROM personalisation_item i JOIN personalisation z ON z.academy_id = "
    "i.academy_id AND z.id = i.personalisation_id WHERE i.academy_id = ? AND z.enrolment_id "
    "BETWEEN ? AND ?",
    "DELETE FROM personalisation WHERE academy_id = ? AND enrolment_id BETWEEN ? AND ?",
    "DELETE FROM review_request WHERE academy_id = ? AND enrolment_id BETWEEN ? AND ?",
    "DELETE FROM workshop_attendance WHERE academy_id = ? AND enrolment_id BETWEEN ? AND ?",
    "DELETE FROM workshop_trainee WHERE academy_id = ? AND enrolment_id BETWEEN ? AND ?",
    "DELETE t FROM pole_meeting_decision t JOIN pole_meeting m ON m.academy_id = "
    "t.academy_id AND m.id = t.meeting_id WHERE t.academy_id = ? AND (m.id BETWEEN ? AND ? "
    "OR m.scope_id BETWEEN ? AND ?)",
    "DELETE t FROM pole_meeting_review t JOIN pole_meeting m ON m.academy_id = "
    "t.academy_id AND m.id = t.meeting_id WHERE t.academy_id = ? AND (m.id BETWEEN ? AND ? "
    "OR m.scope_id BETWEEN ? AND ?)",
    "DELETE t FROM pole_meeting_participant t JOIN pole_meeting m ON m.academy_id = "
    "t.academy_id AND m.id = t.meeting_id WHERE t.academy_id = ? AND (m.id BETWEEN ? AND ? "
    "OR m.scope_id BETWEEN ? AND ?)",
    "DELETE FROM pole_meeting WHERE academy_id = ? AND (id BETWEEN ? AND ? "
    "OR scope_id BETWEEN ? AND ?)",
    /* the accompaniment cases of the generated enrolments */
    "DELETE t FROM acc_read t JOIN acc_case c ON c.academy_id = t.academy_id AND c.id = "
    "t.case_id WHERE t.academy_id = ? AND c.enrolment_id BETWEEN ? AND ?",
    "DELETE t FROM acc_share t JOIN acc_case c ON c.academy_id = t.academy_id AND c.id = "
    "t.case_id WHERE t.academy_id = ? AND c.enrolment_id BETWEEN ? AND ?",
    "DELETE t FROM acc_agreement t JOIN acc_case c ON c.academy_id = t.academy_id AND c.id = "
    "t.case_id WHERE t.academy_id = ? AND c.enrolment_id BETWEEN ? AND ?",
    "DELETE t FROM acc_entry t JOIN acc_case c ON c.academy_id = t.academy_id AND c.id = "
    "t.case_id WHERE t.academy_id = ? AND c.enrolment_id BETWEEN ? AND ?",
    "DELETE t FROM acc_level t JOIN acc_case c ON c.academy_id = t.academy_id AND c.id = "
    "t.case_id WHERE t.academy_id = ? AND c.enrolment_id BETWEEN ? AND ?",
    "DELETE FROM acc_case WHERE academy_id = ? AND enrolment_id BETWEEN ? AND ?",
    "DELETE FROM read_log WHERE academy_id = ? AND (subject_id BETWEEN ? AND ? "
    "OR reader_id BETWEEN ? AND ?)",
    /* the tutorat's rows */
    "DELETE d FROM document d JOIN followup f ON f.academy_id = d.academy_id AND f.id = "
    "d.followup_id WHERE d.academy_id = ? AND f.enrolment_id BETWEEN ? AND ?",
    "DELETE t FROM trace t JOIN followup f ON f.academy_id = t.academy_id AND f.id = "
    "t.followup_id WHERE t.academy_id = ? AND f.enrolment_id BETWEEN ? AND ?",
    "DELETE l FROM followup_level l JOIN followup f ON f.academy_id = l.academy_id AND f.id = "
    "l.followup_id WHERE l.academy_id = ? AND f.enrolment_id BETWEEN ? AND ?",
    "DELETE c FROM self_assessment_comment c JOIN self_assessment s ON s.academy_id = "
    "c.academy_id AND s.id = c.assessment_id WHERE c.academy_id = ? AND s.enrolment_id "
    "BETWEEN ? AND ?",
    "DELETE i FROM self_assessment_item i JOIN self_assessment s ON s.academy_id = "
    "i.academy_id AND s.id = i.assessment_id WHERE i.academy_id = ? AND s.enrolment_id "
    "BETWEEN ? AND ?",
    "DELETE i FROM bilan_item i JOIN bilan b ON b.academy_id = i.academy_id AND b.id = "
    "i.bilan_id WHERE i.academy_id = ? AND b.enrolment_id BETWEEN ? AND ?",
    "DELETE FROM followup WHERE academy_id = ? AND enrolment_id BETWEEN ? AND ?",
    "DELETE FROM self_assessment WHERE academy_id = ? AND enrolment_id BETWEEN ? AND ?",
    "DELETE FROM bilan WHERE academy_id = ? AND enrolment_id BETWEEN ? AND ?",
    "DELETE FROM result WHERE academy_id = ? AND enrolment_id BETWEEN ? AND ?",
    "DELETE FROM tutor_report WHERE academy_id = ? AND enrolment_id BETWEEN ? AND ?",
    "DELETE FROM trio_member WHERE academy_id = ? AND enrolment_id BETWEEN ? AND ?",
    "DELETE FROM enrolment_place WHERE academy_id = ? AND enrolment_id BETWEEN ? AND ?",
    "DELETE FROM enrolment WHERE academy_id = ? AND id BETWEEN ? AND ?",
    "DELETE FROM role_assignment WHERE academy_id = ? AND (person_id BETWEEN ? AND ? "
    "OR scope_id BETWEEN ? AND ?)",
    "DELETE FROM session WHERE academy_id = ? AND person_id BETWEEN ? AND ?",
    "DELETE FROM person WHERE academy_id = ? AND id BETWEEN ? AND ?",
    "DELETE FROM pole_circonscription WHERE academy_id = ? AND (pole_id BETWEEN ? AND ? "
    "OR circonscription_id BETWEEN ? AND ?)",
    /* Schools, then circonscriptions, then pôles and disciplines. */
    "DELETE FROM structure WHERE academy_id = ? AND id BETWEEN ? AND ? ORDER BY id DESC",
    /* the school year, when the académie had none */
    "DELETE FROM school_year WHERE academy_id = ? AND id BETWEEN ? AND ?",
};

static bool remove_earlier(struct gen *x)
{
	for (size_t i = 0; i < ARRAY_LEN(removal); i++) {
		bool two = strstr(removal[i], " OR ") != NULL;
		bool ok = two ? schema_exec(x->my, removal[i], NULL, x->err, x->errlen, "iiiii",
					    x->academy, GEN_ID_LO, GEN_ID_HI, GEN_ID_LO, GEN_ID_HI)
			      : schema_exec(x->my, removal[i], NULL, x->err, x->errlen, "iii",
					    x->academy, GEN_ID_LO, GEN_ID_HI);

		if (!ok)
			return false;
	}
	return true;
}

/* ---- reference data the generated rows hang on ---- */

static bool find_reference(struct gen *x)
{
	int64_t ids[64], years[1];
	size_t n;

	if (!select_ids(x, "SELECT id FROM school_year WHERE academy_id = ? AND current", years, 1,
			&n))
		return false;
	if (n == 0) {
		snprintf(x->err, x->errlen, "the académie has no current school year");
		return false;
	}
	x->year_id = years[0];
	if (!select_ids(x,
			"SELECT YEAR(starts_on) FROM school_year WHERE academy_id = ? AND current",
			ids, 1, &n) ||
	    n == 0)
		return false;
	x->year_start = (int)ids[0];
	if (!select_ids(x,
			"SELECT id FROM referentiel WHERE academy_id = ? AND current "
			"ORDER BY version DESC LIMIT 1",
			ids, 1, &n))
		return false;
	if (n == 0) {
		snprintf(x->err, x->errlen, "the académie has no current referentiel: migrate");
		return false;
	}
	x->referentiel_id = ids[0];
	/* Bilan items: the first common competences of the current framework. */
	if (!select_ids(x,
			"SELECT c.id FROM competence c JOIN referentiel r ON r.academy_id = "
			"c.academy_id AND r.id = c.referentiel_id AND r.current "
			"WHERE c.academy_id = ? AND c.family = 'common' "
			"ORDER BY r.version DESC, c.position LIMIT 5",
			x->common_competences, ARRAY_LEN(x->common_competences), &n))
		return false;
	x->departements = calloc(64, sizeof(int64_t));
	x->sites = calloc(64, sizeof(int64_t));
	if (x->departements == NULL || x->sites == NULL)
		abort();
	if (!select_ids(x,
			"SELECT id FROM structure WHERE academy_id = ? AND kind = 'departement' "
			"ORDER BY code, id",
			x->departements, 64, &x->n_departements) ||
	    !select_ids(x,
			"SELECT id FROM structure WHERE academy_id = ? AND kind = 'inspe_site' "
			"ORDER BY name, id",
			x->sites, 64, &x->n_sites))
		return false;
	return true;
}

/* ---- the plan ---- */

static void name_person(struct gen *x, struct gen_person *p, const char *prefix, size_t i)
{
	p->id = GEN_ID(ID_PERSON, x->next_person++);
	p->given = PICK(&x->g, given);
	p->family = PICK(&x->g, family);
	snprintf(p->username, sizeof(p->username), "gen.%s%05zu", prefix, i + 1);
}

/* The demo account `username` as the first tutor of its kind, if the
 * académie has it already; else an invented person takes the place. */
static bool demo_tutor(struct gen *x, struct gen_person *p, const char *username)
{
	MYSQL_STMT *st = mysql_stmt_init(x->my);
	static const char sql[] = "SELECT id FROM person WHERE academy_id = ? AND username = ?";
	MYSQL_BIND prm[2], res[1];
	long long a = x->academy, id = 0;
	unsigned long ulen = (unsigned long)strlen(username);
	bool ok;

	memset(prm, 0, sizeof(prm));
	memset(res, 0, sizeof(res));
	prm[0].buffer_type = MYSQL_TYPE_LONGLONG;
	prm[0].buffer = &a;
	prm[1].buffer_type = MYSQL_TYPE_STRING;
	prm[1].buffer = (void *)username;
	prm[1].buffer_length = ulen;
	prm[1].length = &ulen;
	res[0].buffer_type = MYSQL_TYPE_LONGLONG;
	res[0].buffer = &id;
	ok = st != NULL && mysql_stmt_prepare(st, sql, sizeof(sql) - 1) == 0 &&
	     mysql_stmt_bind_param(st, prm) == 0 && mysql_stmt_execute(st) == 0 &&
	     mysql_stmt_bind_result(st, res) == 0 && mysql_stmt_store_result(st) == 0;
	if (ok && mysql_stmt_fetch(st) == 0) {
		p->id = id;
		p->existing = true;
	} else if (ok) {
		/* Not logged in yet: the row is ours, with the demo username, so
		 * that the first login takes it over. */
		snprintf(p->username, sizeof(p->username), "%s", username);
	}
	if (!ok)
		snprintf(x->err, x->errlen, "person lookup: %s",
			 st != NULL ? mysql_stmt_error(st) : "out of memory");
	if (st != NULL)
		mysql_stmt_close(st);
	return ok;
}

static bool plan(struct gen *x)
{
	size_t n = x->n_trainees, per_circ;

	x->n_circ = n / 100 > 2 ? n / 100 : 2;
	x->n_poles = (x->n_circ + 2) / 3;
	x->n_schools = n / 8 > x->n_circ * 3 ? n / 8 : x->n_circ * 3;
	per_circ = x->n_schools / x->n_circ; /* 3 or more: collège or lycée, then two écoles */
	x->n_terrain = n / 3 > 1 ? n / 3 : 1;
	x->n_inspe = n / 10 > 1 ? n / 10 : 1;
	x->trainees = calloc(n + 1, sizeof(*x->trainees));
	x->terrain = calloc(x->n_terrain, sizeof(*x->terrain));
	x->inspe = calloc(x->n_inspe, sizeof(*x->inspe));
	x->enrolments = calloc(n + 1, sizeof(*x->enrolments));
	if (x->trainees == NULL || x->terrain == NULL || x->inspe == NULL || x->enrolments == NULL)
		abort();
	for (size_t i = 0; i < x->n_terrain; i++)
		name_person(x, &x->terrain[i], "tt", i);
	for (size_t i = 0; i < x->n_inspe; i++)
		name_person(x, &x->inspe[i], "ti", i);
	if (!demo_tutor(x, &x->terrain[0], "tuteur.terrain1") ||
	    !demo_tutor(x, &x->inspe[0], "tuteur.inspe1"))
		return false;
	for (size_t i = 0; i < n; i++) {
		struct gen_enrolment *e = &x->enrolments[i];
		unsigned p = (unsigned)rnd(&x->g, 100);

		name_person(x, &x->trainees[i], "st", i);
		e->trainee = i;
		e->terrain = rnd(&x->g, x->n_terrain);
		e->inspe = rnd(&x->g, x->n_inspe);
		/* The demo tutors get a handful each, whatever the size. */
		if (i < 6)
			e->terrain = e->inspe = 0;
		e->parcours = p < 50 ? "M2A" : p < 80 ? "DU" : "M2B";
		e->renouvellement = strcmp(e->parcours, "DU") == 0 && chance(&x->g, 15);
		/* M2B is a 2nd degré parcours. */
		e->degre = strcmp(e->parcours, "M2B") != 0 && chance(&x->g, 60) ? 1 : 2;
		e->category = "professeur";
		e->pole = e->discipline = SIZE_MAX;
		e->site = x->n_sites > 0 ? rnd(&x->g, x->n_sites) : SIZE_MAX;
		if (e->degre == 1) {
			e->pole = rnd(&x->g, x->n_poles);
			/* An école of a circonscription of its pôle (circonscription
			 * c is in pôle c / 3; school s in circonscription s % n_circ). */
			for (size_t k = 0; k < 2; k++) {
				size_t c = e->pole * 3 + rnd(&x->g, 3);

				if (c >= x->n_circ)
					c = e->pole * 3;
				e->school[k] = c + x->n_circ * (3 * rnd(&x->g, per_circ / 3) + 1 +
								rnd(&x->g, 2));
				e->class_label[k] = PICK(&x->g, classes_1d);
			}
		} else {
			unsigned c = (unsigned)rnd(&x->g, 100);

			e->discipline = c < 5 ? DISC_CPE : c < 10 ? DISC_DOC : rnd(&x->g, 10);
			e->category = c < 5 ? "cpe" : c < 10 ? "documentaliste" : "professeur";
			for (size_t k = 0; k < 2; k++) {
				e->school[k] = rnd(&x->g, x->n_circ) +
					       x->n_circ * 3 * rnd(&x->g, per_circ / 3);
				e->class_label[k] = PICK(&x->g, classes_2d);
			}
		}
		e->n_places = chance(&x->g, 10) && e->school[1] != e->school[0] ? 2 : 1;
	}
	return true;
}

/* ---- writing ---- */

static bool write_structures(struct gen *x)
{
	struct batch *b = batch_new(
	    x,
	    "INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) "
	    "VALUES",
	    7);
	struct batch *pc = batch_new(
	    x, "INSERT INTO pole_circonscription (academy_id, pole_id, circonscription_id) VALUES",
	    3);
	bool ok = true;
	char name[200], code[32];

	/* Pôles and circonscriptions: each in a département of the académie
	 * (none: at the top). */
	for (size_t i = 0; ok && i < x->n_poles; i++) {
		int64_t dep = x->n_departements > 0 ? x->departements[i % x->n_departements] : 0;

		snprintf(name, sizeof(name), "Pôle %s %zu", towns[i % ARRAY_LEN(towns)],
			 i / ARRAY_LEN(towns) + 1);
		put_int(b, x->academy), put_int(b, pole_id(i)), put_raw(b, "pole"),
		    put_raw(b, NULL), put_raw(b, name), put_ref(b, dep), put_raw(b, "1");
		ok = row_done(b);
	}
	for (size_t i = 0; ok && i < ARRAY_LEN(disciplines); i++) {
		put_int(b, x->academy), put_int(b, discipline_id(i)), put_raw(b, "discipline"),
		    put_raw(b, disciplines[i].code), put_raw(b, disciplines[i].name),
		    put_raw(b, NULL), put_raw(b, "1");
		ok = row_done(b);
	}
	for (size_t i = 0; ok && i < x->n_circ; i++) {
		int64_t dep =
		    x->n_departements > 0 ? x->departements[(i / 3) % x->n_departements] : 0;

		snprintf(name, sizeof(name), "%s %zu", towns[(i / 3) % ARRAY_LEN(towns)],
			 i % 3 + 1);
		put_int(b, x->academy), put_int(b, circ_id(i)), put_raw(b, "circonscription"),
		    put_raw(b, NULL), put_raw(b, name), put_ref(b, dep), put_raw(b, "1");
		ok = row_done(b);
	}
	for (size_t i = 0; ok && i < x->n_schools; i++) {
		bool college = (i / x->n_circ) % 3 == 0;

		snprintf(name, sizeof(name), "%s %s, %s",
			 college ? (i % 2 ? "Lycée" : "Collège") : "École élémentaire",
			 school_names[(i / 3) % ARRAY_LEN(school_names)],
			 towns[(i / 7) % ARRAY_LEN(towns)]);
		snprintf(code, sizeof(code), "G%07zu", i + 1);
		put_int(b, x->academy), put_int(b, school_id(i)), put_raw(b, "school"),
		    put_raw(b, code), put_raw(b, name), put_int(b, circ_id(i % x->n_circ)),
		    put_raw(b, "1");
		ok = row_done(b);
	}
	ok = ok && flush(b);
	for (size_t i = 0; ok && i < x->n_circ; i++) {
		put_int(pc, x->academy), put_int(pc, pole_id(i / 3)), put_int(pc, circ_id(i));
		ok = row_done(pc);
	}
	ok = ok && flush(pc);
	batch_free(b);
	batch_free(pc);
	return ok;
}

static bool person_row(struct gen *x, struct batch *b, const struct gen_person *p,
		       const char *domain)
{
	char display[200], email[254];

	if (p->existing)
		return true;
	snprintf(display, sizeof(display), "%s %s", p->given, p->family);
	snprintf(email, sizeof(email), "%s@%s", p->username, domain);
	put_int(b, x->academy), put_int(b, p->id), put_raw(b, p->username), put_raw(b, display),
	    put_raw(b, p->given), put_raw(b, p->family), put_raw(b, email),
	    put_raw(b, "2026-09-01 08:00:00"), put_raw(b, "2026-09-01 08:00:00");
	return row_done(b);
}

static bool role_row(struct gen *x, struct batch *b, int64_t person, const char *role,
		     const char *scope_kind, int64_t scope, const char *source)
{
	put_int(b, x->academy), put_int(b, GEN_ID(ID_ROLE, x->next_role++)), put_int(b, person),
	    put_raw(b, role), put_raw(b, scope_kind), put_ref(b, scope), put_raw(b, source),
	    put_raw(b, "2026-09-01 08:00:00");
	return row_done(b);
}

/* The people of the trios, and the IEN, pilotes and IA-IPR of the
 * generated structures, with their roles. */
static bool write_people(struct gen *x)
{
	struct batch *b =
	    batch_new(x,
		      "INSERT INTO person (academy_id, id, username, display_name, "
		      "given_name, family_name, email, created_at, updated_at) VALUES",
		      9);
	struct batch *ra =
	    batch_new(x,
		      "INSERT INTO role_assignment (academy_id, id, person_id, role, "
		      "scope_kind, scope_id, source, created_at) VALUES",
		      8);
	const char *dom = "ac-generated.example";
	size_t n_staff = x->n_circ + x->n_poles + 10;
	struct gen_person *staff = calloc(n_staff, sizeof(*staff));
	bool ok = true;

	if (staff == NULL)
		abort();
	for (size_t i = 0; ok && i < x->n_trainees; i++)
		ok = person_row(x, b, &x->trainees[i], dom) &&
		     role_row(x, ra, x->trainees[i].id, "stagiaire", "academy", 0, "ldap");
	for (size_t i = 0; ok && i < x->n_terrain; i++)
		ok = person_row(x, b, &x->terrain[i], dom) &&
		     (x->terrain[i].existing ||
		      role_row(x, ra, x->terrain[i].id, "tuteur_terrain", "academy", 0, "ldap"));
	for (size_t i = 0; ok && i < x->n_inspe; i++)
		ok = person_row(x, b, &x->inspe[i], dom) &&
		     (x->inspe[i].existing ||
		      role_row(x, ra, x->inspe[i].id, "tuteur_inspe", "academy", 0, "ldap"));
	x->iens = calloc(x->n_circ, sizeof(*x->iens));
	x->pilots = calloc(x->n_poles, sizeof(*x->pilots));
	if (x->iens == NULL || x->pilots == NULL)
		abort();
	for (size_t i = 0; ok && i < n_staff; i++) {
		struct gen_person *p = &staff[i];

		name_person(x, p, "pi", i);
		ok = person_row(x, b, p, dom);
		if (i < x->n_circ)
			x->iens[i] = p->id;
		else if (i < x->n_circ + x->n_poles)
			x->pilots[i - x->n_circ] = p->id;
		if (i < x->n_circ)
			ok = ok &&
			     role_row(x, ra, p->id, "ien", "circonscription", circ_id(i), "local");
		else if (i < x->n_circ + x->n_poles)
			ok = ok && role_row(x, ra, p->id, "pilote_pole", "pole",
					    pole_id(i - x->n_circ), "local");
		else
			ok = ok && role_row(x, ra, p->id, "ia_ipr", "discipline",
					    discipline_id(i - x->n_circ - x->n_poles), "local");
	}
	/* The cellule d'accompagnement (bureau des stages) of the generated
	 * rows, and the demo IEN as the pilot of the first pôle, so that a
	 * pôle's dashboard of generated data can be opened and measured. */
	if (ok) {
		struct gen_person bureau = {.id = GEN_ID(ID_PERSON, x->next_person++),
					    .username = "gen.bs00001",
					    .given = "Hélène",
					    .family = "Garnier"};
		struct gen_person ien = {.id = GEN_ID(ID_PERSON, x->next_person++),
					 .given = "Patrick",
					 .family = "Caron"};

		x->bureau = bureau.id;
		ok = person_row(x, b, &bureau, dom) &&
		     role_row(x, ra, bureau.id, "bureau_stages", "academy", 0, "local") &&
		     demo_tutor(x, &ien, "ien1") && person_row(x, b, &ien, dom) &&
		     role_row(x, ra, ien.id, "pilote_pole", "pole", pole_id(0), "local");
	}
	ok = ok && flush(b);
	ok = ok && flush(ra);
	free(staff);
	batch_free(b);
	batch_free(ra);
	return ok;
}

static bool write_enrolments(struct gen *x)
{
	struct batch *b = batch_new(
	    x,
	    "INSERT INTO enrolment (academy_id, id, year_id, trainee_id, parcours, degre, "
	    "category, "
	    "discipline_id, pole_id, inspe_site_id, renouvellement, referentiel_id, inspe_hours, "
	    "created_at, version, dossier_version) VALUES",
	    16);
	struct batch *pl = batch_new(x,
				     "INSERT INTO enrolment_place (academy_id, id, enrolment_id, "
				     "school_id, class_label) VALUES",
				     5);
	struct batch *tm = batch_new(x,
				     "INSERT INTO trio_member (academy_id, id, enrolment_id, "
				     "person_id, role, started_at) VALUES",
				     6);
	bool ok = true;
	char started[32];

	day_str(started, sizeof(started), x->year_start, 1, 10);
	for (size_t i = 0; ok && i < x->n_trainees; i++) {
		const struct gen_enrolment *e = &x->enrolments[i];

		put_int(b, x->academy), put_int(b, GEN_ID(ID_ENROLMENT, i)), put_int(b, x->year_id),
		    put_int(b, x->trainees[e->trainee].id), put_raw(b, e->parcours),
		    put_int(b, e->degre), put_raw(b, e->category),
		    put_ref(b, e->discipline != SIZE_MAX ? discipline_id(e->discipline) : 0),
		    put_ref(b, e->pole != SIZE_MAX ? pole_id(e->pole) : 0),
		    put_ref(b, e->site != SIZE_MAX ? x->sites[e->site] : 0),
		    put_raw(b, e->renouvellement ? "1" : "0"), put_int(b, x->referentiel_id),
		    put_raw(b, e->renouvellement ? "7.0" : "5.0"), put_raw(b, started),
		    put_raw(b, "1"), put_raw(b, "1");
		ok = row_done(b);
	}
	ok = ok && flush(b);
	for (size_t i = 0; ok && i < x->n_trainees; i++) {
		const struct gen_enrolment *e = &x->enrolments[i];

		for (size_t k = 0; ok && k < e->n_places; k++) {
			put_int(pl, x->academy), put_int(pl, GEN_ID(ID_PLACE, 2 * i + k)),
			    put_int(pl, GEN_ID(ID_ENROLMENT, i)),
			    put_int(pl, school_id(e->school[k])), put_raw(pl, e->class_label[k]);
			ok = row_done(pl);
		}
		put_int(tm, x->academy), put_int(tm, GEN_ID(ID_TRIO, 2 * i)),
		    put_int(tm, GEN_ID(ID_ENROLMENT, i)), put_int(tm, x->terrain[e->terrain].id),
		    put_raw(tm, "tuteur_terrain"), put_raw(tm, started);
		ok = ok && row_done(tm);
		put_int(tm, x->academy), put_int(tm, GEN_ID(ID_TRIO, 2 * i + 1)),
		    put_int(tm, GEN_ID(ID_ENROLMENT, i)), put_int(tm, x->inspe[e->inspe].id),
		    put_raw(tm, "tuteur_inspe"), put_raw(tm, started);
		ok = ok && row_done(tm);
	}
	ok = ok && flush(pl) && flush(tm);
	batch_free(b);
	batch_free(pl);
	batch_free(tm);
	return ok;
}

static int cmp_int(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }

/* About five follow-up times per trainee, in the order of their dates:
 * those before 1 December held or debriefed (or cancelled), with the
 * trainee's feedback and the tutors' trace; the later ones planned. */
static bool write_followups(struct gen *x)
{
	struct batch *f = batch_new(
	    x,
	    "INSERT INTO followup (academy_id, id, enrolment_id, kind, state, scheduled_at, "
	    "place_id, with_terrain, with_inspe, points_to_observe, observation_notes, "
	    "analyses, points_appui, axes_evolution, priorities, cancel_reason, created_by, "
	    "created_at, updated_at, version) VALUES",
	    20);
	struct batch *t = batch_new(x,
				    "INSERT INTO trace (academy_id, id, followup_id, author, "
				    "retained, axes, body, published_at, last_editor_id, "
				    "updated_at, version) VALUES",
				    11);
	static const int cutoff = GEN_TODAY;

	t->parent = f;
	size_t n_followups = 0;
	bool ok = true;

	for (size_t i = 0; ok && i < x->n_trainees; i++) {
		const struct gen_enrolment *e = &x->enrolments[i];
		bool m2b = strcmp(e->parcours, "M2B") == 0;
		size_t k = 3 + rnd(&x->g, 5);
		int days[8];
		int64_t trainee = x->trainees[e->trainee].id;
		int64_t terrain = x->terrain[e->terrain].id, inspe = x->inspe[e->inspe].id;

		for (size_t j = 0; j < k; j++)
			days[j] = 13 + (int)rnd(&x->g, 260); /* mid-September to early June */
		qsort(days, k, sizeof(days[0]), cmp_int);
		for (size_t j = 0; ok && j < k; j++) {
			static const char *const kinds[] = {"visit",	       "visit",
							    "visit",	       "interview",
							    "working_session", "peer_observation"};
			static const char *const kinds_m2b[] = {"point_etape", "visite_conseil",
								"interview"};
			const char *kind = m2b ? PICK(&x->g, kinds_m2b) : PICK(&x->g, kinds);
			bool visit =
			    strcmp(kind, "visit") == 0 || strcmp(kind, "visite_conseil") == 0;
			bool past = days[j] < cutoff, cancelled = chance(&x->g, 6);
			const char *state = cancelled ? "cancelled"
					    : !past   ? (chance(&x->g, 30) ? "prepared" : "planned")
					    : chance(&x->g, 80) ? "debriefed"
								: "held";
			bool joint = !m2b && chance(&x->g, 40);
			bool terrain_side = joint || (!m2b && chance(&x->g, 60));
			bool done = strcmp(state, "held") == 0 || strcmp(state, "debriefed") == 0;
			bool debriefed = strcmp(state, "debriefed") == 0;
			int64_t id = GEN_ID(ID_FOLLOWUP, n_followups++);
			char at[32], created[32], after[32], later[32];

			day_str(at, sizeof(at), x->year_start, days[j], 8 + (int)rnd(&x->g, 9));
			day_str(created, sizeof(created), x->year_start,
				days[j] > 20 ? days[j] - 14 : 5, 18);
			day_str(after, sizeof(after), x->year_start, days[j] + 1, 19);
			day_str(later, sizeof(later), x->year_start, days[j] + 3, 12);
			put_int(f, x->academy), put_int(f, id), put_int(f, GEN_ID(ID_ENROLMENT, i)),
			    put_raw(f, kind), put_raw(f, state), put_raw(f, at),
			    put_ref(f,
				    visit ? GEN_ID(ID_PLACE, 2 * i + rnd(&x->g, e->n_places)) : 0),
			    put_raw(f, terrain_side ? "1" : "0"),
			    put_raw(f, joint || !terrain_side ? "1" : "0"),
			    put_raw(f, strcmp(state, "planned") != 0 && !cancelled
					   ? PICK(&x->g, axes)
					   : NULL),
			    put_raw(f, done ? PICK(&x->g, notes) : NULL),
			    put_raw(f, debriefed ? PICK(&x->g, notes) : NULL),
			    put_raw(f, debriefed ? "Préparation soignée des séances." : NULL),
			    put_raw(f, debriefed ? PICK(&x->g, axes) : NULL),
			    put_raw(f, debriefed ? PICK(&x->g, retained) : NULL),
			    put_raw(f, cancelled ? "Stagiaire en formation à l'INSPÉ ce jour-là."
						 : NULL),
			    put_int(f, terrain_side ? terrain : inspe), put_raw(f, created),
			    put_raw(f, done ? later : created), put_raw(f, "1");
			ok = row_done(f);
			if (!ok || !done || cancelled)
				continue;
			bool published = chance(&x->g, 80);

			put_int(t, x->academy), put_int(t, GEN_ID(ID_TRACE, x->next_trace++)),
			    put_int(t, id), put_raw(t, "trainee"),
			    put_raw(t, PICK(&x->g, retained)), put_raw(t, PICK(&x->g, axes)),
			    put_raw(t, NULL), put_raw(t, published ? after : NULL),
			    put_int(t, trainee), put_raw(t, after), put_raw(t, "1");
			ok = row_done(t);
			if (!ok || !debriefed)
				continue;
			put_int(t, x->academy), put_int(t, GEN_ID(ID_TRACE, x->next_trace++)),
			    put_int(t, id), put_raw(t, "tutors"), put_raw(t, NULL),
			    put_raw(t, NULL), put_raw(t, PICK(&x->g, notes)),
			    put_raw(t, published && chance(&x->g, 70) ? later : NULL),
			    put_int(t, terrain_side ? terrain : inspe), put_raw(t, later),
			    put_raw(t, "1");
			ok = row_done(t);
		}
	}
	ok = ok && flush(t);
	batch_free(f);
	batch_free(t);
	return ok;
}

/* An intermediate bilan for three trainees in four (frozen for two in
 * five of those), a final one in progress for one in ten. */
static bool write_bilans(struct gen *x)
{
	struct batch *b = batch_new(
	    x,
	    "INSERT INTO bilan (academy_id, id, enrolment_id, kind, revision, referentiel_id, "
	    "due_on, validated_terrain_by, validated_terrain_at, validated_inspe_by, "
	    "validated_inspe_at, frozen_at, created_at, version) VALUES",
	    14);
	struct batch *it = batch_new(x,
				     "INSERT INTO bilan_item (academy_id, bilan_id, competence_id, "
				     "level_rank, comment) VALUES",
				     5);
	size_t n = 0;
	bool ok = true;
	char due[32], created[32], validated[32], due_final[32];

	it->parent = b;
	day_str(due, sizeof(due), x->year_start, 128, 0);	      /* early January */
	day_str(due_final, sizeof(due_final), x->year_start, 241, 0); /* end of April */
	day_str(created, sizeof(created), x->year_start, 80, 10);
	day_str(validated, sizeof(validated), x->year_start, 88, 17);
	due[10] = due_final[10] = '\0';
	for (size_t i = 0; ok && i < x->n_trainees; i++) {
		const struct gen_enrolment *e = &x->enrolments[i];
		int64_t terrain = x->terrain[e->terrain].id, inspe = x->inspe[e->inspe].id;

		for (int final = 0; ok && final < 2; final++) {
			bool frozen = !final && chance(&x->g, 40);
			int64_t id;

			if (!chance(&x->g, final ? 10 : 75))
				continue;
			id = GEN_ID(ID_BILAN, n++);
			put_int(b, x->academy), put_int(b, id), put_int(b, GEN_ID(ID_ENROLMENT, i)),
			    put_raw(b, final ? "final" : "intermediaire"), put_raw(b, "1"),
			    put_int(b, x->referentiel_id), put_raw(b, final ? due_final : due),
			    put_ref(b, frozen ? terrain : 0), put_raw(b, frozen ? validated : NULL),
			    put_ref(b, frozen ? inspe : 0), put_raw(b, frozen ? validated : NULL),
			    put_raw(b, frozen ? validated : NULL), put_raw(b, created),
			    put_raw(b, frozen ? "3" : "2");
			ok = row_done(b);
			for (size_t c = 0; ok && c < ARRAY_LEN(x->common_competences); c++) {
				if (x->common_competences[c] == 0)
					continue;
				put_int(it, x->academy), put_int(it, id),
				    put_int(it, x->common_competences[c]),
				    put_int(it, 1 + (int64_t)rnd(&x->g, 4)),
				    put_raw(it, c == 0 ? PICK(&x->g, notes) : NULL);
				ok = row_done(it);
			}
		}
	}
	ok = ok && flush(it);
	batch_free(b);
	batch_free(it);
	return ok;
}

/* ---- the other modules: accompaniment, meetings, contracts, SOPA, réseau ---- */

#define DAY_MEETING_1 42  /* 13 October: pôle meeting N°1 */
#define DAY_MEETING_2 128 /* 7 January: N°2 */
#define DAY_MEETING_3 217 /* 6 April: N°3 */

/* A date (YYYY-MM-DD) of the generated year. */
static void date_str(char *out, size_t n, int year, int day)
{
	char t[32];

	day_str(t, sizeof(t), year, day, 0);
	if (n < 11)
		abort();
	memcpy(out, t, 10);
	out[10] = '\0';
}

/* Runs a SELECT with the académie as its only parameter: up to max rows of
 * n_cols integer columns into out, row after row (NULL reads 0). */
static bool select_rows(struct gen *x, const char *sql, size_t n_cols, long long *out, size_t max,
			size_t *n)
{
	MYSQL_STMT *st = mysql_stmt_init(x->my);
	MYSQL_BIND p[1], res[8];
	long long a = x->academy, v[8];
	my_bool nul[8];
	bool ok;

	if (n_cols > ARRAY_LEN(res))
		abort();
	memset(p, 0, sizeof(p));
	memset(res, 0, sizeof(res));
	p[0].buffer_type = MYSQL_TYPE_LONGLONG;
	p[0].buffer = &a;
	for (size_t c = 0; c < n_cols; c++) {
		res[c].buffer_type = MYSQL_TYPE_LONGLONG;
		res[c].buffer = &v[c];
		res[c].is_null = &nul[c];
	}
	*n = 0;
	ok = st != NULL && mysql_stmt_prepare(st, sql, (unsigned long)strlen(sql)) == 0 &&
	     mysql_stmt_bind_param(st, p) == 0 && mysql_stmt_execute(st) == 0 &&
	     mysql_stmt_bind_result(st, res) == 0 && mysql_stmt_store_result(st) == 0;
	while (ok && mysql_stmt_fetch(st) == 0) {
		if (*n >= max)
			continue;
		for (size_t c = 0; c < n_cols; c++)
			out[*n * n_cols + c] = nul[c] ? 0 : v[c];
		(*n)++;
	}
	if (!ok)
		snprintf(x->err, x->errlen, "%.60s: %s", sql,
			 st != NULL ? mysql_stmt_error(st) : "out of memory");
	if (st != NULL)
		mysql_stmt_close(st);
	return ok;
}

/*
 * An académie added for the benchmark has no school year, département or
 * INSPÉ site yet (the demo data fills only the demo académies): make them,
 * as generated rows, so that the rest hangs on them. The current year is
 * the one of today's date.
 */
static bool ensure_reference(struct gen *x)
{
	int64_t ids[1];
	size_t n;
	bool ok = true;

	if (!select_ids(x, "SELECT id FROM school_year WHERE academy_id = ? AND current", ids, 1,
			&n))
		return false;
	if (n == 0) {
		time_t now = time(NULL);
		struct tm t;
		char label[32], starts[32], ends[32];
		int y;

		gmtime_r(&now, &t);
		y = t.tm_year + 1900 - (t.tm_mon < 8 ? 1 : 0);
		snprintf(label, sizeof(label), "%d-%d", y, y + 1);
		snprintf(starts, sizeof(starts), "%d-09-01", y);
		snprintf(ends, sizeof(ends), "%d-07-03", y + 1);
		ok = schema_exec(
		    x->my,
		    "INSERT INTO school_year (academy_id, id, label, starts_on, ends_on, "
		    "current, version) VALUES (?, ?, ?, ?, ?, TRUE, 1)",
		    NULL, x->err, x->errlen, "iisss", x->academy, GEN_SUB(SUB_YEAR, 0), label,
		    starts, ends);
	}
	if (ok &&
	    !select_ids(x,
			"SELECT id FROM structure WHERE academy_id = ? AND kind = 'departement' "
			"LIMIT 1",
			ids, 1, &n))
		return false;
	for (size_t i = 0; ok && n == 0 && i < 3; i++) {
		char code[8], name[64];

		snprintf(code, sizeof(code), "G%zu", i + 1);
		snprintf(name, sizeof(name), "Département %s", towns[i * 5]);
		ok = schema_exec(
		    x->my,
		    "INSERT INTO structure (academy_id, id, kind, code, name, parent_id, "
		    "version) VALUES (?, ?, 'departement', ?, ?, NULL, 1)",
		    NULL, x->err, x->errlen, "iiss", x->academy, GEN_ID(ID_STRUCTURE, 30 + i), code,
		    name);
		x->departements_made++;
	}
	if (ok &&
	    !select_ids(x,
			"SELECT id FROM structure WHERE academy_id = ? AND kind = 'inspe_site' "
			"LIMIT 1",
			ids, 1, &n))
		return false;
	for (size_t i = 0; ok && n == 0 && i < 2; i++) {
		char name[64];

		snprintf(name, sizeof(name), "INSPÉ – site de %s", towns[i * 5]);
		ok = schema_exec(
		    x->my,
		    "INSERT INTO structure (academy_id, id, kind, code, name, parent_id, "
		    "version) VALUES (?, ?, 'inspe_site', NULL, ?, NULL, 1)",
		    NULL, x->err, x->errlen, "iis", x->academy, GEN_ID(ID_STRUCTURE, 40 + i), name);
		x->sites_made++;
	}
	return ok;
}

/* Who has a case, a fiche, a contract: drawn after every tutorat row, so
 * that those stay what the same seed gave before. About one trainee in
 * ten has a case (every trainee en renouvellement, at level 1 from the
 * start of the year); the levels now: 1 for about half, 2 for a third, 3
 * for the rest. */
static void plan_modules(struct gen *x)
{
	for (size_t i = 0; i < x->n_trainees; i++) {
		struct gen_enrolment *e = &x->enrolments[i];
		unsigned l = (unsigned)rnd(&x->g, 100);

		e->acc_level = 0;
		e->pz_status = -1;
		e->early_visit = chance(&x->g, 75);
		if (e->renouvellement || chance(&x->g, 8)) {
			e->acc_level = l < 55 ? 1 : l < 85 ? 2 : 3;
			e->acc_closed = e->acc_level == 1 && chance(&x->g, 15);
		}
		if (e->acc_level >= 2 || chance(&x->g, 3)) {
			unsigned z = (unsigned)rnd(&x->g, 100);

			e->pz_status = z < 30 ? 0 : z < 60 ? 1 : z < 90 ? 2 : 3;
		}
		e->contract = e->degre == 1 && e->pole != SIZE_MAX &&
			      (e->acc_level == 3 || (e->acc_level == 2 && chance(&x->g, 30)));
		e->requested = chance(&x->g, 3) || (e->acc_level >= 2 && chance(&x->g, 40));
	}
}

static const char *const pz_statuses[] = {"draft", "sent", "agreed", "refused"};
static const char *const difficulties_text[] = {
    "Consignes de sécurité peu rappelées lors des déplacements.",
    "Retards répétés aux réunions de l'équipe.",
    "Classe agitée en fin de journée ; règles peu explicites.",
    "Échanges difficiles après les visites.",
    "Séances peu préparées ; objectifs absents du cahier journal."};
static const char *const support_text[] = {
    "Deux visites supplémentaires du tuteur terrain.", "Observation d'une classe de même niveau.",
    "Atelier de remédiation « gestion de classe ».", "Entretien avec l'IEN de circonscription."};

/* The cases, their levels over the year (each period closed by a bilan
 * moving it up, the last one open or ended) and the fiche de suivi from
 * level 2. */
static bool write_accompaniment(struct gen *x)
{
	struct batch *c = batch_new(x,
				    "INSERT INTO acc_case (academy_id, id, enrolment_id, level, "
				    "opened_at, opened_by, closed_at, closed_by, version) VALUES",
				    9);
	struct batch *l =
	    batch_new(x,
		      "INSERT INTO acc_level (academy_id, id, case_id, level, starts_on, ends_on, "
		      "opened_at, opened_by, reason, closed_at, closed_by, outcome, bilan) VALUES",
		      13);
	struct batch *en =
	    batch_new(x,
		      "INSERT INTO acc_entry (academy_id, id, case_id, level, kind, "
		      "happened_on, body, corrects_id, author_id, written_at) VALUES",
		      10);
	size_t n_cases = 0, n_levels = 0, n_entries = 0;
	bool ok = true;

	l->parent = c;
	en->parent = c;
	for (size_t i = 0; ok && i < x->n_trainees; i++) {
		const struct gen_enrolment *e = &x->enrolments[i];
		int64_t terrain = x->terrain[e->terrain].id, inspe = x->inspe[e->inspe].id;
		int path[3], np = 0, open_day, gap;
		int64_t id;
		char opened[32], closed[32];

		if (e->acc_level == 0)
			continue;
		/* Up one level at a time, from 1 or 2. */
		for (int lv = e->acc_level > 1 && chance(&x->g, 40) ? 2 : 1; lv <= e->acc_level;
		     lv++)
			path[np++] = lv;
		open_day = e->renouvellement ? 1 : 25 + (int)rnd(&x->g, 35);
		gap = (GEN_TODAY - 5 - open_day) / np;
		id = GEN_SUB(SUB_CASE, n_cases++);
		day_str(opened, sizeof(opened), x->year_start, open_day, 10);
		day_str(closed, sizeof(closed), x->year_start, GEN_TODAY - 3, 16);
		put_int(c, x->academy), put_int(c, id), put_int(c, GEN_ID(ID_ENROLMENT, i)),
		    put_int(c, e->acc_level), put_raw(c, opened), put_int(c, inspe),
		    put_raw(c, e->acc_closed ? closed : NULL),
		    put_ref(c, e->acc_closed ? inspe : 0), put_int(c, np + (e->acc_closed ? 1 : 0));
		ok = row_done(c);
		for (int k = 0; ok && k < np; k++) {
			int start = open_day + k * gap;
			bool last = k == np - 1, shut = !last || e->acc_closed;
			char at[32], end_at[32], starts[16], ends[16];

			day_str(at, sizeof(at), x->year_start, start, 10);
			day_str(end_at, sizeof(end_at), x->year_start,
				last ? GEN_TODAY - 3 : start + gap, 16);
			date_str(starts, sizeof(starts), x->year_start, start);
			date_str(ends, sizeof(ends), x->year_start, start + 42);
			put_int(l, x->academy), put_int(l, GEN_SUB(SUB_LEVEL, n_levels++)),
			    put_int(l, id), put_int(l, path[k]), put_raw(l, starts),
			    put_raw(l, ends), put_raw(l, at), put_int(l, k == 0 ? inspe : terrain),
			    put_raw(l, PICK(&x->g, difficulties_text)),
			    put_raw(l, shut ? end_at : NULL), put_ref(l, shut ? inspe : 0),
			    put_raw(l, !shut  ? NULL
				       : last ? "end"
					      : "up"),
			    put_raw(l, shut ? "Bilan de la période fait avec le stagiaire." : NULL);
			ok = row_done(l);
			if (path[k] < 2)
				continue;
			/* The fiche de suivi: the difficulty, then dated actions; the
			 * alert at level 3. */
			static const char *const kinds[] = {"difficulty", "action_tutorat",
							    "action_inspe", "action_school"};
			for (size_t j = 0; ok && j < (path[k] == 3 ? 5 : 3); j++) {
				const char *kind = j < 4 ? kinds[j] : "alert";
				char on[16], written[32];

				date_str(on, sizeof(on), x->year_start, start + 2 + (int)j * 3);
				day_str(written, sizeof(written), x->year_start,
					start + 2 + (int)j * 3, 18);
				put_int(en, x->academy),
				    put_int(en, GEN_SUB(SUB_ENTRY, n_entries++)), put_int(en, id),
				    put_int(en, path[k]), put_raw(en, kind), put_raw(en, on),
				    put_raw(en, j == 0 ? PICK(&x->g, difficulties_text)
						       : PICK(&x->g, support_text)),
				    put_raw(en, NULL), put_int(en, j % 2 ? terrain : inspe),
				    put_raw(en, written);
				ok = row_done(en);
			}
		}
	}
	ok = ok && flush(l) && flush(en);
	batch_free(c);
	batch_free(l);
	batch_free(en);
	return ok;
}

static int64_t meeting_id(size_t pole, int number)
{
	return GEN_SUB(SUB_MEETING, 3 * pole + (size_t)(number - 1));
}

/* The pôle's meeting N°2 has its list ready in one pôle in two; N°3 is
 * ahead everywhere. */
static bool list_ready_2(size_t pole) { return pole % 2 == 0; }

/* Per pôle its three meetings (N°1 held), their participants, the review
 * lists of N°1 and of a ready N°2 with the signals that put each trainee
 * there, the decisions of N°1, the tutors' requests for a review. */
static bool write_meetings(struct gen *x)
{
	struct batch *m = batch_new(
	    x,
	    "INSERT INTO pole_meeting (academy_id, id, year_id, number, scope_kind, scope_id, "
	    "held_on, status, created_by, created_at, ready_at, held_at, version) VALUES",
	    13);
	struct batch *pp = batch_new(x,
				     "INSERT INTO pole_meeting_participant (academy_id, id, "
				     "meeting_id, person_id) VALUES",
				     4);
	struct batch *rv = batch_new(x,
				     "INSERT INTO pole_meeting_review (academy_id, id, meeting_id, "
				     "enrolment_id, signals) VALUES",
				     5);
	struct batch *d =
	    batch_new(x,
		      "INSERT INTO pole_meeting_decision (academy_id, id, meeting_id, "
		      "enrolment_id, decision, note, decided_by, decided_at) VALUES",
		      8);
	struct batch *rq = batch_new(x,
				     "INSERT INTO review_request (academy_id, id, enrolment_id, "
				     "requested_by, reason, created_at) VALUES",
				     6);
	static const int days[] = {DAY_MEETING_1, DAY_MEETING_2, DAY_MEETING_3};
	size_t n_pp = 0, n_rv = 0, n_d = 0, n_rq = 0;
	bool ok = true;
	char created[32];

	day_str(created, sizeof(created), x->year_start, 20, 9);
	for (size_t p = 0; ok && p < x->n_poles; p++) {
		for (int k = 1; ok && k <= 3; k++) {
			bool held = k == 1, ready = held || (k == 2 && list_ready_2(p));
			char on[16], ready_at[32], held_at[32];

			date_str(on, sizeof(on), x->year_start, days[k - 1]);
			day_str(ready_at, sizeof(ready_at), x->year_start,
				held ? days[0] - 2 : GEN_TODAY - 3, 17);
			day_str(held_at, sizeof(held_at), x->year_start, days[0], 18);
			put_int(m, x->academy), put_int(m, meeting_id(p, k)),
			    put_int(m, x->year_id), put_int(m, k), put_raw(m, "pole"),
			    put_int(m, pole_id(p)), put_raw(m, on),
			    put_raw(m, held    ? "held"
				       : ready ? "list_ready"
					       : "upcoming"),
			    put_int(m, x->pilots[p]), put_raw(m, created),
			    put_raw(m, ready ? ready_at : NULL), put_raw(m, held ? held_at : NULL),
			    put_int(m, 1 + (ready ? 1 : 0) + (held ? 1 : 0));
			ok = row_done(m);
			put_int(pp, x->academy), put_int(pp, GEN_SUB(SUB_MPARTICIPANT, n_pp++)),
			    put_int(pp, meeting_id(p, k)), put_int(pp, x->pilots[p]);
			ok = ok && row_done(pp);
			for (size_t c = 3 * p; ok && c < 3 * p + 3 && c < x->n_circ; c++) {
				put_int(pp, x->academy),
				    put_int(pp, GEN_SUB(SUB_MPARTICIPANT, n_pp++)),
				    put_int(pp, meeting_id(p, k)), put_int(pp, x->iens[c]);
				ok = row_done(pp);
			}
		}
	}
	ok = ok && flush(m) && flush(pp);
	for (size_t i = 0; ok && i < x->n_trainees; i++) {
		const struct gen_enrolment *e = &x->enrolments[i];
		char signals[96], decided[32], asked[32];

		if (e->requested) {
			day_str(asked, sizeof(asked), x->year_start, 60 + (int)rnd(&x->g, 25), 19);
			put_int(rq, x->academy), put_int(rq, GEN_SUB(SUB_REQUEST, n_rq++)),
			    put_int(rq, GEN_ID(ID_ENROLMENT, i)),
			    put_int(rq, x->terrain[e->terrain].id),
			    put_raw(rq,
				    "Difficultés persistantes malgré les conseils des visites."),
			    put_raw(rq, asked);
			ok = row_done(rq);
		}
		if (!ok || e->pole == SIZE_MAX)
			continue;
		/* N°1: renouvellement, no visit yet, a case opened at the start. */
		snprintf(signals, sizeof(signals), "%s%s%s",
			 e->acc_level > 0 && e->renouvellement ? "open_case," : "",
			 e->early_visit ? "" : "no_visit_before_meeting_1,",
			 e->renouvellement ? "renouvellement," : "");
		if (signals[0] != '\0') {
			signals[strlen(signals) - 1] = '\0';
			put_int(rv, x->academy), put_int(rv, GEN_SUB(SUB_REVIEW, n_rv++)),
			    put_int(rv, meeting_id(e->pole, 1)),
			    put_int(rv, GEN_ID(ID_ENROLMENT, i)), put_raw(rv, signals);
			ok = row_done(rv);
			day_str(decided, sizeof(decided), x->year_start, DAY_MEETING_1, 18);
			put_int(d, x->academy), put_int(d, GEN_SUB(SUB_DECISION, n_d++)),
			    put_int(d, meeting_id(e->pole, 1)), put_int(d, GEN_ID(ID_ENROLMENT, i)),
			    put_raw(d, e->pz_status >= 0 ? "personnalisation" : "rien_a_signaler"),
			    put_raw(d, NULL), put_int(d, x->pilots[e->pole]), put_raw(d, decided);
			ok = ok && row_done(d);
		}
		if (!ok || !list_ready_2(e->pole))
			continue;
		/* N°2: an open case, a tutor's request, renouvellement. */
		snprintf(signals, sizeof(signals), "%s%s%s",
			 e->acc_level > 0 && !e->acc_closed ? "open_case," : "",
			 e->requested ? "tutor_request," : "",
			 e->renouvellement ? "renouvellement," : "");
		if (signals[0] != '\0') {
			signals[strlen(signals) - 1] = '\0';
			put_int(rv, x->academy), put_int(rv, GEN_SUB(SUB_REVIEW, n_rv++)),
			    put_int(rv, meeting_id(e->pole, 2)),
			    put_int(rv, GEN_ID(ID_ENROLMENT, i)), put_raw(rv, signals);
			ok = row_done(rv);
		}
	}
	ok = ok && flush(rq) && flush(rv) && flush(d);
	batch_free(m);
	batch_free(pp);
	batch_free(rv);
	batch_free(d);
	batch_free(rq);
	return ok;
}

/* The fiches de personnalisation (drafts, sent, agreed within the
 * budget, refused), with one to three difficulties each. */
static bool write_personalisations(struct gen *x)
{
	struct batch *z = batch_new(
	    x,
	    "INSERT INTO personalisation (academy_id, id, enrolment_id, meeting_id, decided_on, "
	    "place_id, status, created_by, created_at, sent_by, sent_at, decided_by, decided_at, "
	    "agreed_hours, decision_note, version) VALUES",
	    16);
	struct batch *it = batch_new(x,
				     "INSERT INTO personalisation_item (academy_id, id, "
				     "personalisation_id, difficulty, situation, support, hours) "
				     "VALUES",
				     7);
	size_t n = 0, n_items = 0;
	bool ok = true;
	char on[16], created[32], sent[32], decided[32];

	it->parent = z;
	date_str(on, sizeof(on), x->year_start, DAY_MEETING_1);
	day_str(created, sizeof(created), x->year_start, DAY_MEETING_1 + 2, 11);
	day_str(sent, sizeof(sent), x->year_start, DAY_MEETING_1 + 8, 17);
	day_str(decided, sizeof(decided), x->year_start, DAY_MEETING_1 + 16, 10);
	for (size_t i = 0; ok && i < x->n_trainees; i++) {
		const struct gen_enrolment *e = &x->enrolments[i];
		int64_t inspe = x->inspe[e->inspe].id, id;
		int st = e->pz_status;
		size_t first, k;

		if (st < 0)
			continue;
		id = GEN_SUB(SUB_PZ, n++);
		put_int(z, x->academy), put_int(z, id), put_int(z, GEN_ID(ID_ENROLMENT, i)),
		    put_ref(z, e->pole != SIZE_MAX ? meeting_id(e->pole, 1) : 0), put_raw(z, on),
		    put_int(z, GEN_ID(ID_PLACE, 2 * i)), put_raw(z, pz_statuses[st]),
		    put_int(z, inspe), put_raw(z, created), put_ref(z, st > 0 ? inspe : 0),
		    put_raw(z, st > 0 ? sent : NULL), put_ref(z, st > 1 ? x->bureau : 0),
		    put_raw(z, st > 1 ? decided : NULL),
		    put_raw(z, st == 2 ? (chance(&x->g, 50) ? "6" : "12") : NULL),
		    put_raw(z, st == 3 ? "Moyens de l'année déjà engagés." : NULL),
		    put_int(z, 1 + (st > 0) + (st > 1));
		ok = row_done(z);
		first = rnd(&x->g, 5);
		k = 1 + rnd(&x->g, 3);
		for (size_t j = 0; ok && j < k; j++) {
			size_t dif = (first + j) % 5;

			put_int(it, x->academy), put_int(it, GEN_SUB(SUB_PZ_ITEM, n_items++)),
			    put_int(it, id), put_int(it, (int64_t)dif + 1),
			    put_raw(it, difficulties_text[dif]),
			    put_raw(it, PICK(&x->g, support_text)),
			    put_int(it, 2 + 2 * (int64_t)rnd(&x->g, 3));
			ok = row_done(it);
		}
	}
	ok = ok && flush(it);
	batch_free(z);
	batch_free(it);
	return ok;
}

static void circ_name(size_t i, char *out, size_t n)
{
	snprintf(out, n, "%s %zu", towns[(i / 3) % ARRAY_LEN(towns)], i % 3 + 1);
}

static void pole_name(size_t i, char *out, size_t n)
{
	snprintf(out, n, "Pôle %s %zu", towns[i % ARRAY_LEN(towns)], i / ARRAY_LEN(towns) + 1);
}

static void school_name(const struct gen *x, size_t i, char *out, size_t n)
{
	bool college = (i / x->n_circ) % 3 == 0;

	snprintf(out, n, "%s %s, %s", college ? (i % 2 ? "Lycée" : "Collège") : "École élémentaire",
		 school_names[(i / 3) % ARRAY_LEN(school_names)],
		 towns[(i / 7) % ARRAY_LEN(towns)]);
}

/* The canonical JSON of an annex 2's first version, as the contracts
 * module writes it (sorted keys, compact); the generated names hold no
 * character JSON escapes. */
static void contract_content(const struct gen *x, size_t i, const int64_t party[4], char *out,
			     size_t n)
{
	const struct gen_enrolment *e = &x->enrolments[i];
	const struct gen_person *t = &x->trainees[e->trainee], *tt = &x->terrain[e->terrain],
				*ti = &x->inspe[e->inspe];
	size_t c = e->school[0] % x->n_circ;
	char circ[64], pole[64], school[200], date[16], start[16];

	circ_name(c, circ, sizeof(circ));
	pole_name(e->pole, pole, sizeof(pole));
	school_name(x, e->school[0], school, sizeof(school));
	date_str(date, sizeof(date), x->year_start, 88);
	date_str(start, sizeof(start), x->year_start, 132);
	snprintf(
	    out, n,
	    "{\"annex\":2,\"domains\":[{\"key\":\"ethics\",\"label\":\"L’éthique du "
	    "fonctionnaire\",\"needs\":\"\",\"situation\":\"\",\"support\":\"\"},{\"key\":"
	    "\"classroom\",\"label\":\"La gestion de classe\",\"needs\":\"Donner des consignes "
	    "écrites et reformulées.\",\"situation\":\"Mises au travail longues.\",\"support\":"
	    "\"Deux visites supplémentaires du tuteur DSDEN.\"},{\"key\":\"safety\",\"label\":\"La "
	    "sécurité physique des élèves\",\"needs\":\"\",\"situation\":\"\",\"support\":\"\"},"
	    "{\"key\":\"teaching\",\"label\":\"La construction, mise en œuvre et animation de "
	    "situations pédagogiques\",\"needs\":\"Construire une séquence complète avec "
	    "évaluation.\",\"situation\":\"Objectifs d’apprentissage rarement explicités.\","
	    "\"support\":\"Module de formation supplémentaire à l’Inspé.\"},{\"key\":"
	    "\"development\",\"label\":\"L’engagement dans une démarche de développement "
	    "professionnel\",\"needs\":\"\",\"situation\":\"\",\"support\":\"\"}],\"header\":{"
	    "\"circonscription\":\"%s\",\"date\":\"%s\",\"department\":\"\",\"field_tutor\":\"%s "
	    "%s\",\"inspe_tutor\":\"%s %s\",\"inspector\":\"\",\"parcours\":\"%s\",\"pole\":\"%s\","
	    "\"school\":\"%s\",\"trainee\":\"%s %s\"},\"number\":1,\"parties\":[{\"label\":\"IEN "
	    "de circonscription\",\"name\":\"\",\"person_id\":%lld,\"role\":\"ien\"},{\"label\":"
	    "\"Tuteur ou tutrice DSDEN\",\"name\":\"%s %s\",\"person_id\":%lld,\"role\":"
	    "\"tuteur_dsden\"},{\"label\":\"Tuteur ou tutrice universitaire\",\"name\":\"%s %s\","
	    "\"person_id\":%lld,\"role\":\"tuteur_universitaire\"},{\"label\":\"Professeur·e des "
	    "écoles stagiaire\",\"name\":\"%s %s\",\"person_id\":%lld,\"role\":\"trainee\"}],"
	    "\"started_on\":\"%s\"}",
	    circ, date, tt->given ? tt->given : "", tt->family ? tt->family : "",
	    ti->given ? ti->given : "", ti->family ? ti->family : "", e->parcours, pole, school,
	    t->given, t->family, (long long)party[0], tt->given ? tt->given : "",
	    tt->family ? tt->family : "", (long long)party[1], ti->given ? ti->given : "",
	    ti->family ? ti->family : "", (long long)party[2], t->given, t->family,
	    (long long)party[3], start);
}

/* The parcours d'individualisation (annex 2, 1er degré) of the trainees
 * at level 3 and some at level 2: a first version naming its four
 * parties, signed by all of them for two in five, by some only (waiting
 * for a signature) for the others. The SHA-256 of each content is
 * MariaDB's, set after the rows. */
static bool write_contracts(struct gen *x)
{
	struct batch *c = batch_new(x,
				    "INSERT INTO contract (academy_id, id, enrolment_id, annex, "
				    "opened_by, opened_at) VALUES",
				    6);
	struct batch *v = batch_new(
	    x,
	    "INSERT INTO contract_version (academy_id, id, contract_id, number, content, "
	    "content_sha256, created_by, created_at, updated_by, updated_at, superseded_at, "
	    "version) VALUES",
	    12);
	struct batch *pa =
	    batch_new(x,
		      "INSERT INTO contract_party (academy_id, id, version_id, role, "
		      "position, person_id) VALUES",
		      6);
	struct batch *sg = batch_new(x,
				     "INSERT INTO contract_signature (academy_id, id, version_id, "
				     "person_id, signed_at, content_sha256) VALUES",
				     6);
	static const char *const roles[] = {"ien", "tuteur_dsden", "tuteur_universitaire",
					    "trainee"};
	static const char zero_sha[] =
	    "0000000000000000000000000000000000000000000000000000000000000000";
	size_t n = 0, n_pa = 0, n_sg = 0;
	bool ok = true;
	char opened[32], content[4096];

	v->parent = c;
	pa->parent = v;
	sg->parent = v;
	day_str(opened, sizeof(opened), x->year_start, 88, 10);
	for (size_t i = 0; ok && i < x->n_trainees; i++) {
		const struct gen_enrolment *e = &x->enrolments[i];
		int64_t party[4], id, vid;
		size_t signed_by;

		if (!e->contract)
			continue;
		party[0] = x->iens[e->school[0] % x->n_circ];
		party[1] = x->terrain[e->terrain].id;
		party[2] = x->inspe[e->inspe].id;
		party[3] = x->trainees[e->trainee].id;
		id = GEN_SUB(SUB_CONTRACT, n);
		vid = GEN_SUB(SUB_CVERSION, n++);
		contract_content(x, i, party, content, sizeof(content));
		put_int(c, x->academy), put_int(c, id), put_int(c, GEN_ID(ID_ENROLMENT, i)),
		    put_raw(c, "2"), put_int(c, party[0]), put_raw(c, opened);
		ok = row_done(c);
		put_int(v, x->academy), put_int(v, vid), put_int(v, id), put_raw(v, "1"),
		    put_raw(v, content), put_raw(v, zero_sha), put_int(v, party[0]),
		    put_raw(v, opened), put_int(v, party[0]), put_raw(v, opened), put_raw(v, NULL),
		    put_raw(v, "1");
		ok = ok && row_done(v);
		signed_by = chance(&x->g, 40) ? 4 : 1 + rnd(&x->g, 3);
		for (size_t k = 0; ok && k < 4; k++) {
			char at[32];

			put_int(pa, x->academy), put_int(pa, GEN_SUB(SUB_CPARTY, n_pa++)),
			    put_int(pa, vid), put_raw(pa, roles[k]), put_int(pa, (int64_t)k + 1),
			    put_int(pa, party[k]);
			ok = row_done(pa);
			if (!ok || k >= signed_by)
				continue;
			day_str(at, sizeof(at), x->year_start, 88 + (int)k, 11 + (int)k);
			put_int(sg, x->academy), put_int(sg, GEN_SUB(SUB_CSIGNATURE, n_sg++)),
			    put_int(sg, vid), put_int(sg, party[k]), put_raw(sg, at),
			    put_raw(sg, zero_sha);
			ok = row_done(sg);
		}
	}
	ok = ok && flush(pa) && flush(sg);
	ok = ok &&
	     schema_exec(x->my,
			 "UPDATE contract_version SET content_sha256 = SHA2(content, 256) "
			 "WHERE academy_id = ? AND id BETWEEN ? AND ?",
			 NULL, x->err, x->errlen, "iii", x->academy, GEN_SUB(SUB_CVERSION, 0),
			 GEN_SUB(SUB_CVERSION, 999999)) &&
	     schema_exec(x->my,
			 "UPDATE contract_signature s JOIN contract_version v ON v.academy_id = "
			 "s.academy_id AND v.id = s.version_id SET s.content_sha256 = "
			 "v.content_sha256 WHERE s.academy_id = ? AND s.id BETWEEN ? AND ?",
			 NULL, x->err, x->errlen, "iii", x->academy, GEN_SUB(SUB_CSIGNATURE, 0),
			 GEN_SUB(SUB_CSIGNATURE, 999999));
	batch_free(c);
	batch_free(v);
	batch_free(pa);
	batch_free(sg);
	return ok;
}

/* Four periods for each of the 64 sites find_reference reads at most. */
#define SOPA_MAX_PERIODS ((size_t)64 * 4)

/* SOPA: the M1 students (one for three trainees) and their host teachers
 * (MAT, one or two students each), placed at an INSPÉ site's four
 * periods; the reports of the periods past: sent in time, late, still a
 * draft, or missing. A site that has its year's periods keeps them. */
static bool write_sopa(struct gen *x)
{
	size_t n_students = x->n_trainees / 3 > 0 ? x->n_trainees / 3 : 1;
	size_t n_mats = n_students * 2 / 3 > 0 ? n_students * 2 / 3 : 1;
	size_t per_circ = x->n_schools / x->n_circ, n_periods = 0, n_pl = 0, n_rp = 0;
	struct batch *b =
	    batch_new(x,
		      "INSERT INTO person (academy_id, id, username, display_name, "
		      "given_name, family_name, email, created_at, updated_at) VALUES",
		      9);
	struct batch *ra =
	    batch_new(x,
		      "INSERT INTO role_assignment (academy_id, id, person_id, role, "
		      "scope_kind, scope_id, source, created_at) VALUES",
		      8);
	struct batch *sy =
	    batch_new(x,
		      "INSERT INTO sopa_site_year (academy_id, id, site_id, year_id, "
		      "updated_by, updated_at, version) VALUES",
		      7);
	struct batch *pe = batch_new(x,
				     "INSERT INTO sopa_period (academy_id, id, site_id, year_id, "
				     "number, starts_on, ends_on) VALUES",
				     7);
	struct batch *pl =
	    batch_new(x,
		      "INSERT INTO sopa_placement (academy_id, id, period_id, student_id, mat_id, "
		      "school_id, class_level, pupils, created_by, created_at, version) VALUES",
		      11);
	struct batch *rp = batch_new(
	    x,
	    "INSERT INTO sopa_report (academy_id, id, placement_id, number, state, "
	    "absences_half_days, step, comments_steps_12, comments_steps_34, sessions_led, "
	    "sessions_designed, c1, c2, c6, c7, c11, advice_1, advice_2, created_by, created_at, "
	    "updated_at, sent_by, sent_at, period_starts_on, period_ends_on, due_on, late, "
	    "version) VALUES",
	    28);
	/* SOPA 1 to 4 (days of the year): October, November, March, May. */
	static const int starts[] = {34, 76, 188, 258}, ends[] = {38, 87, 199, 262};
	static const char *const grades[] = {"non_acquis", "en_cours", "acquis", "acquis"};
	struct gen_person *students = calloc(n_students, sizeof(*students));
	struct gen_person *mats = calloc(n_mats, sizeof(*mats));
	long long *periods = calloc(SOPA_MAX_PERIODS * 5, sizeof(*periods));
	int64_t period_id[64][4] = {{0}};
	int period_start[64][4] = {{0}}, period_end[64][4] = {{0}};
	const char *dom = "ac-generated.example";
	bool ok = true;
	char at[32];

	if (students == NULL || mats == NULL || periods == NULL)
		abort();
	rp->parent = pl;
	sy->tail = pe->tail = " ON DUPLICATE KEY UPDATE id = id";
	day_str(at, sizeof(at), x->year_start, 15, 9);
	for (size_t i = 0; ok && i < n_students; i++) {
		name_person(x, &students[i], "et", i);
		ok = person_row(x, b, &students[i], dom) &&
		     role_row(x, ra, students[i].id, "etudiant_sopa", "academy", 0, "ldap");
	}
	for (size_t i = 0; ok && i < n_mats; i++) {
		name_person(x, &mats[i], "mat", i);
		ok = person_row(x, b, &mats[i], dom) &&
		     role_row(x, ra, mats[i].id, "mat", "academy", 0, "ldap");
	}
	ok = ok && flush(b) && flush(ra);
	for (size_t s = 0; ok && s < x->n_sites; s++) {
		put_int(sy, x->academy), put_int(sy, GEN_SUB(SUB_SITE_YEAR, s)),
		    put_int(sy, x->sites[s]), put_int(sy, x->year_id), put_int(sy, x->bureau),
		    put_raw(sy, at), put_raw(sy, "1");
		ok = row_done(sy);
		for (size_t k = 0; ok && k < 4; k++) {
			char a[16], z[16];

			date_str(a, sizeof(a), x->year_start, starts[k]);
			date_str(z, sizeof(z), x->year_start, ends[k]);
			put_int(pe, x->academy), put_int(pe, GEN_SUB(SUB_PERIOD, 4 * s + k)),
			    put_int(pe, x->sites[s]), put_int(pe, x->year_id),
			    put_int(pe, (int64_t)k + 1), put_raw(pe, a), put_raw(pe, z);
			ok = row_done(pe);
		}
	}
	ok = ok && flush(sy) && flush(pe) &&
	     select_rows(x,
			 "SELECT p.site_id, p.number, p.id, DATEDIFF(p.starts_on, y.starts_on), "
			 "DATEDIFF(p.ends_on, y.starts_on) FROM sopa_period p JOIN school_year y "
			 "ON y.academy_id = p.academy_id AND y.id = p.year_id AND y.current "
			 "WHERE p.academy_id = ?",
			 5, periods, SOPA_MAX_PERIODS, &n_periods);
	for (size_t r = 0; ok && r < n_periods; r++) {
		const long long *row = &periods[r * 5];

		for (size_t s = 0; s < x->n_sites; s++)
			if (x->sites[s] == row[0] && row[1] >= 1 && row[1] <= 4) {
				period_id[s][row[1] - 1] = row[2];
				period_start[s][row[1] - 1] = (int)row[3];
				period_end[s][row[1] - 1] = (int)row[4];
			}
	}
	for (size_t i = 0; ok && i < n_students; i++) {
		size_t s = rnd(&x->g, x->n_sites);

		for (size_t k = 0; ok && k < 4; k++) {
			int end = period_end[s][k], due = end + 7, sent_day = 0;
			int64_t pid = GEN_SUB(SUB_PLACEMENT, n_pl++);
			int64_t mat = mats[(i * 2 / 3 + k * 7) % n_mats].id;
			size_t school =
			    rnd(&x->g, x->n_circ) +
			    x->n_circ * (3 * rnd(&x->g, per_circ / 3 > 0 ? per_circ / 3 : 1) + 1 +
					 rnd(&x->g, 2));
			unsigned u = (unsigned)rnd(&x->g, 100);
			const char *state = NULL;
			char created[32], sent[32], a[16], z[16], d[16];

			if (period_id[s][k] == 0)
				continue;
			if (school >= x->n_schools)
				school = rnd(&x->g, x->n_circ);
			put_int(pl, x->academy), put_int(pl, pid), put_int(pl, period_id[s][k]),
			    put_int(pl, students[i].id), put_int(pl, mat),
			    put_int(pl, school_id(school)), put_raw(pl, PICK(&x->g, classes_1d)),
			    put_int(pl, 18 + (int64_t)rnd(&x->g, 10)), put_raw(pl, NULL),
			    put_raw(pl, at), put_raw(pl, "1");
			ok = row_done(pl);
			if (!ok || end >= GEN_TODAY)
				continue; /* not over yet: nothing to write */
			if (due < GEN_TODAY) {
				state = u < 75 ? "sent" : u < 87 ? "late" : u < 92 ? "draft" : NULL;
				sent_day =
				    strcmp(state != NULL ? state : "", "late") == 0
					? due + 1 +
					      (int)rnd(&x->g, GEN_TODAY - due - 1 > 0
								  ? (size_t)(GEN_TODAY - due - 1)
								  : 1)
					: end + 1 + (int)rnd(&x->g, 6);
			} else {
				state = u < 45 ? "sent" : u < 75 ? "draft" : NULL;
				sent_day = end + 1 + (int)rnd(&x->g, (size_t)(GEN_TODAY - end));
			}
			if (state == NULL)
				continue; /* missing */
			bool is_sent = strcmp(state, "draft") != 0,
			     late = strcmp(state, "late") == 0;

			day_str(created, sizeof(created), x->year_start, end, 18);
			day_str(sent, sizeof(sent), x->year_start, sent_day, 20);
			date_str(a, sizeof(a), x->year_start, period_start[s][k]);
			date_str(z, sizeof(z), x->year_start, end);
			date_str(d, sizeof(d), x->year_start, due);
			put_int(rp, x->academy), put_int(rp, GEN_SUB(SUB_REPORT, n_rp++)),
			    put_int(rp, pid), put_raw(rp, "1"),
			    put_raw(rp, is_sent ? "sent" : "draft"),
			    put_int(rp, (int64_t)rnd(&x->g, 3)), put_int(rp, 1 + (int64_t)k),
			    put_raw(rp, PICK(&x->g, notes)),
			    put_raw(rp, k > 0 ? PICK(&x->g, notes) : NULL),
			    put_int(rp, (int64_t)k * 2 + (int64_t)rnd(&x->g, 3)),
			    put_int(rp, (int64_t)k + (int64_t)rnd(&x->g, 2)),
			    put_raw(rp, PICK(&x->g, grades)), put_raw(rp, PICK(&x->g, grades)),
			    put_raw(rp, PICK(&x->g, grades)), put_raw(rp, PICK(&x->g, grades)),
			    put_raw(rp, PICK(&x->g, grades)), put_raw(rp, PICK(&x->g, retained)),
			    put_raw(rp, PICK(&x->g, axes)), put_int(rp, mat), put_raw(rp, created),
			    put_raw(rp, is_sent ? sent : created), put_ref(rp, is_sent ? mat : 0),
			    put_raw(rp, is_sent ? sent : NULL), put_raw(rp, is_sent ? a : NULL),
			    put_raw(rp, is_sent ? z : NULL), put_raw(rp, is_sent ? d : NULL),
			    put_raw(rp, late ? "1" : "0"), put_raw(rp, is_sent ? "2" : "1");
			ok = row_done(rp);
		}
	}
	ok = ok && flush(rp);
	free(students);
	free(mats);
	free(periods);
	batch_free(b);
	batch_free(ra);
	batch_free(sy);
	batch_free(pe);
	batch_free(pl);
	batch_free(rp);
	return ok;
}

/* Réseau de tuteurs: per département its communes and its call (closed),
 * about one tuteur terrain in eight volunteering, collectives of about
 * seven (the first a pilot) validated, four or five meetings each from
 * November: those past with their attendance, canvas and synthesis (half
 * of them published), those ahead with their empty canvas and synthesis. */
static bool write_reseau(struct gen *x)
{
	size_t n_dep = x->n_departements, n_vol = 0, n_coll = 0, n_mem = 0, n_mt = 0, n_att = 0;
	struct batch *cm = batch_new(x,
				     "INSERT INTO reseau_commune (academy_id, id, insee, name, "
				     "departement_id, latitude, longitude) VALUES",
				     7);
	struct batch *cl =
	    batch_new(x,
		      "INSERT INTO reseau_call (academy_id, id, year_id, "
		      "departement_id, title, opens_on, closes_on, state, created_by, "
		      "created_at, version) VALUES",
		      11);
	struct batch *vo = batch_new(
	    x,
	    "INSERT INTO reseau_volunteer (academy_id, id, call_id, person_id, degree, "
	    "seniority, commune_id, school_id, wants_pilot, qualifications, created_at) VALUES",
	    11);
	struct batch *co =
	    batch_new(x,
		      "INSERT INTO reseau_collective (academy_id, id, call_id, name, "
		      "state, mix_score, created_by, created_at, validated_by, "
		      "validated_at) VALUES",
		      10);
	struct batch *me =
	    batch_new(x,
		      "INSERT INTO reseau_member (academy_id, id, collective_id, "
		      "call_id, volunteer_id, person_id, pilot, charter_accepted_at) "
		      "VALUES",
		      8);
	struct batch *mt =
	    batch_new(x,
		      "INSERT INTO reseau_meeting (academy_id, id, collective_id, "
		      "starts_at, ends_at, place, attendance_at, created_by, created_at) "
		      "VALUES",
		      9);
	struct batch *at = batch_new(x,
				     "INSERT INTO reseau_attendance (academy_id, id, meeting_id, "
				     "person_id) VALUES",
				     4);
	struct batch *cv = batch_new(
	    x,
	    "INSERT INTO reseau_canvas (academy_id, id, meeting_id, presenter_id, "
	    "fallback_case_url, problem, questions, resonance, presenter_solution, "
	    "others_solutions, discussion, generalisation, debrief, updated_by, updated_at, "
	    "version) VALUES",
	    16);
	struct batch *sy =
	    batch_new(x,
		      "INSERT INTO reseau_synthesis (academy_id, id, meeting_id, "
		      "problem, answers, state, updated_by, updated_at, published_by, "
		      "published_at, version) VALUES",
		      11);
	/* the volunteers, by call, to compose the collectives */
	struct vol {
		int64_t id, person;
		size_t call, coll; /* coll: SIZE_MAX until the volunteer is in one */
	} *vols = calloc(x->n_terrain + 1, sizeof(*vols));
	bool ok = true;
	char d0[16], d1[16], t0[32];

	if (vols == NULL)
		abort();
	me->parent = co;
	mt->parent = co;
	at->parent = mt;
	cv->parent = mt;
	sy->parent = mt;
	date_str(d0, sizeof(d0), x->year_start, 20);
	date_str(d1, sizeof(d1), x->year_start, 50);
	day_str(t0, sizeof(t0), x->year_start, 19, 9);
	for (size_t d = 0; ok && d < n_dep; d++) {
		char title[200];

		for (size_t k = 0; ok && k < 6; k++) {
			char insee[8], lat[16], lon[16];
			size_t c = 6 * d + k;

			snprintf(insee, sizeof(insee), "Z%04zu", c);
			snprintf(lat, sizeof(lat), "%.5f",
				 45.5 + (double)rnd(&x->g, 150000) / 100000);
			snprintf(lon, sizeof(lon), "%.5f",
				 -1.0 + (double)rnd(&x->g, 150000) / 100000);
			put_int(cm, x->academy), put_int(cm, GEN_SUB(SUB_COMMUNE, c)),
			    put_raw(cm, insee), put_raw(cm, towns[c % ARRAY_LEN(towns)]),
			    put_int(cm, x->departements[d]), put_raw(cm, lat), put_raw(cm, lon);
			ok = row_done(cm);
		}
		snprintf(title, sizeof(title), "Réseau de tuteurs : appel à volontaires %zu",
			 d + 1);
		put_int(cl, x->academy), put_int(cl, GEN_SUB(SUB_CALL, d)), put_int(cl, x->year_id),
		    put_int(cl, x->departements[d]), put_raw(cl, title), put_raw(cl, d0),
		    put_raw(cl, d1), put_raw(cl, "closed"), put_int(cl, x->bureau), put_raw(cl, t0),
		    put_raw(cl, "1");
		ok = ok && row_done(cl);
	}
	ok = ok && flush(cm) && flush(cl);
	for (size_t t = 1; ok && n_dep > 0 && t < x->n_terrain; t++) {
		size_t d = rnd(&x->g, n_dep);
		bool neo = chance(&x->g, 60), pilot = !neo && chance(&x->g, 40);
		char when[32];

		if (!chance(&x->g, 12))
			continue;
		day_str(when, sizeof(when), x->year_start, 21 + (int)rnd(&x->g, 29), 20);
		vols[n_vol] =
		    (struct vol){GEN_SUB(SUB_VOLUNTEER, n_vol), x->terrain[t].id, d, SIZE_MAX};
		put_int(vo, x->academy), put_int(vo, vols[n_vol].id),
		    put_int(vo, GEN_SUB(SUB_CALL, d)), put_int(vo, x->terrain[t].id),
		    put_raw(vo, chance(&x->g, 55) ? "1d" : "2d"),
		    put_raw(vo, neo ? "neo" : "experienced"),
		    put_int(vo, GEN_SUB(SUB_COMMUNE, 6 * d + rnd(&x->g, 6))), put_raw(vo, NULL),
		    put_raw(vo, pilot ? "1" : "0"),
		    put_raw(vo, pilot ? (chance(&x->g, 50) ? "CAFIPEMF" : "CAFFA") : ""),
		    put_raw(vo, when);
		n_vol++;
		ok = row_done(vo);
	}
	ok = ok && flush(vo);
	for (size_t d = 0; ok && d < n_dep; d++) {
		size_t in_call = 0, first = 0;
		bool pilot = false;

		for (size_t v = 0; v < n_vol; v++)
			in_call += vols[v].call == d;
		/* Collectives of 7, the last one taking the rest (4 at least). */
		for (size_t v = 0, k = 0; ok && v < n_vol; v++) {
			if (vols[v].call != d)
				continue;
			if (k % 7 == 0 && in_call - k >= 4) {
				char name[120], made[32], valid[32];

				first = n_coll;
				snprintf(name, sizeof(name), "Collectif %s %zu",
					 towns[(d * 5 + k / 7) % ARRAY_LEN(towns)], k / 7 + 1);
				day_str(made, sizeof(made), x->year_start, 55, 10);
				day_str(valid, sizeof(valid), x->year_start, 58, 15);
				put_int(co, x->academy),
				    put_int(co, GEN_SUB(SUB_COLLECTIVE, n_coll++)),
				    put_int(co, GEN_SUB(SUB_CALL, d)), put_raw(co, name),
				    put_raw(co, "validated"),
				    put_int(co, 40 + (int64_t)rnd(&x->g, 50)),
				    put_int(co, x->bureau), put_raw(co, made),
				    put_int(co, x->bureau), put_raw(co, valid);
				ok = row_done(co);
				pilot = true; /* the first member */
			}
			if (n_coll == 0)
				break;
			char accepted[32];

			day_str(accepted, sizeof(accepted), x->year_start, 60 + (int)rnd(&x->g, 10),
				21);
			put_int(me, x->academy), put_int(me, GEN_SUB(SUB_MEMBER, n_mem++)),
			    put_int(me, GEN_SUB(SUB_COLLECTIVE, first)),
			    put_int(me, GEN_SUB(SUB_CALL, d)), put_int(me, vols[v].id),
			    put_int(me, vols[v].person), put_raw(me, pilot ? "1" : "0"),
			    put_raw(me, chance(&x->g, 90) ? accepted : NULL);
			ok = ok && row_done(me);
			vols[v].coll = first;
			pilot = false;
			k++;
		}
	}
	ok = ok && flush(me);
	/* The meetings of each collective, its members read back from vols. */
	for (size_t c = 0; ok && c < n_coll; c++) {
		size_t n_meetings = 4 + rnd(&x->g, 2);
		int64_t pilot = 0;

		for (size_t v = 0; v < n_vol && pilot == 0; v++)
			if (vols[v].coll == c)
				pilot = vols[v].person;
		for (size_t j = 0; ok && j < n_meetings; j++) {
			int day = 68 + (int)j * (n_meetings == 4 ? 45 : 35);
			bool past = day < GEN_TODAY, published = past && chance(&x->g, 50);
			int64_t id = GEN_SUB(SUB_RMEETING, n_mt++);
			char s[32], e[32], done[32], made[32];

			day_str(s, sizeof(s), x->year_start, day, 17);
			day_str(e, sizeof(e), x->year_start, day, 19);
			day_str(done, sizeof(done), x->year_start, day + 2, 12);
			day_str(made, sizeof(made), x->year_start, 60, 9);
			put_int(mt, x->academy), put_int(mt, id),
			    put_int(mt, GEN_SUB(SUB_COLLECTIVE, c)), put_raw(mt, s), put_raw(mt, e),
			    put_raw(mt, "Salle polyvalente, école Jules Ferry"),
			    put_raw(mt, past ? done : NULL), put_int(mt, pilot), put_raw(mt, made);
			ok = row_done(mt);
			for (size_t v = 0; ok && past && v < n_vol; v++) {
				if (vols[v].coll != c || !chance(&x->g, 80))
					continue;
				put_int(at, x->academy),
				    put_int(at, GEN_SUB(SUB_ATTENDANCE, n_att++)), put_int(at, id),
				    put_int(at, vols[v].person);
				ok = row_done(at);
			}
			put_int(cv, x->academy), put_int(cv, GEN_SUB(SUB_CANVAS, n_mt - 1)),
			    put_int(cv, id), put_ref(cv, past ? pilot : 0), put_raw(cv, NULL),
			    put_raw(cv, past ? PICK(&x->g, notes) : NULL),
			    put_raw(cv, past ? "Quelles consignes ? Quel moment de la journée ?"
					     : NULL),
			    put_raw(cv,
				    past ? "Plusieurs membres ont vécu la même situation." : NULL),
			    put_raw(cv, past ? PICK(&x->g, retained) : NULL),
			    put_raw(cv, past ? PICK(&x->g, retained) : NULL),
			    put_raw(cv, past ? PICK(&x->g, axes) : NULL),
			    put_raw(cv, past ? PICK(&x->g, axes) : NULL), put_raw(cv, NULL),
			    put_ref(cv, past ? pilot : 0), put_raw(cv, past ? done : NULL),
			    put_raw(cv, past ? "2" : "1");
			ok = ok && row_done(cv);
			put_int(sy, x->academy), put_int(sy, GEN_SUB(SUB_SYNTHESIS, n_mt - 1)),
			    put_int(sy, id), put_raw(sy, past ? PICK(&x->g, notes) : NULL),
			    put_raw(sy, past ? PICK(&x->g, retained) : NULL),
			    put_raw(sy, published ? "published" : "draft"),
			    put_ref(sy, past ? pilot : 0), put_raw(sy, past ? done : NULL),
			    put_ref(sy, published ? pilot : 0),
			    put_raw(sy, published ? done : NULL), put_raw(sy, past ? "2" : "1");
			ok = ok && row_done(sy);
		}
	}
	ok = ok && flush(at) && flush(cv) && flush(sy);
	free(vols);
	batch_free(cm);
	batch_free(cl);
	batch_free(vo);
	batch_free(co);
	batch_free(me);
	batch_free(mt);
	batch_free(at);
	batch_free(cv);
	batch_free(sy);
	return ok;
}

/* Every module's rows after the tutorat's. */
static bool write_modules(struct gen *x)
{
	plan_modules(x);
	return write_meetings(x) && write_accompaniment(x) && write_personalisations(x) &&
	       write_contracts(x) && write_sopa(x) && write_reseau(x);
}

static bool finish(struct gen *x, uint64_t seed)
{
	char detail[128], request_id[40];

	snprintf(detail, sizeof(detail), "{\"seed\":%llu,\"trainees\":%zu}",
		 (unsigned long long)seed, x->n_trainees);
	snprintf(request_id, sizeof(request_id), "generate-%lld", (long long)random_id());
	return schema_exec(x->my,
			   "UPDATE academy_state SET reference_version = reference_version + 1 "
			   "WHERE academy_id = ?",
			   NULL, x->err, x->errlen, "i", x->academy) &&
	       schema_exec(x->my,
			   "INSERT INTO audit_log (academy_id, at, request_id, actor_id, action, "
			   "object_type, object_id, client_addr, detail) VALUES (?, NOW(6), ?, "
			   "NULL, 'generate', 'academy', NULL, 'tutoratctl', ?)",
			   NULL, x->err, x->errlen, "iss", x->academy, request_id, detail);
}

/*
 * Thousands of rows at once leave InnoDB's index statistics behind for a
 * while, and the optimizer then picks plans no settled académie would get
 * (the enrolment list turned from 10 ms to 3 s): refresh them.
 */
static bool analyze(struct gen *x)
{
	static const char sql[] =
	    "ANALYZE TABLE structure, pole_circonscription, person, role_assignment, enrolment, "
	    "enrolment_place, trio_member, followup, trace, bilan, bilan_item, acc_case, "
	    "acc_level, acc_entry, pole_meeting, pole_meeting_review, pole_meeting_decision, "
	    "review_request, personalisation, personalisation_item, contract, contract_version, "
	    "contract_party, contract_signature, sopa_period, sopa_placement, sopa_report, "
	    "reseau_volunteer, reseau_collective, reseau_member, reseau_meeting, "
	    "reseau_attendance";
	MYSQL_STMT *st = mysql_stmt_init(x->my);
	bool ok = st != NULL && mysql_stmt_prepare(st, sql, sizeof(sql) - 1) == 0 &&
		  mysql_stmt_execute(st) == 0 && mysql_stmt_store_result(st) == 0;

	if (!ok)
		snprintf(x->err, x->errlen, "analyze: %s",
			 st != NULL ? mysql_stmt_error(st) : "out of memory");
	if (st != NULL)
		mysql_stmt_close(st);
	return ok;
}

static void gen_free(struct gen *x)
{
	free(x->departements);
	free(x->sites);
	free(x->trainees);
	free(x->terrain);
	free(x->inspe);
	free(x->enrolments);
	free(x->iens);
	free(x->pilots);
}

int tutorat_generate(const struct config *cfg, const char *academy, uint64_t seed, long trainees)
{
	const struct academy_cfg *a;
	char err[1024];
	struct gen x = {.g = {seed}, .err = err, .errlen = sizeof(err)};
	bool ok;
	time_t t0 = time(NULL);

	if (!cfg->development) {
		fprintf(stderr, "tutoratctl: generate writes invented data: only into a "
				"development stack ([server] environment = development)\n");
		return 1;
	}
	if (trainees < 0 || trainees > GEN_MAX_TRAINEES) {
		fprintf(stderr, "tutoratctl: --trainees must be 0 to %d\n", GEN_MAX_TRAINEES);
		return 2;
	}
	if (!schema_load_academy_ids((struct config *)cfg, err, sizeof(err))) {
		fprintf(stderr, "tutoratctl: %s\n", err);
		return 1;
	}
	a = config_academy(cfg, academy, strlen(academy));
	if (a == NULL) {
		fprintf(stderr, "tutoratctl: unknown academy '%s'\n", academy);
		return 1;
	}
	x.academy = a->id;
	x.n_trainees = (size_t)trainees;
	x.my = db_connect_plain(cfg, false, err, sizeof(err));
	if (x.my == NULL) {
		fprintf(stderr, "tutoratctl: %s\n", err);
		return 1;
	}
	err[0] = '\0';
	ok = mysql_real_query(x.my, "START TRANSACTION", 17) == 0 && remove_earlier(&x);
	if (ok && trainees > 0)
		ok = ensure_reference(&x) && find_reference(&x) && plan(&x) &&
		     write_structures(&x) && write_people(&x) && write_enrolments(&x) &&
		     write_followups(&x) && write_bilans(&x) && write_modules(&x);
	ok = ok && finish(&x, seed) && mysql_commit(x.my) == 0;
	if (!ok) {
		fprintf(stderr, "tutoratctl: generate: %s\n",
			err[0] != '\0' ? err : mysql_error(x.my));
		mysql_rollback(x.my);
	} else {
		if (trainees == 0)
			printf("generated data removed from %s\n", a->code);
		else
			printf("generated %zu trainees into %s (seed %llu) in %lld s\n",
			       x.n_trainees, a->code, (unsigned long long)seed,
			       (long long)(time(NULL) - t0));
		/* The rows are in: a failure here only leaves plans slow a while. */
		if (!analyze(&x))
			fprintf(stderr, "tutoratctl: generate: %s\n", err);
	}
	mysql_close(x.my);
	gen_free(&x);
	return ok ? 0 : 1;
}

/* tutoratctl --academy CODE generate [--seed N] [--trainees N] */
int tutorat_generate_verb(const struct config *cfg, const char *academy, int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"seed", required_argument, NULL, 'S'},
	    {"trainees", required_argument, NULL, 'T'},
	    {NULL, 0, NULL, 0},
	};
	int64_t seed = 1, trainees = 3000;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		int64_t *v = c == 'S' ? &seed : c == 'T' ? &trainees : NULL;

		if (v == NULL || !parse_int64(optarg, strlen(optarg), v) || *v < 0) {
			fprintf(stderr, "usage: tutoratctl -c CONFIG --academy CODE generate "
					"[--seed N] [--trainees N]\n");
			return 2;
		}
	}
	if (academy == NULL || optind != argc) {
		fprintf(stderr, "usage: tutoratctl -c CONFIG --academy CODE generate "
				"[--seed N] [--trainees N]\n");
		return 2;
	}
	return tutorat_generate(cfg, academy, (uint64_t)seed, (long)trainees);
}
