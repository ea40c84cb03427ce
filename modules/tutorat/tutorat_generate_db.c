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
};
#define GEN_ID(block, n) (GEN_ID_LO + INT64_C(100000000) * (block) + (int64_t)(n) + 1)

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
	for (size_t i = 0; ok && i < n_staff; i++) {
		struct gen_person *p = &staff[i];

		name_person(x, p, "pi", i);
		ok = person_row(x, b, p, dom);
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
	static const int cutoff = 91; /* 1 December: the past of the generated year */

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
	    "enrolment_place, trio_member, followup, trace, bilan, bilan_item";
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
		ok = find_reference(&x) && plan(&x) && write_structures(&x) && write_people(&x) &&
		     write_enrolments(&x) && write_followups(&x) && write_bilans(&x);
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
