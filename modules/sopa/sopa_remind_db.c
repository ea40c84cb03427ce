/*
 * The SOPA reports' reminders and agenda (docs/sopa.md, "Notifications";
 * docs/architecture.md, "Reminders" and "The web interface").
 *
 * Reminders, run by `tutoratctl remind` with every module's (struct
 * module_reminder): a report is due by its period's end + 7 days;
 *   sopa.report_due   to the MAT, at days 3 and 7 after the period's end,
 *                     while no version of the placement's report is sent;
 *   sopa.report_late  to the site's délégués de stage and gestionnaires de
 *                     scolarité, at day 8, when still none is sent.
 * Each is once per placement, step and recipient (reminder_sent), and its
 * notification names the placement, re-checked through the module's
 * relations_of (the MAT; the site's manager or office).
 *
 * Agenda (GET /api/v1/agenda, struct module_agenda): the MAT's reports to
 * write (kind sopa_report_due: date = due_on, placement_id, period,
 * student, late) from the period's first day until one is sent; the site
 * staff's late reports per site and period (kind sopa_reports_late:
 * site_id, site_name, period, count, date = due_on). One statement each,
 * only for the roles concerned, in the current school year.
 */
#include "authz.h"
#include "db.h"
#include "req.h"
#include "sopa.h"
#include "sopa_remind.h"

/* The steps of the rule (tutoratctl remind binds them, then today), as a
 * derived table joined on the period's end. */
#define SOPA_STEPS                                                                                 \
	"JOIN JSON_TABLE(?, '$[*]' COLUMNS (step INT PATH '$.step', until_day INT PATH "            \
	"'$.until')) st ON DATEDIFF(?, pe.ends_on) BETWEEN st.step AND st.until_day "
/* No version of the placement's report is sent. */
#define SOPA_NOT_SENT                                                                              \
	"AND NOT EXISTS (SELECT 1 FROM sopa_report r WHERE r.academy_id = pl.academy_id "          \
	"AND r.placement_id = pl.id AND r.state = 'sent') "
#define SOPA_REMINDED(kind, recipient)                                                             \
	"AND NOT EXISTS (SELECT 1 FROM reminder_sent rs WHERE rs.academy_id = pl.academy_id "      \
	"AND rs.kind = '" kind "' AND rs.object_id = pl.id AND rs.step = st.step "                  \
	"AND rs.recipient_id = " recipient ") "

/* The MAT of each placement whose period ended without a report sent. */
static const struct db_sql Q_SOPA_REMIND_DUE = {
    "SELECT pl.id AS object_id, st.step, pl.mat_id AS recipient_id, s.display_name AS subject, "
    "pl.id AS link_id, pl.id AS placement_id "
    "FROM sopa_placement pl "
    "JOIN sopa_period pe ON pe.academy_id = pl.academy_id AND pe.id = pl.period_id " SOPA_STEPS
    "JOIN person s ON s.academy_id = pl.academy_id AND s.id = pl.student_id "
    "JOIN person m ON m.academy_id = pl.academy_id AND m.id = pl.mat_id AND m.active "
    "WHERE pl.academy_id = ? " SOPA_NOT_SENT SOPA_REMINDED("sopa.report_due", "pl.mat_id")
    "ORDER BY pl.id, st.step LIMIT 2000",
    "ssA", DB_COLS("object_id", "step", "recipient_id", "subject", "link_id", "placement_id")};

/* The délégués and gestionnaires of the placement's site (local
 * assignments scoped to it), active, once each. */
static const struct db_sql Q_SOPA_REMIND_LATE = {
    "SELECT DISTINCT pl.id AS object_id, st.step, ra.person_id AS recipient_id, "
    "s.display_name AS subject, pl.id AS link_id, pl.id AS placement_id "
    "FROM sopa_placement pl "
    "JOIN sopa_period pe ON pe.academy_id = pl.academy_id AND pe.id = pl.period_id " SOPA_STEPS
    "JOIN person s ON s.academy_id = pl.academy_id AND s.id = pl.student_id "
    "JOIN role_assignment ra ON ra.academy_id = pe.academy_id AND ra.scope_kind = 'inspe_site' "
    "AND ra.scope_id = pe.site_id AND ra.role IN ('delegue_stage', 'gestionnaire_scolarite') "
    "JOIN person rp ON rp.academy_id = ra.academy_id AND rp.id = ra.person_id AND rp.active "
    "WHERE pl.academy_id = ? " SOPA_NOT_SENT SOPA_REMINDED("sopa.report_late", "ra.person_id")
    "ORDER BY pl.id, st.step, ra.person_id LIMIT 2000",
    "ssA", DB_COLS("object_id", "step", "recipient_id", "subject", "link_id", "placement_id")};

const struct module_reminder sopa_reminders[] = {
    {"sopa.report_due", "Compte rendu de stage SOPA à envoyer (au MAT, après la fin du stage)",
     "3,7", &Q_SOPA_REMIND_DUE, "sopa_placement", "placement", SOBJ_PLACEMENT, "placement_id",
     SREL_MAT, "/app.html#/sopa/stages/%lld"},
    {"sopa.report_late",
     "Compte rendu de stage SOPA non reçu (aux délégués et gestionnaires du site)", "8",
     &Q_SOPA_REMIND_LATE, "sopa_placement", "placement", SOBJ_PLACEMENT, "placement_id",
     SREL_SITE_MANAGER | SREL_SITE_OFFICE, "/app.html#/sopa/stages/%lld"},
    {0},
};

/* ---- the agenda ---- */

#define SOPA_DUE_ON "DATE_ADD(pe.ends_on, INTERVAL 7 DAY)"

/* The MAT's placements of the current year whose period has begun, none
 * of whose report versions is sent. */
static const struct db_sql Q_SOPA_AGENDA_MAT = {
    "SELECT pl.id AS placement_id, pe.number AS period, "
    "DATE_FORMAT(" SOPA_DUE_ON ", '%Y-%m-%d') AS due_on, "
    "CURDATE() > " SOPA_DUE_ON " AS late, s.id AS student_id, s.display_name AS student_name "
    "FROM sopa_placement pl "
    "JOIN sopa_period pe ON pe.academy_id = pl.academy_id AND pe.id = pl.period_id "
    "JOIN school_year y ON y.academy_id = pe.academy_id AND y.id = pe.year_id AND y.current "
    "JOIN person s ON s.academy_id = pl.academy_id AND s.id = pl.student_id "
    "WHERE pl.academy_id = ? AND pl.mat_id = ? AND pe.starts_on <= CURDATE() " SOPA_NOT_SENT
    "ORDER BY pe.ends_on, pl.id LIMIT 100",
    "Ai", DB_COLS("placement_id", "period", "due_on", "late", "student_id", "student_name")};

/* Per site the caller is délégué, gestionnaire or responsable of, and per
 * period past its due date: the placements without a report sent. */
static const struct db_sql Q_SOPA_AGENDA_LATE = {
    "SELECT pe.site_id, st.name AS site_name, pe.number AS period, "
    "DATE_FORMAT(" SOPA_DUE_ON ", '%Y-%m-%d') AS due_on, COUNT(*) AS n "
    "FROM sopa_period pe "
    "JOIN school_year y ON y.academy_id = pe.academy_id AND y.id = pe.year_id AND y.current "
    "JOIN structure st ON st.academy_id = pe.academy_id AND st.id = pe.site_id "
    "JOIN sopa_placement pl ON pl.academy_id = pe.academy_id AND pl.period_id = pe.id "
    "WHERE pe.academy_id = ? AND " SOPA_DUE_ON " < CURDATE() "
    "AND EXISTS (SELECT 1 FROM role_assignment ra WHERE ra.academy_id = pe.academy_id "
    "AND ra.person_id = ? AND ra.scope_kind = 'inspe_site' AND ra.scope_id = pe.site_id "
    "AND ra.role IN ('gestionnaire_scolarite', 'delegue_stage', 'responsable_site')) " SOPA_NOT_SENT
    "GROUP BY pe.site_id, st.name, pe.number, pe.ends_on "
    "ORDER BY pe.ends_on, st.name LIMIT 100",
    "Ai", DB_COLS("site_id", "site_name", "period", "due_on", "n")};

static enum err sopa_agenda_run(struct req *r, json_t *items)
{
	const uint32_t roles = r->who.roles;
	struct db_res res;
	enum err e = ERR_OK;

	if (roles & R(MAT)) {
		e = db_rows(r, &Q_SOPA_AGENDA_MAT, &res, r->who.person_id);
		for (size_t i = 0; e == ERR_OK && i < res.n_rows; i++)
			json_array_append_new(
			    items,
			    json_pack("{s:s, s:s, s:I, s:I, s:b, s:{s:I, s:s}}", "kind",
				      "sopa_report_due", "date", db_str(&res, i, "due_on"),
				      "placement_id", (json_int_t)db_int(&res, i, "placement_id"),
				      "period", (json_int_t)db_int(&res, i, "period"), "late",
				      db_bool(&res, i, "late"), "student", "id",
				      (json_int_t)db_int(&res, i, "student_id"), "display_name",
				      db_str(&res, i, "student_name")));
	}
	if (e == ERR_OK &&
	    (roles & (R(GESTIONNAIRE_SCOLARITE) | R(DELEGUE_STAGE) | R(RESPONSABLE_SITE)))) {
		e = db_rows(r, &Q_SOPA_AGENDA_LATE, &res, r->who.person_id);
		for (size_t i = 0; e == ERR_OK && i < res.n_rows; i++)
			json_array_append_new(
			    items, json_pack("{s:s, s:s, s:I, s:s, s:I, s:I}", "kind",
					     "sopa_reports_late", "date", db_str(&res, i, "due_on"),
					     "site_id", (json_int_t)db_int(&res, i, "site_id"),
					     "site_name", db_str(&res, i, "site_name"), "period",
					     (json_int_t)db_int(&res, i, "period"), "count",
					     (json_int_t)db_int(&res, i, "n")));
	}
	return e;
}

const struct module_agenda sopa_agenda = {sopa_agenda_run};

/* The statements of this file (the module's .more_statements: check-sql). */
const struct db_sql *const sopa_remind_statements[] = {
    &Q_SOPA_REMIND_DUE, &Q_SOPA_REMIND_LATE, &Q_SOPA_AGENDA_MAT, &Q_SOPA_AGENDA_LATE, NULL};
