/*
 * The retention module's statements and its kinds of record
 * (retention_kinds[]): for each kind, the tables it purges, children
 * first, each with the statement that removes (or anonymises) a bounded
 * batch of its rows past retention. Every statement binds the académie at
 * each level of its subqueries ('A') and takes the cutoff once, then the
 * batch's size: the rows of a kind are those whose date (`basis`) is
 * before the cutoff.
 */
#include <string.h>

#include "db.h"
#include "req.h"
#include "retention.h"
#include "util.h"

/* ---- the académie's overrides ---- */

static const struct db_sql Q_RULES = {
    "SELECT kind, days, updated_at FROM retention_rule WHERE academy_id = ? ORDER BY kind", "",
    DB_COLS("kind", "days", "updated_at")};

static const struct db_sql Q_RULE_SET = {
    "INSERT INTO retention_rule (academy_id, kind, days, updated_by, updated_at) "
    "VALUES (?, ?, ?, ?, NOW(3)) ON DUPLICATE KEY UPDATE days = VALUES(days), "
    "updated_by = VALUES(updated_by), updated_at = VALUES(updated_at)",
    "siz"};

static const struct db_sql Q_RULE_RESET = {
    "DELETE FROM retention_rule WHERE academy_id = ? AND kind = ?", "s"};

/* ---- what each kind removes ---- */

static const struct db_sql Q_SES = {
    "DELETE FROM session WHERE academy_id = ? AND LEAST(COALESCE(revoked_at, expires_at), "
    "expires_at) < ? LIMIT ?",
    "si"};

static const struct db_sql Q_CHAL = {
    "DELETE FROM login_challenge WHERE academy_id = ? AND expires_at < ? LIMIT ?", "si"};

static const struct db_sql Q_THR = {
    "DELETE FROM login_throttle WHERE academy_id = ? AND GREATEST(window_start, "
    "COALESCE(blocked_until, window_start)) < ? LIMIT ?",
    "si"};

static const struct db_sql Q_DEV = {
    "DELETE FROM login_device WHERE academy_id = ? AND last_used_at < ? LIMIT ?", "si"};

static const struct db_sql Q_AUD = {"DELETE FROM audit_log WHERE academy_id = ? AND at < ? LIMIT ?",
				    "si"};

static const struct db_sql Q_RL = {
    "DELETE FROM read_log WHERE academy_id = ? AND read_at < ? LIMIT ?", "si"};

static const struct db_sql Q_ACCR = {
    "DELETE FROM acc_read WHERE academy_id = ? AND read_at < ? LIMIT ?", "si"};

/* A rectification request answered (done or refused): one still open stays. */
static const struct db_sql Q_RECT = {
    "DELETE FROM rectification_request WHERE academy_id = ? AND status IN ('done', 'refused') "
    "AND answered_at < ? LIMIT ?",
    "si"};

/* A copy downloaded, expired or failed (its ZIP is gone already); one
 * being prepared stays. */
static const struct db_sql Q_COPY = {
    "DELETE FROM personal_copy WHERE academy_id = ? AND status <> 'pending' "
    "AND COALESCE(downloaded_at, expires_at, requested_at) < ? LIMIT ?",
    "si"};

static const struct db_sql Q_NOTIF = {
    "DELETE FROM notification WHERE academy_id = ? AND created_at < ? LIMIT ?", "si"};

static const struct db_sql Q_RSENT = {
    "DELETE FROM reminder_sent WHERE academy_id = ? AND sent_at < ? LIMIT ?", "si"};

static const struct db_sql Q_MAIL = {
    "DELETE FROM mail_outbox WHERE academy_id = ? AND state IN ('sent', 'failed') AND "
    "created_at < ? LIMIT ?",
    "si"};

static const struct db_sql Q_D_ACCREAD = {
    "DELETE FROM acc_read WHERE academy_id = ? AND case_id IN (SELECT c.id FROM acc_case c "
    "WHERE c.academy_id = ? AND c.enrolment_id IN (SELECT e.id FROM enrolment e WHERE "
    "e.academy_id = ? AND e.year_id IN (SELECT y.id FROM school_year y WHERE y.academy_id = ? "
    "AND y.ends_on < ?))) LIMIT ?",
    "AAAAsi"};

static const struct db_sql Q_D_ACCSHARE_UNLINK = {
    "UPDATE acc_share SET revokes_id = NULL WHERE academy_id = ? AND revokes_id IS NOT NULL "
    "AND case_id IN (SELECT c.id FROM acc_case c WHERE c.academy_id = ? AND c.enrolment_id IN "
    "(SELECT e.id FROM enrolment e WHERE e.academy_id = ? AND e.year_id IN (SELECT y.id FROM "
    "school_year y WHERE y.academy_id = ? AND y.ends_on < ?))) LIMIT ?",
    "AAAAsi"};

static const struct db_sql Q_D_ACCSHARE = {
    "DELETE FROM acc_share WHERE academy_id = ? AND case_id IN (SELECT c.id FROM acc_case c "
    "WHERE c.academy_id = ? AND c.enrolment_id IN (SELECT e.id FROM enrolment e WHERE "
    "e.academy_id = ? AND e.year_id IN (SELECT y.id FROM school_year y WHERE y.academy_id = ? "
    "AND y.ends_on < ?))) LIMIT ?",
    "AAAAsi"};

static const struct db_sql Q_D_ACCAGREE = {
    "DELETE FROM acc_agreement WHERE academy_id = ? AND case_id IN (SELECT c.id FROM acc_case "
    "c WHERE c.academy_id = ? AND c.enrolment_id IN (SELECT e.id FROM enrolment e WHERE "
    "e.academy_id = ? AND e.year_id IN (SELECT y.id FROM school_year y WHERE y.academy_id = ? "
    "AND y.ends_on < ?))) LIMIT ?",
    "AAAAsi"};

static const struct db_sql Q_D_ACCENTRY_UNLINK = {
    "UPDATE acc_entry SET corrects_id = NULL WHERE academy_id = ? AND corrects_id IS NOT NULL "
    "AND case_id IN (SELECT c.id FROM acc_case c WHERE c.academy_id = ? AND c.enrolment_id IN "
    "(SELECT e.id FROM enrolment e WHERE e.academy_id = ? AND e.year_id IN (SELECT y.id FROM "
    "school_year y WHERE y.academy_id = ? AND y.ends_on < ?))) LIMIT ?",
    "AAAAsi"};

static const struct db_sql Q_D_ACCENTRY = {
    "DELETE FROM acc_entry WHERE academy_id = ? AND case_id IN (SELECT c.id FROM acc_case c "
    "WHERE c.academy_id = ? AND c.enrolment_id IN (SELECT e.id FROM enrolment e WHERE "
    "e.academy_id = ? AND e.year_id IN (SELECT y.id FROM school_year y WHERE y.academy_id = ? "
    "AND y.ends_on < ?))) LIMIT ?",
    "AAAAsi"};

static const struct db_sql Q_D_ACCLEVEL = {
    "DELETE FROM acc_level WHERE academy_id = ? AND case_id IN (SELECT c.id FROM acc_case c "
    "WHERE c.academy_id = ? AND c.enrolment_id IN (SELECT e.id FROM enrolment e WHERE "
    "e.academy_id = ? AND e.year_id IN (SELECT y.id FROM school_year y WHERE y.academy_id = ? "
    "AND y.ends_on < ?))) LIMIT ?",
    "AAAAsi"};

static const struct db_sql Q_D_ACCCASE = {
    "DELETE FROM acc_case WHERE academy_id = ? AND enrolment_id IN (SELECT e.id FROM "
    "enrolment e WHERE e.academy_id = ? AND e.year_id IN (SELECT y.id FROM school_year y "
    "WHERE y.academy_id = ? AND y.ends_on < ?)) LIMIT ?",
    "AAAsi"};

static const struct db_sql Q_D_KSIG = {
    "DELETE FROM contract_signature WHERE academy_id = ? AND version_id IN (SELECT v.id FROM "
    "contract_version v WHERE v.academy_id = ? AND v.contract_id IN (SELECT k.id FROM "
    "contract k WHERE k.academy_id = ? AND k.enrolment_id IN (SELECT e.id FROM enrolment e "
    "WHERE e.academy_id = ? AND e.year_id IN (SELECT y.id FROM school_year y WHERE "
    "y.academy_id = ? AND y.ends_on < ?)))) LIMIT ?",
    "AAAAAsi"};

static const struct db_sql Q_D_KPARTY = {
    "DELETE FROM contract_party WHERE academy_id = ? AND version_id IN (SELECT v.id FROM "
    "contract_version v WHERE v.academy_id = ? AND v.contract_id IN (SELECT k.id FROM "
    "contract k WHERE k.academy_id = ? AND k.enrolment_id IN (SELECT e.id FROM enrolment e "
    "WHERE e.academy_id = ? AND e.year_id IN (SELECT y.id FROM school_year y WHERE "
    "y.academy_id = ? AND y.ends_on < ?)))) LIMIT ?",
    "AAAAAsi"};

static const struct db_sql Q_D_KVERSION = {
    "DELETE FROM contract_version WHERE academy_id = ? AND contract_id IN (SELECT k.id FROM "
    "contract k WHERE k.academy_id = ? AND k.enrolment_id IN (SELECT e.id FROM enrolment e "
    "WHERE e.academy_id = ? AND e.year_id IN (SELECT y.id FROM school_year y WHERE "
    "y.academy_id = ? AND y.ends_on < ?))) LIMIT ?",
    "AAAAsi"};

static const struct db_sql Q_D_KPOINT = {
    "DELETE FROM contract_point WHERE academy_id = ? AND contract_id IN (SELECT k.id FROM "
    "contract k WHERE k.academy_id = ? AND k.enrolment_id IN (SELECT e.id FROM enrolment e "
    "WHERE e.academy_id = ? AND e.year_id IN (SELECT y.id FROM school_year y WHERE "
    "y.academy_id = ? AND y.ends_on < ?))) LIMIT ?",
    "AAAAsi"};

static const struct db_sql Q_D_KBILAN = {
    "DELETE FROM contract_bilan WHERE academy_id = ? AND contract_id IN (SELECT k.id FROM "
    "contract k WHERE k.academy_id = ? AND k.enrolment_id IN (SELECT e.id FROM enrolment e "
    "WHERE e.academy_id = ? AND e.year_id IN (SELECT y.id FROM school_year y WHERE "
    "y.academy_id = ? AND y.ends_on < ?))) LIMIT ?",
    "AAAAsi"};

static const struct db_sql Q_D_CONTRACT = {
    "DELETE FROM contract WHERE academy_id = ? AND enrolment_id IN (SELECT e.id FROM "
    "enrolment e WHERE e.academy_id = ? AND e.year_id IN (SELECT y.id FROM school_year y "
    "WHERE y.academy_id = ? AND y.ends_on < ?)) LIMIT ?",
    "AAAsi"};

static const struct db_sql Q_D_PMREVIEW = {
    "DELETE FROM pole_meeting_review WHERE academy_id = ? AND enrolment_id IN (SELECT e.id "
    "FROM enrolment e WHERE e.academy_id = ? AND e.year_id IN (SELECT y.id FROM school_year y "
    "WHERE y.academy_id = ? AND y.ends_on < ?)) LIMIT ?",
    "AAAsi"};

static const struct db_sql Q_D_PMDECISION = {
    "DELETE FROM pole_meeting_decision WHERE academy_id = ? AND enrolment_id IN (SELECT e.id "
    "FROM enrolment e WHERE e.academy_id = ? AND e.year_id IN (SELECT y.id FROM school_year y "
    "WHERE y.academy_id = ? AND y.ends_on < ?)) LIMIT ?",
    "AAAsi"};

static const struct db_sql Q_D_REVIEWREQ = {
    "DELETE FROM review_request WHERE academy_id = ? AND enrolment_id IN (SELECT e.id FROM "
    "enrolment e WHERE e.academy_id = ? AND e.year_id IN (SELECT y.id FROM school_year y "
    "WHERE y.academy_id = ? AND y.ends_on < ?)) LIMIT ?",
    "AAAsi"};

static const struct db_sql Q_D_PERSOITEM = {
    "DELETE FROM personalisation_item WHERE academy_id = ? AND personalisation_id IN (SELECT "
    "pz.id FROM personalisation pz WHERE pz.academy_id = ? AND pz.enrolment_id IN (SELECT "
    "e.id FROM enrolment e WHERE e.academy_id = ? AND e.year_id IN (SELECT y.id FROM "
    "school_year y WHERE y.academy_id = ? AND y.ends_on < ?))) LIMIT ?",
    "AAAAsi"};

static const struct db_sql Q_D_PERSO = {
    "DELETE FROM personalisation WHERE academy_id = ? AND enrolment_id IN (SELECT e.id FROM "
    "enrolment e WHERE e.academy_id = ? AND e.year_id IN (SELECT y.id FROM school_year y "
    "WHERE y.academy_id = ? AND y.ends_on < ?)) LIMIT ?",
    "AAAsi"};

static const struct db_sql Q_D_WATTEND = {
    "DELETE FROM workshop_attendance WHERE academy_id = ? AND enrolment_id IN (SELECT e.id "
    "FROM enrolment e WHERE e.academy_id = ? AND e.year_id IN (SELECT y.id FROM school_year y "
    "WHERE y.academy_id = ? AND y.ends_on < ?)) LIMIT ?",
    "AAAsi"};

static const struct db_sql Q_D_WTRAINEE = {
    "DELETE FROM workshop_trainee WHERE academy_id = ? AND enrolment_id IN (SELECT e.id FROM "
    "enrolment e WHERE e.academy_id = ? AND e.year_id IN (SELECT y.id FROM school_year y "
    "WHERE y.academy_id = ? AND y.ends_on < ?)) LIMIT ?",
    "AAAsi"};

static const struct db_sql Q_D_TRACE = {
    "DELETE FROM trace WHERE academy_id = ? AND followup_id IN (SELECT f.id FROM followup f "
    "WHERE f.academy_id = ? AND f.enrolment_id IN (SELECT e.id FROM enrolment e WHERE "
    "e.academy_id = ? AND e.year_id IN (SELECT y.id FROM school_year y WHERE y.academy_id = ? "
    "AND y.ends_on < ?))) LIMIT ?",
    "AAAAsi"};

static const struct db_sql Q_D_DOCUMENT = {
    "DELETE FROM document WHERE academy_id = ? AND followup_id IN (SELECT f.id FROM followup "
    "f WHERE f.academy_id = ? AND f.enrolment_id IN (SELECT e.id FROM enrolment e WHERE "
    "e.academy_id = ? AND e.year_id IN (SELECT y.id FROM school_year y WHERE y.academy_id = ? "
    "AND y.ends_on < ?))) LIMIT ?",
    "AAAAsi"};

static const struct db_sql Q_D_FLEVEL = {
    "DELETE FROM followup_level WHERE academy_id = ? AND followup_id IN (SELECT f.id FROM "
    "followup f WHERE f.academy_id = ? AND f.enrolment_id IN (SELECT e.id FROM enrolment e "
    "WHERE e.academy_id = ? AND e.year_id IN (SELECT y.id FROM school_year y WHERE "
    "y.academy_id = ? AND y.ends_on < ?))) LIMIT ?",
    "AAAAsi"};

static const struct db_sql Q_D_FOLLOWUP = {
    "DELETE FROM followup WHERE academy_id = ? AND enrolment_id IN (SELECT e.id FROM "
    "enrolment e WHERE e.academy_id = ? AND e.year_id IN (SELECT y.id FROM school_year y "
    "WHERE y.academy_id = ? AND y.ends_on < ?)) LIMIT ?",
    "AAAsi"};

static const struct db_sql Q_D_SACOMMENT = {
    "DELETE FROM self_assessment_comment WHERE academy_id = ? AND assessment_id IN (SELECT "
    "sa.id FROM self_assessment sa WHERE sa.academy_id = ? AND sa.enrolment_id IN (SELECT "
    "e.id FROM enrolment e WHERE e.academy_id = ? AND e.year_id IN (SELECT y.id FROM "
    "school_year y WHERE y.academy_id = ? AND y.ends_on < ?))) LIMIT ?",
    "AAAAsi"};

static const struct db_sql Q_D_SAITEM = {
    "DELETE FROM self_assessment_item WHERE academy_id = ? AND assessment_id IN (SELECT sa.id "
    "FROM self_assessment sa WHERE sa.academy_id = ? AND sa.enrolment_id IN (SELECT e.id FROM "
    "enrolment e WHERE e.academy_id = ? AND e.year_id IN (SELECT y.id FROM school_year y "
    "WHERE y.academy_id = ? AND y.ends_on < ?))) LIMIT ?",
    "AAAAsi"};

static const struct db_sql Q_D_SA = {
    "DELETE FROM self_assessment WHERE academy_id = ? AND enrolment_id IN (SELECT e.id FROM "
    "enrolment e WHERE e.academy_id = ? AND e.year_id IN (SELECT y.id FROM school_year y "
    "WHERE y.academy_id = ? AND y.ends_on < ?)) LIMIT ?",
    "AAAsi"};

static const struct db_sql Q_D_BITEM = {
    "DELETE FROM bilan_item WHERE academy_id = ? AND bilan_id IN (SELECT b.id FROM bilan b "
    "WHERE b.academy_id = ? AND b.enrolment_id IN (SELECT e.id FROM enrolment e WHERE "
    "e.academy_id = ? AND e.year_id IN (SELECT y.id FROM school_year y WHERE y.academy_id = ? "
    "AND y.ends_on < ?))) LIMIT ?",
    "AAAAsi"};

static const struct db_sql Q_D_BILAN = {
    "DELETE FROM bilan WHERE academy_id = ? AND enrolment_id IN (SELECT e.id FROM enrolment e "
    "WHERE e.academy_id = ? AND e.year_id IN (SELECT y.id FROM school_year y WHERE "
    "y.academy_id = ? AND y.ends_on < ?)) LIMIT ?",
    "AAAsi"};

static const struct db_sql Q_D_RESULT = {
    "DELETE FROM result WHERE academy_id = ? AND enrolment_id IN (SELECT e.id FROM enrolment "
    "e WHERE e.academy_id = ? AND e.year_id IN (SELECT y.id FROM school_year y WHERE "
    "y.academy_id = ? AND y.ends_on < ?)) LIMIT ?",
    "AAAsi"};

static const struct db_sql Q_D_REPORT = {
    "DELETE FROM tutor_report WHERE academy_id = ? AND enrolment_id IN (SELECT e.id FROM "
    "enrolment e WHERE e.academy_id = ? AND e.year_id IN (SELECT y.id FROM school_year y "
    "WHERE y.academy_id = ? AND y.ends_on < ?)) LIMIT ?",
    "AAAsi"};

static const struct db_sql Q_D_TRIO = {
    "DELETE FROM trio_member WHERE academy_id = ? AND enrolment_id IN (SELECT e.id FROM "
    "enrolment e WHERE e.academy_id = ? AND e.year_id IN (SELECT y.id FROM school_year y "
    "WHERE y.academy_id = ? AND y.ends_on < ?)) LIMIT ?",
    "AAAsi"};

static const struct db_sql Q_D_PLACE = {
    "DELETE FROM enrolment_place WHERE academy_id = ? AND enrolment_id IN (SELECT e.id FROM "
    "enrolment e WHERE e.academy_id = ? AND e.year_id IN (SELECT y.id FROM school_year y "
    "WHERE y.academy_id = ? AND y.ends_on < ?)) LIMIT ?",
    "AAAsi"};

static const struct db_sql Q_D_ENROLMENT = {
    "DELETE FROM enrolment WHERE academy_id = ? AND year_id IN (SELECT y.id FROM school_year "
    "y WHERE y.academy_id = ? AND y.ends_on < ?) LIMIT ?",
    "AAsi"};

static const struct db_sql Q_D_WATTEND_Y = {
    "DELETE FROM workshop_attendance WHERE academy_id = ? AND session_id IN (SELECT ws.id "
    "FROM workshop_session ws WHERE ws.academy_id = ? AND ws.workshop_id IN (SELECT w.id FROM "
    "workshop w WHERE w.academy_id = ? AND w.year_id IN (SELECT y.id FROM school_year y WHERE "
    "y.academy_id = ? AND y.ends_on < ?))) LIMIT ?",
    "AAAAsi"};

static const struct db_sql Q_D_WTRAINEE_Y = {
    "DELETE FROM workshop_trainee WHERE academy_id = ? AND workshop_id IN (SELECT w.id FROM "
    "workshop w WHERE w.academy_id = ? AND w.year_id IN (SELECT y.id FROM school_year y WHERE "
    "y.academy_id = ? AND y.ends_on < ?)) LIMIT ?",
    "AAAsi"};

static const struct db_sql Q_D_WSESSION = {
    "DELETE FROM workshop_session WHERE academy_id = ? AND workshop_id IN (SELECT w.id FROM "
    "workshop w WHERE w.academy_id = ? AND w.year_id IN (SELECT y.id FROM school_year y WHERE "
    "y.academy_id = ? AND y.ends_on < ?)) LIMIT ?",
    "AAAsi"};

static const struct db_sql Q_D_WORKSHOP = {
    "DELETE FROM workshop WHERE academy_id = ? AND year_id IN (SELECT y.id FROM school_year y "
    "WHERE y.academy_id = ? AND y.ends_on < ?) LIMIT ?",
    "AAsi"};

static const struct db_sql Q_D_PMDECISION_Y = {
    "DELETE FROM pole_meeting_decision WHERE academy_id = ? AND meeting_id IN (SELECT m.id "
    "FROM pole_meeting m WHERE m.academy_id = ? AND m.year_id IN (SELECT y.id FROM "
    "school_year y WHERE y.academy_id = ? AND y.ends_on < ?)) LIMIT ?",
    "AAAsi"};

static const struct db_sql Q_D_PMREVIEW_Y = {
    "DELETE FROM pole_meeting_review WHERE academy_id = ? AND meeting_id IN (SELECT m.id FROM "
    "pole_meeting m WHERE m.academy_id = ? AND m.year_id IN (SELECT y.id FROM school_year y "
    "WHERE y.academy_id = ? AND y.ends_on < ?)) LIMIT ?",
    "AAAsi"};

static const struct db_sql Q_D_PERSO_UNLINK = {
    "UPDATE personalisation SET meeting_id = NULL WHERE academy_id = ? AND meeting_id IN "
    "(SELECT m.id FROM pole_meeting m WHERE m.academy_id = ? AND m.year_id IN (SELECT y.id "
    "FROM school_year y WHERE y.academy_id = ? AND y.ends_on < ?)) LIMIT ?",
    "AAAsi"};

static const struct db_sql Q_D_PMPART = {
    "DELETE FROM pole_meeting_participant WHERE academy_id = ? AND meeting_id IN (SELECT m.id "
    "FROM pole_meeting m WHERE m.academy_id = ? AND m.year_id IN (SELECT y.id FROM "
    "school_year y WHERE y.academy_id = ? AND y.ends_on < ?)) LIMIT ?",
    "AAAsi"};

static const struct db_sql Q_D_PMEETING = {
    "DELETE FROM pole_meeting WHERE academy_id = ? AND year_id IN (SELECT y.id FROM "
    "school_year y WHERE y.academy_id = ? AND y.ends_on < ?) LIMIT ?",
    "AAsi"};

static const struct db_sql Q_S_REPORT = {
    "DELETE FROM sopa_report WHERE academy_id = ? AND placement_id IN (SELECT pl.id FROM "
    "sopa_placement pl WHERE pl.academy_id = ? AND pl.period_id IN (SELECT pe.id FROM "
    "sopa_period pe WHERE pe.academy_id = ? AND pe.year_id IN (SELECT y.id FROM school_year y "
    "WHERE y.academy_id = ? AND y.ends_on < ?))) LIMIT ?",
    "AAAAsi"};

static const struct db_sql Q_S_PLACEMENT = {
    "DELETE FROM sopa_placement WHERE academy_id = ? AND period_id IN (SELECT pe.id FROM "
    "sopa_period pe WHERE pe.academy_id = ? AND pe.year_id IN (SELECT y.id FROM school_year y "
    "WHERE y.academy_id = ? AND y.ends_on < ?)) LIMIT ?",
    "AAAsi"};

static const struct db_sql Q_S_JURY = {
    "DELETE FROM sopa_jury WHERE academy_id = ? AND year_id IN (SELECT y.id FROM school_year "
    "y WHERE y.academy_id = ? AND y.ends_on < ?) LIMIT ?",
    "AAsi"};

static const struct db_sql Q_R_ANSWER = {
    "DELETE FROM reseau_poll_answer WHERE academy_id = ? AND option_id IN (SELECT op.id FROM "
    "reseau_poll_option op WHERE op.academy_id = ? AND op.poll_id IN (SELECT po.id FROM "
    "reseau_poll po WHERE po.academy_id = ? AND po.collective_id IN (SELECT co.id FROM "
    "reseau_collective co WHERE co.academy_id = ? AND co.call_id IN (SELECT rc.id FROM "
    "reseau_call rc WHERE rc.academy_id = ? AND rc.year_id IN (SELECT y.id FROM school_year y "
    "WHERE y.academy_id = ? AND y.ends_on < ?))))) LIMIT ?",
    "AAAAAAsi"};

static const struct db_sql Q_R_OPTION = {
    "DELETE FROM reseau_poll_option WHERE academy_id = ? AND poll_id IN (SELECT po.id FROM "
    "reseau_poll po WHERE po.academy_id = ? AND po.collective_id IN (SELECT co.id FROM "
    "reseau_collective co WHERE co.academy_id = ? AND co.call_id IN (SELECT rc.id FROM "
    "reseau_call rc WHERE rc.academy_id = ? AND rc.year_id IN (SELECT y.id FROM school_year y "
    "WHERE y.academy_id = ? AND y.ends_on < ?)))) LIMIT ?",
    "AAAAAsi"};

static const struct db_sql Q_R_POLL = {
    "DELETE FROM reseau_poll WHERE academy_id = ? AND collective_id IN (SELECT co.id FROM "
    "reseau_collective co WHERE co.academy_id = ? AND co.call_id IN (SELECT rc.id FROM "
    "reseau_call rc WHERE rc.academy_id = ? AND rc.year_id IN (SELECT y.id FROM school_year y "
    "WHERE y.academy_id = ? AND y.ends_on < ?))) LIMIT ?",
    "AAAAsi"};

static const struct db_sql Q_R_ATTEND = {
    "DELETE FROM reseau_attendance WHERE academy_id = ? AND meeting_id IN (SELECT me.id FROM "
    "reseau_meeting me WHERE me.academy_id = ? AND me.collective_id IN (SELECT co.id FROM "
    "reseau_collective co WHERE co.academy_id = ? AND co.call_id IN (SELECT rc.id FROM "
    "reseau_call rc WHERE rc.academy_id = ? AND rc.year_id IN (SELECT y.id FROM school_year y "
    "WHERE y.academy_id = ? AND y.ends_on < ?)))) LIMIT ?",
    "AAAAAsi"};

static const struct db_sql Q_R_CANVAS = {
    "DELETE FROM reseau_canvas WHERE academy_id = ? AND meeting_id IN (SELECT me.id FROM "
    "reseau_meeting me WHERE me.academy_id = ? AND me.collective_id IN (SELECT co.id FROM "
    "reseau_collective co WHERE co.academy_id = ? AND co.call_id IN (SELECT rc.id FROM "
    "reseau_call rc WHERE rc.academy_id = ? AND rc.year_id IN (SELECT y.id FROM school_year y "
    "WHERE y.academy_id = ? AND y.ends_on < ?)))) LIMIT ?",
    "AAAAAsi"};

static const struct db_sql Q_R_SYNTH = {
    "DELETE FROM reseau_synthesis WHERE academy_id = ? AND state = 'draft' AND meeting_id IN "
    "(SELECT me.id FROM reseau_meeting me WHERE me.academy_id = ? AND me.collective_id IN "
    "(SELECT co.id FROM reseau_collective co WHERE co.academy_id = ? AND co.call_id IN "
    "(SELECT rc.id FROM reseau_call rc WHERE rc.academy_id = ? AND rc.year_id IN (SELECT y.id "
    "FROM school_year y WHERE y.academy_id = ? AND y.ends_on < ?)))) LIMIT ?",
    "AAAAAsi"};

static const struct db_sql Q_R_MEMBER = {
    "DELETE FROM reseau_member WHERE academy_id = ? AND call_id IN (SELECT rc.id FROM "
    "reseau_call rc WHERE rc.academy_id = ? AND rc.year_id IN (SELECT y.id FROM school_year y "
    "WHERE y.academy_id = ? AND y.ends_on < ?)) LIMIT ?",
    "AAAsi"};

static const struct db_sql Q_R_VOLUNTEER = {
    "DELETE FROM reseau_volunteer WHERE academy_id = ? AND call_id IN (SELECT rc.id FROM "
    "reseau_call rc WHERE rc.academy_id = ? AND rc.year_id IN (SELECT y.id FROM school_year y "
    "WHERE y.academy_id = ? AND y.ends_on < ?)) LIMIT ?",
    "AAAsi"};

/*
 * The people whose identity goes (kind `person`): inactive since before the
 * cutoff, not anonymised yet, with no dossier nor placement left. Binds the
 * académie and the cutoff.
 */
#define GONE_PEOPLE                                                                              \
	"(SELECT p.id FROM person p WHERE p.academy_id = ? AND p.active = FALSE AND "            \
	"p.updated_at < ? AND p.username <> CONCAT('anonyme-', p.id) AND NOT EXISTS (SELECT 1 "   \
	"FROM enrolment e WHERE e.academy_id = p.academy_id AND e.trainee_id = p.id) AND NOT "     \
	"EXISTS (SELECT 1 FROM sopa_placement sp WHERE sp.academy_id = p.academy_id AND "         \
	"sp.student_id = p.id))"

static const struct db_sql Q_P_SESSION = {
    "DELETE FROM session WHERE academy_id = ? AND person_id IN " GONE_PEOPLE " LIMIT ?", "AAsi"};

static const struct db_sql Q_P_CHAL = {
    "DELETE FROM login_challenge WHERE academy_id = ? AND person_id IN " GONE_PEOPLE " LIMIT ?", "AAsi"};

static const struct db_sql Q_P_DEVICE = {
    "DELETE FROM login_device WHERE academy_id = ? AND person_id IN " GONE_PEOPLE " LIMIT ?", "AAsi"};

static const struct db_sql Q_P_TOTP = {
    "DELETE FROM person_totp WHERE academy_id = ? AND person_id IN " GONE_PEOPLE " LIMIT ?", "AAsi"};

static const struct db_sql Q_P_RECOVERY = {
    "DELETE FROM totp_recovery_code WHERE academy_id = ? AND person_id IN " GONE_PEOPLE " LIMIT ?", "AAsi"};

static const struct db_sql Q_P_FEED = {
    "DELETE FROM calendar_feed WHERE academy_id = ? AND person_id IN " GONE_PEOPLE " LIMIT ?", "AAsi"};

static const struct db_sql Q_P_PREF = {
    "DELETE FROM notification_pref WHERE academy_id = ? AND person_id IN " GONE_PEOPLE " LIMIT ?", "AAsi"};

static const struct db_sql Q_P_COLUMNS = {
    "DELETE FROM pilotage_column_pref WHERE academy_id = ? AND person_id IN " GONE_PEOPLE
    " LIMIT ?", "AAsi"};

static const struct db_sql Q_P_NOTIF = {
    "DELETE FROM notification WHERE academy_id = ? AND recipient_id IN " GONE_PEOPLE " LIMIT ?", "AAsi"};

static const struct db_sql Q_P_ROLE = {
    "DELETE FROM role_assignment WHERE academy_id = ? AND person_id IN " GONE_PEOPLE " LIMIT ?", "AAsi"};

static const struct db_sql Q_P_ANON = {
    "UPDATE person p SET username = CONCAT('anonyme-', p.id), display_name = 'Personne "
    "supprimée', given_name = NULL, family_name = NULL, email = NULL, ldap_dn = NULL, "
    "directory_id = NULL, directory_mismatch_id = NULL, last_login_at = NULL, updated_at = "
    "NOW(3), version = version + 1 WHERE p.academy_id = ? AND p.active = FALSE AND "
    "p.updated_at < ? AND p.username <> CONCAT('anonyme-', p.id) AND NOT EXISTS (SELECT 1 "
    "FROM enrolment e WHERE e.academy_id = p.academy_id AND e.trainee_id = p.id) AND NOT "
    "EXISTS (SELECT 1 FROM sopa_placement sp WHERE sp.academy_id = p.academy_id AND "
    "sp.student_id = p.id) LIMIT ?",
    "si"};

static const struct retention_step session_steps[] = {
    {"session", &Q_SES, false},
    {"login_challenge", &Q_CHAL, false},
    {0},
};

static const struct retention_step login_throttle_steps[] = {
    {"login_throttle", &Q_THR, false},
    {0},
};

static const struct retention_step login_device_steps[] = {
    {"login_device", &Q_DEV, false},
    {0},
};

static const struct retention_step audit_log_steps[] = {
    {"audit_log", &Q_AUD, false},
    {0},
};

static const struct retention_step read_log_steps[] = {
    {"read_log", &Q_RL, false},
    {"acc_read", &Q_ACCR, false},
    {0},
};

static const struct retention_step notification_steps[] = {
    {"notification", &Q_NOTIF, false},
    {"reminder_sent", &Q_RSENT, false},
    {0},
};

static const struct retention_step rectification_steps[] = {
    {"rectification_request", &Q_RECT, false},
    {0},
};

static const struct retention_step personal_copy_steps[] = {
    {"personal_copy", &Q_COPY, false},
    {0},
};

static const struct retention_step mail_outbox_steps[] = {
    {"mail_outbox", &Q_MAIL, false},
    {0},
};

static const struct retention_step dossier_steps[] = {
    {"acc_read", &Q_D_ACCREAD, false},
    {"acc_share", &Q_D_ACCSHARE_UNLINK, true},
    {"acc_share", &Q_D_ACCSHARE, false},
    {"acc_agreement", &Q_D_ACCAGREE, false},
    {"acc_entry", &Q_D_ACCENTRY_UNLINK, true},
    {"acc_entry", &Q_D_ACCENTRY, false},
    {"acc_level", &Q_D_ACCLEVEL, false},
    {"acc_case", &Q_D_ACCCASE, false},
    {"contract_signature", &Q_D_KSIG, false},
    {"contract_party", &Q_D_KPARTY, false},
    {"contract_version", &Q_D_KVERSION, false},
    {"contract_point", &Q_D_KPOINT, false},
    {"contract_bilan", &Q_D_KBILAN, false},
    {"contract", &Q_D_CONTRACT, false},
    {"pole_meeting_review", &Q_D_PMREVIEW, false},
    {"pole_meeting_decision", &Q_D_PMDECISION, false},
    {"review_request", &Q_D_REVIEWREQ, false},
    {"personalisation_item", &Q_D_PERSOITEM, false},
    {"personalisation", &Q_D_PERSO, false},
    {"workshop_attendance", &Q_D_WATTEND, false},
    {"workshop_trainee", &Q_D_WTRAINEE, false},
    {"trace", &Q_D_TRACE, false},
    {"document", &Q_D_DOCUMENT, false},
    {"followup_level", &Q_D_FLEVEL, false},
    {"followup", &Q_D_FOLLOWUP, false},
    {"self_assessment_comment", &Q_D_SACOMMENT, false},
    {"self_assessment_item", &Q_D_SAITEM, false},
    {"self_assessment", &Q_D_SA, false},
    {"bilan_item", &Q_D_BITEM, false},
    {"bilan", &Q_D_BILAN, false},
    {"result", &Q_D_RESULT, false},
    {"tutor_report", &Q_D_REPORT, false},
    {"trio_member", &Q_D_TRIO, false},
    {"enrolment_place", &Q_D_PLACE, false},
    {"enrolment", &Q_D_ENROLMENT, false},
    {"workshop_attendance", &Q_D_WATTEND_Y, false},
    {"workshop_trainee", &Q_D_WTRAINEE_Y, false},
    {"workshop_session", &Q_D_WSESSION, false},
    {"workshop", &Q_D_WORKSHOP, false},
    {"pole_meeting_decision", &Q_D_PMDECISION_Y, false},
    {"pole_meeting_review", &Q_D_PMREVIEW_Y, false},
    {"personalisation", &Q_D_PERSO_UNLINK, true},
    {"pole_meeting_participant", &Q_D_PMPART, false},
    {"pole_meeting", &Q_D_PMEETING, false},
    {0},
};

static const struct retention_step sopa_report_steps[] = {
    {"sopa_report", &Q_S_REPORT, false},
    {"sopa_placement", &Q_S_PLACEMENT, false},
    {"sopa_jury", &Q_S_JURY, false},
    {0},
};

static const struct retention_step reseau_steps[] = {
    {"reseau_poll_answer", &Q_R_ANSWER, false},
    {"reseau_poll_option", &Q_R_OPTION, false},
    {"reseau_poll", &Q_R_POLL, false},
    {"reseau_attendance", &Q_R_ATTEND, false},
    {"reseau_canvas", &Q_R_CANVAS, false},
    {"reseau_synthesis", &Q_R_SYNTH, false},
    {"reseau_member", &Q_R_MEMBER, false},
    {"reseau_volunteer", &Q_R_VOLUNTEER, false},
    {0},
};

static const struct retention_step person_steps[] = {
    {"session", &Q_P_SESSION, false},
    {"login_challenge", &Q_P_CHAL, false},
    {"login_device", &Q_P_DEVICE, false},
    {"person_totp", &Q_P_TOTP, false},
    {"totp_recovery_code", &Q_P_RECOVERY, false},
    {"calendar_feed", &Q_P_FEED, false},
    {"notification_pref", &Q_P_PREF, false},
    {"pilotage_column_pref", &Q_P_COLUMNS, false},
    {"notification", &Q_P_NOTIF, false},
    {"role_assignment", &Q_P_ROLE, false},
    {"person", &Q_P_ANON, false},
    {0},
};

/*
 * The kinds, their defaults and their bounds (docs/rgpd.md explains each
 * default from the purpose of the records). A new kind: its steps above,
 * one entry here; the admin's screen and `tutoratctl purge` take it from
 * this table.
 */
const struct retention_kind retention_kinds[] = {
    {"session", "Sessions de connexion et défis de second facteur",
     "la fin de la session (expiration ou déconnexion) ou du défi de connexion", 30, 1, 365,
     session_steps},
    {"login_throttle", "Compteurs d'échecs de connexion",
     "le début du décompte ou la fin du blocage, le plus tardif des deux", 7, 1, 90,
     login_throttle_steps},
    {"login_device", "Navigateurs reconnus", "la dernière connexion depuis ce navigateur", 395, 30,
     395, login_device_steps},
    {"audit_log", "Journal d'audit des écritures", "l'écriture", 365, 30, 1825, audit_log_steps},
    {"read_log", "Journal des consultations de dossiers", "la consultation", 365, 30, 1825,
     read_log_steps},
    {"notification", "Notifications et rappels envoyés", "la notification ou le rappel", 180, 7,
     1825, notification_steps},
    {"mail_outbox", "Courriels envoyés ou en échec",
     "la création du courriel (envoyé ou en échec ; un courriel à envoyer reste)", 90, 7, 1825,
     mail_outbox_steps},
    {"dossier", "Dossiers de suivi des stagiaires (tutorat, accompagnement, parcours, réunions)",
     "la fin de l'année scolaire de l'inscription", 365, 30, 3650, dossier_steps},
    {"sopa_report", "Stages d'observation (SOPA) et comptes rendus",
     "la fin de l'année scolaire du stage", 365, 30, 3650, sopa_report_steps},
    {"reseau", "Participation aux réseaux de tuteurs", "la fin de l'année scolaire de l'appel", 365,
     30, 3650, reseau_steps},
    {"rectification", "Demandes de rectification traitées", "la réponse à la demande", 365, 30,
     1825, rectification_steps},
    {"personal_copy", "Copies de données personnelles demandées",
     "le téléchargement ou l'expiration du lien", 30, 1, 365, personal_copy_steps},
    {"person", "Identité des personnes désactivées (anonymisée)",
     "la désactivation, une fois ses dossiers et stages supprimés", 365, 30, 3650, person_steps},
    {0},
};

const struct retention_kind *retention_kind_named(const char *name)
{
	for (const struct retention_kind *k = retention_kinds; k->name != NULL; k++)
		if (strcmp(k->name, name) == 0)
			return k;
	return NULL;
}

enum err retention_db_rules(struct req *r, struct db_res *out) { return db_rows(r, &Q_RULES, out); }

enum err retention_db_set(struct req *r, const char *kind, int64_t days, int64_t updated_by)
{
	return db_run(r, &Q_RULE_SET, NULL, kind, days, updated_by);
}

enum err retention_db_reset(struct req *r, const char *kind)
{
	return db_run(r, &Q_RULE_RESET, NULL, kind);
}

const struct db_sql *const retention_statements[] = {
    &Q_RULES,
    &Q_RULE_SET,
    &Q_RULE_RESET,
    &Q_SES,
    &Q_CHAL,
    &Q_THR,
    &Q_DEV,
    &Q_AUD,
    &Q_RL,
    &Q_ACCR,
    &Q_RECT,
    &Q_COPY,
    &Q_NOTIF,
    &Q_RSENT,
    &Q_MAIL,
    &Q_D_ACCREAD,
    &Q_D_ACCSHARE_UNLINK,
    &Q_D_ACCSHARE,
    &Q_D_ACCAGREE,
    &Q_D_ACCENTRY_UNLINK,
    &Q_D_ACCENTRY,
    &Q_D_ACCLEVEL,
    &Q_D_ACCCASE,
    &Q_D_KSIG,
    &Q_D_KPARTY,
    &Q_D_KVERSION,
    &Q_D_KPOINT,
    &Q_D_KBILAN,
    &Q_D_CONTRACT,
    &Q_D_PMREVIEW,
    &Q_D_PMDECISION,
    &Q_D_REVIEWREQ,
    &Q_D_PERSOITEM,
    &Q_D_PERSO,
    &Q_D_WATTEND,
    &Q_D_WTRAINEE,
    &Q_D_TRACE,
    &Q_D_DOCUMENT,
    &Q_D_FLEVEL,
    &Q_D_FOLLOWUP,
    &Q_D_SACOMMENT,
    &Q_D_SAITEM,
    &Q_D_SA,
    &Q_D_BITEM,
    &Q_D_BILAN,
    &Q_D_RESULT,
    &Q_D_REPORT,
    &Q_D_TRIO,
    &Q_D_PLACE,
    &Q_D_ENROLMENT,
    &Q_D_WATTEND_Y,
    &Q_D_WTRAINEE_Y,
    &Q_D_WSESSION,
    &Q_D_WORKSHOP,
    &Q_D_PMDECISION_Y,
    &Q_D_PMREVIEW_Y,
    &Q_D_PERSO_UNLINK,
    &Q_D_PMPART,
    &Q_D_PMEETING,
    &Q_S_REPORT,
    &Q_S_PLACEMENT,
    &Q_S_JURY,
    &Q_R_ANSWER,
    &Q_R_OPTION,
    &Q_R_POLL,
    &Q_R_ATTEND,
    &Q_R_CANVAS,
    &Q_R_SYNTH,
    &Q_R_MEMBER,
    &Q_R_VOLUNTEER,
    &Q_P_SESSION,
    &Q_P_CHAL,
    &Q_P_DEVICE,
    &Q_P_TOTP,
    &Q_P_RECOVERY,
    &Q_P_FEED,
    &Q_P_PREF,
    &Q_P_COLUMNS,
    &Q_P_NOTIF,
    &Q_P_ROLE,
    &Q_P_ANON,
    NULL,
};
