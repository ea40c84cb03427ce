/*
 * The copy module's statements: the copies themselves, and the parts of a
 * person's copy. Each part is one statement whatever the number of records
 * (MariaDB builds its JSON array, JSON_ARRAYAGG), bound with the person's
 * id: what the person may read today in each module, nothing that is
 * private to others (docs/copy.md says part by part).
 */
#include <string.h>

#include "copy.h"
#include "db.h"
#include "notify.h"
#include "req.h"
#include "util.h"

#define T(col)	 "DATE_FORMAT(" col ", '%Y-%m-%dT%H:%i:%sZ')"
#define D(col)	 "DATE_FORMAT(" col ", '%Y-%m-%d')"
#define B(x)	 "JSON_EXTRACT(IF(" x ", 'true', 'false'), '$')"
#define IDS_JSON "IN (SELECT j.id FROM JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT PATH '$')) j) "
/* The person's enrolments (they are the trainee): e, bound to the person. */
#define MINE "e.academy_id = ? AND e.trainee_id = ?"
#define ENROLMENT_OF(x)                                                                            \
	"JOIN enrolment e ON e.academy_id = " x ".academy_id AND e.id = " x ".enrolment_id "
#define ARRAY(obj, order) "SELECT JSON_ARRAYAGG(JSON_OBJECT(" obj ") ORDER BY " order ") AS j "

/* The statements are long SQL texts assembled from the macros above;
 * clang-format would split them mid-word. */
/* clang-format off */

/* ---- the copies ---- */

static const struct db_sql Q_RESOLVE = {
    "SELECT id, status FROM personal_copy WHERE academy_id = ? AND id = ? AND person_id = ?",
    "ii", DB_COLS("id", "status")};
static const struct db_sql Q_RELATIONS = {
    "SELECT id FROM personal_copy WHERE academy_id = ? AND person_id = ? AND id " IDS_JSON,
    "is", DB_COLS("id")};
static const struct db_sql Q_INSERT = {
    "INSERT INTO personal_copy (academy_id, id, person_id, status, requested_at) "
    "VALUES (?, ?, ?, 'pending', NOW(3))",
    "ii"};
static const struct db_sql Q_LIST = {
    "SELECT id, IF(status = 'ready' AND expires_at <= NOW(3), 'expired', status) AS status, "
    T("requested_at") " AS requested_at, " T("ready_at") " AS ready_at, "
    T("expires_at") " AS expires_at, " T("downloaded_at") " AS downloaded_at, size_bytes "
    "FROM personal_copy WHERE academy_id = ? AND person_id = ? "
    "ORDER BY requested_at DESC, id DESC LIMIT 20",
    "i",
    DB_COLS("id", "status", "requested_at", "ready_at", "expires_at", "downloaded_at",
	    "size_bytes")};
static const struct db_sql Q_SET_TOKEN = {
    "UPDATE personal_copy SET token_hash = ? WHERE academy_id = ? AND id = ? "
    "AND person_id = ? AND status = 'ready' AND expires_at > NOW(3)",
    "bAii"};
/* The consumption: one row changes for one caller; a second download of
 * the same link, concurrent or later, changes none. */
static const struct db_sql Q_CONSUME = {
    "UPDATE personal_copy SET status = 'downloaded', downloaded_at = NOW(3), token_hash = NULL "
    "WHERE academy_id = ? AND id = ? AND person_id = ? AND status = 'ready' "
    "AND expires_at > NOW(3) AND token_hash = ?",
    "iib"};
static const struct db_sql Q_CONTENT = {
    "SELECT content FROM personal_copy WHERE academy_id = ? AND id = ? AND content IS NOT NULL",
    "i", DB_COLS("content")};
static const struct db_sql Q_DROP_CONTENT = {
    "UPDATE personal_copy SET content = NULL WHERE academy_id = ? AND id = ?", "i"};
/* The runner takes the oldest pending copy no other runner holds. */
static const struct db_sql Q_CLAIM = {
    "SELECT id, person_id FROM personal_copy WHERE academy_id = ? AND status = 'pending' "
    "ORDER BY requested_at, id LIMIT 1 FOR UPDATE SKIP LOCKED",
    "", DB_COLS("id", "person_id")};
static const struct db_sql Q_READY = {
    "UPDATE personal_copy SET status = 'ready', ready_at = NOW(3), "
    "expires_at = NOW(3) + INTERVAL 24 HOUR, size_bytes = ?, content = ? "
    "WHERE academy_id = ? AND id = ? AND status = 'pending'",
    "ibAi"};
static const struct db_sql Q_FAILED = {
    "UPDATE personal_copy SET status = 'failed' WHERE academy_id = ? AND id = ? "
    "AND status = 'pending'",
    "i"};
static const struct db_sql Q_EXPIRE = {
    "UPDATE personal_copy SET status = 'expired', content = NULL, token_hash = NULL "
    "WHERE academy_id = ? AND status = 'ready' AND expires_at <= NOW(3)",
    ""};

/* ---- the parts of a copy ---- */

static const struct db_sql Q_PERSON = {
    "SELECT JSON_OBJECT('id', p.id, 'username', p.username, 'display_name', p.display_name, "
    "'given_name', p.given_name, 'family_name', p.family_name, 'email', p.email, "
    "'active', " B("p.active") ", 'created_at', " T("p.created_at") ", 'updated_at', "
    T("p.updated_at") ", 'last_login_at', " T("p.last_login_at") ", 'academy', a.name) AS j "
    "FROM person p JOIN academy a ON a.id = p.academy_id WHERE p.academy_id = ? AND p.id = ?",
    "i", DB_COLS("j")};
static const struct db_sql Q_ROLES = {
    ARRAY("'role', ra.role, 'scope_kind', ra.scope_kind, 'scope', s.name, 'source', ra.source, "
	  "'since', " T("ra.created_at"),
	  "ra.role, s.name")
    "FROM role_assignment ra LEFT JOIN structure s ON s.academy_id = ra.academy_id "
    "AND s.id = ra.scope_id WHERE ra.academy_id = ? AND ra.person_id = ?",
    "i", DB_COLS("j")};
static const struct db_sql Q_ENROLMENTS = {
    ARRAY("'id', e.id, 'year', y.label, 'parcours', e.parcours, 'degre', e.degre, "
	  "'category', e.category, 'discipline', di.name, 'pole', po.name, 'inspe_site', si.name, "
	  "'renouvellement', " B("e.renouvellement") ", 'inspe_hours', e.inspe_hours, "
	  "'created_at', " T("e.created_at"),
	  "y.starts_on, e.id")
    "FROM enrolment e JOIN school_year y ON y.academy_id = e.academy_id AND y.id = e.year_id "
    "LEFT JOIN structure di ON di.academy_id = e.academy_id AND di.id = e.discipline_id "
    "LEFT JOIN structure po ON po.academy_id = e.academy_id AND po.id = e.pole_id "
    "LEFT JOIN structure si ON si.academy_id = e.academy_id AND si.id = e.inspe_site_id "
    "WHERE " MINE,
    "i", DB_COLS("j")};
static const struct db_sql Q_PLACES = {
    ARRAY("'enrolment_id', ep.enrolment_id, 'school', s.name, 'class_label', ep.class_label",
	  "ep.enrolment_id, s.name")
    "FROM enrolment_place ep " ENROLMENT_OF("ep")
    "JOIN structure s ON s.academy_id = ep.academy_id AND s.id = ep.school_id WHERE " MINE,
    "i", DB_COLS("j")};
static const struct db_sql Q_TUTORS = {
    ARRAY("'enrolment_id', tm.enrolment_id, 'role', tm.role, 'name', p.display_name, "
	  "'started_at', " T("tm.started_at") ", 'ended_at', " T("tm.ended_at"),
	  "tm.enrolment_id, tm.started_at")
    "FROM trio_member tm " ENROLMENT_OF("tm")
    "JOIN person p ON p.academy_id = tm.academy_id AND p.id = tm.person_id WHERE " MINE,
    "i", DB_COLS("j")};
static const struct db_sql Q_FOLLOWUPS = {
    ARRAY("'id', f.id, 'enrolment_id', f.enrolment_id, 'kind', f.kind, 'state', f.state, "
	  "'scheduled_at', " T("f.scheduled_at") ", 'with_terrain', " B("f.with_terrain")
	  ", 'with_inspe', " B("f.with_inspe") ", 'points_to_observe', f.points_to_observe, "
	  "'expectations', f.expectations, 'observation_notes', f.observation_notes, "
	  "'analyses', f.analyses, 'remediations', f.remediations, 'action_paths', "
	  "f.action_paths, 'points_appui', f.points_appui, 'axes_evolution', f.axes_evolution, "
	  "'priorities', f.priorities, 'cancel_reason', f.cancel_reason",
	  "f.scheduled_at, f.id")
    "FROM followup f " ENROLMENT_OF("f") "WHERE " MINE,
    "i", DB_COLS("j")};
/* The trainee's own feedback; the tutors' trace once published. */
static const struct db_sql Q_TRACES = {
    ARRAY("'followup_id', t.followup_id, 'author', t.author, 'retained', t.retained, "
	  "'axes', t.axes, 'body', t.body, 'published_at', " T("t.published_at")
	  ", 'updated_at', " T("t.updated_at"),
	  "f.scheduled_at, t.author")
    "FROM trace t JOIN followup f ON f.academy_id = t.academy_id AND f.id = t.followup_id "
    ENROLMENT_OF("f") "WHERE " MINE " AND (t.author = 'trainee' OR t.published_at IS NOT NULL)",
    "i", DB_COLS("j")};
static const struct db_sql Q_ASSESSMENTS = {
    ARRAY("'id', sa.id, 'enrolment_id', sa.enrolment_id, 'revision', sa.revision, "
	  "'priorities', sa.priorities, 'created_at', " T("sa.created_at"),
	  "sa.enrolment_id, sa.revision")
    "FROM self_assessment sa " ENROLMENT_OF("sa") "WHERE " MINE,
    "i", DB_COLS("j")};
static const struct db_sql Q_ASSESSMENT_ITEMS = {
    ARRAY("'assessment_id', it.assessment_id, 'competence', c.code, 'title', c.title, "
	  "'level', it.level_rank, 'comment', it.comment",
	  "it.assessment_id, c.position")
    "FROM self_assessment_item it JOIN self_assessment sa ON sa.academy_id = it.academy_id "
    "AND sa.id = it.assessment_id " ENROLMENT_OF("sa")
    "JOIN competence c ON c.academy_id = it.academy_id AND c.id = it.competence_id WHERE " MINE,
    "i", DB_COLS("j")};
static const struct db_sql Q_ASSESSMENT_COMMENTS = {
    ARRAY("'assessment_id', sc.assessment_id, 'author', p.display_name, 'body', sc.body, "
	  "'created_at', " T("sc.created_at"),
	  "sc.created_at, sc.id")
    "FROM self_assessment_comment sc JOIN self_assessment sa ON sa.academy_id = sc.academy_id "
    "AND sa.id = sc.assessment_id " ENROLMENT_OF("sa")
    "JOIN person p ON p.academy_id = sc.academy_id AND p.id = sc.author_id WHERE " MINE,
    "i", DB_COLS("j")};
static const struct db_sql Q_BILANS = {
    ARRAY("'id', b.id, 'enrolment_id', b.enrolment_id, 'kind', b.kind, 'revision', b.revision, "
	  "'due_on', " D("b.due_on") ", 'validated_terrain_at', " T("b.validated_terrain_at")
	  ", 'validated_inspe_at', " T("b.validated_inspe_at") ", 'frozen_at', "
	  T("b.frozen_at") ", 'created_at', " T("b.created_at"),
	  "b.enrolment_id, b.kind, b.revision")
    "FROM bilan b " ENROLMENT_OF("b") "WHERE " MINE,
    "i", DB_COLS("j")};
static const struct db_sql Q_BILAN_ITEMS = {
    ARRAY("'bilan_id', bi.bilan_id, 'competence', c.code, 'title', c.title, 'level', "
	  "bi.level_rank, 'comment', bi.comment",
	  "bi.bilan_id, c.position")
    "FROM bilan_item bi JOIN bilan b ON b.academy_id = bi.academy_id AND b.id = bi.bilan_id "
    ENROLMENT_OF("b")
    "JOIN competence c ON c.academy_id = bi.academy_id AND c.id = bi.competence_id WHERE " MINE,
    "i", DB_COLS("j")};
static const struct db_sql Q_RESULTS = {
    ARRAY("'enrolment_id', rs.enrolment_id, 'note', rs.note, 'avis', rs.avis, 'comment', "
	  "rs.comment, 'recorded_at', " T("rs.recorded_at"),
	  "rs.enrolment_id")
    "FROM result rs " ENROLMENT_OF("rs") "WHERE " MINE,
    "i", DB_COLS("j")};
/* The documents of their dossier, and those they uploaded themselves. */
#define DOCUMENTS                                                                                  \
	"FROM document d JOIN followup f ON f.academy_id = d.academy_id AND f.id = d.followup_id " \
	ENROLMENT_OF("f")                                                                          \
	"JOIN person u ON u.academy_id = d.academy_id AND u.id = d.uploaded_by "                  \
	"WHERE d.academy_id = ? AND (e.trainee_id = ? OR d.uploaded_by = ?)"
static const struct db_sql Q_DOCUMENTS = {
    ARRAY("'id', d.id, 'followup_id', d.followup_id, 'filename', d.filename, 'content_type', "
	  "d.content_type, 'size', d.size_bytes, 'uploaded_by', u.display_name, 'created_at', "
	  T("d.created_at"),
	  "d.created_at, d.id") DOCUMENTS,
    "ii", DB_COLS("j")};
static const struct db_sql Q_DOCUMENT_FILES = {
    "SELECT d.id, d.filename, d.content " DOCUMENTS " ORDER BY d.created_at, d.id", "ii",
    DB_COLS("id", "filename", "content")};
/* Accompaniment: the trainee reads their whole case (accompaniment_db.c:
 * a trainee's min_level is 1). */
static const struct db_sql Q_CASES = {
    ARRAY("'id', c.id, 'enrolment_id', c.enrolment_id, 'level', c.level, 'opened_at', "
	  T("c.opened_at") ", 'closed_at', " T("c.closed_at"),
	  "c.opened_at, c.id")
    "FROM acc_case c " ENROLMENT_OF("c") "WHERE " MINE,
    "i", DB_COLS("j")};
static const struct db_sql Q_CASE_LEVELS = {
    ARRAY("'case_id', l.case_id, 'level', l.level, 'starts_on', " D("l.starts_on")
	  ", 'ends_on', " D("l.ends_on") ", 'reason', l.reason, 'closed_at', " T("l.closed_at")
	  ", 'outcome', l.outcome, 'bilan', l.bilan",
	  "l.case_id, l.opened_at")
    "FROM acc_level l JOIN acc_case c ON c.academy_id = l.academy_id AND c.id = l.case_id "
    ENROLMENT_OF("c") "WHERE " MINE,
    "i", DB_COLS("j")};
static const struct db_sql Q_CASE_ENTRIES = {
    ARRAY("'case_id', en.case_id, 'level', en.level, 'kind', en.kind, 'happened_on', "
	  D("en.happened_on") ", 'body', en.body, 'corrects_id', en.corrects_id, 'author', "
	  "p.display_name, 'written_at', " T("en.written_at"),
	  "en.case_id, en.happened_on, en.written_at")
    "FROM acc_entry en JOIN acc_case c ON c.academy_id = en.academy_id AND c.id = en.case_id "
    ENROLMENT_OF("c")
    "JOIN person p ON p.academy_id = en.academy_id AND p.id = en.author_id WHERE " MINE,
    "i", DB_COLS("j")};
/* Meetings: the fiches de personnalisation of their enrolments, which the
 * trainee reads whole (meetings.c: FICHE_SEE holds MREL_TRAINEE), drafts
 * included, with the cellule's decision. The pôle meetings themselves (the
 * lists, the decisions) are read by staff only: not a part. */
static const struct db_sql Q_FICHES = {
    ARRAY("'id', p.id, 'enrolment_id', p.enrolment_id, 'meeting_number', m.number, "
	  "'decided_on', " D("p.decided_on") ", 'school', s.name, 'class_label', "
	  "ep.class_label, 'status', p.status, 'created_at', " T("p.created_at")
	  ", 'sent_at', " T("p.sent_at") ", 'decided_at', " T("p.decided_at")
	  ", 'agreed_hours', p.agreed_hours, 'decision_note', p.decision_note",
	  "p.decided_on, p.id")
    "FROM personalisation p " ENROLMENT_OF("p")
    "LEFT JOIN pole_meeting m ON m.academy_id = p.academy_id AND m.id = p.meeting_id "
    "LEFT JOIN enrolment_place ep ON ep.academy_id = p.academy_id AND ep.id = p.place_id "
    "LEFT JOIN structure s ON s.academy_id = ep.academy_id AND s.id = ep.school_id "
    "WHERE " MINE,
    "i", DB_COLS("j")};
static const struct db_sql Q_FICHE_ITEMS = {
    ARRAY("'personalisation_id', pi.personalisation_id, 'difficulty', pi.difficulty, "
	  "'label', ELT(pi.difficulty, 'Sécurité des élèves', "
	  "'Posture du fonctionnaire défaillante', 'Gestion de la classe', "
	  "'Conduite d’évitement ne permettant pas les échanges professionnels', "
	  "'Préparation et mise en œuvre'), 'situation', pi.situation, 'support', pi.support, "
	  "'hours', pi.hours",
	  "pi.personalisation_id, pi.difficulty")
    "FROM personalisation_item pi JOIN personalisation p ON p.academy_id = pi.academy_id "
    "AND p.id = pi.personalisation_id " ENROLMENT_OF("p") "WHERE " MINE,
    "i", DB_COLS("j")};
/* Contracts: the parcours d'individualisation the person reads today
 * (contracts_db.c): as its trainee, or as a party named by its current
 * version; every version (content and hash), every signature of it, the
 * points de situation and the bilans (GET /individualisations/{id}).
 * Binds the person twice. */
#define MY_CONTRACT                                                                                \
	"(e.trainee_id = ? OR EXISTS (SELECT 1 FROM contract_version cv "                          \
	"JOIN contract_party cp ON cp.academy_id = cv.academy_id AND cp.version_id = cv.id "       \
	"WHERE cv.academy_id = c.academy_id AND cv.contract_id = c.id "                            \
	"AND cv.superseded_at IS NULL AND cp.person_id = ?))"
#define CONTRACT_OF(x)                                                                             \
	"JOIN contract c ON c.academy_id = " x ".academy_id AND c.id = " x ".contract_id "
static const struct db_sql Q_CONTRACTS = {
    ARRAY("'id', c.id, 'enrolment_id', c.enrolment_id, 'annex', c.annex, 'trainee', "
	  "t.display_name, 'opened_at', " T("c.opened_at"),
	  "c.opened_at, c.id")
    "FROM contract c " ENROLMENT_OF("c")
    "JOIN person t ON t.academy_id = e.academy_id AND t.id = e.trainee_id "
    "WHERE c.academy_id = ? AND " MY_CONTRACT,
    "ii", DB_COLS("j")};
static const struct db_sql Q_CONTRACT_VERSIONS = {
    ARRAY("'contract_id', v.contract_id, 'number', v.number, 'content', "
	  "JSON_EXTRACT(v.content, '$'), 'content_sha256', v.content_sha256, 'created_at', "
	  T("v.created_at") ", 'superseded_at', " T("v.superseded_at"),
	  "v.contract_id, v.number")
    "FROM contract_version v " CONTRACT_OF("v") ENROLMENT_OF("c")
    "WHERE v.academy_id = ? AND " MY_CONTRACT,
    "ii", DB_COLS("j")};
static const struct db_sql Q_CONTRACT_SIGNATURES = {
    ARRAY("'contract_id', v.contract_id, 'version', v.number, 'role', cp.role, 'signer', "
	  "sp.display_name, 'signed_at', " T("sg.signed_at") ", 'content_sha256', "
	  "sg.content_sha256",
	  "v.contract_id, v.number, sg.signed_at")
    "FROM contract_signature sg JOIN contract_version v ON v.academy_id = sg.academy_id "
    "AND v.id = sg.version_id " CONTRACT_OF("v") ENROLMENT_OF("c")
    "JOIN person sp ON sp.academy_id = sg.academy_id AND sp.id = sg.person_id "
    "LEFT JOIN contract_party cp ON cp.academy_id = sg.academy_id "
    "AND cp.version_id = sg.version_id AND cp.person_id = sg.person_id "
    "WHERE sg.academy_id = ? AND " MY_CONTRACT,
    "ii", DB_COLS("j")};
static const struct db_sql Q_CONTRACT_POINTS = {
    ARRAY("'contract_id', pt.contract_id, 'held_on', " D("pt.held_on") ", 'body', pt.body, "
	  "'author', au.display_name, 'created_at', " T("pt.created_at"),
	  "pt.contract_id, pt.held_on, pt.created_at")
    "FROM contract_point pt " CONTRACT_OF("pt") ENROLMENT_OF("c")
    "JOIN person au ON au.academy_id = pt.academy_id AND au.id = pt.author_id "
    "WHERE pt.academy_id = ? AND " MY_CONTRACT,
    "ii", DB_COLS("j")};
static const struct db_sql Q_CONTRACT_BILANS = {
    ARRAY("'contract_id', cb.contract_id, 'revision', cb.revision, 'held_on', "
	  D("cb.held_on") ", 'decision', cb.decision, 'outcomes', "
	  "JSON_EXTRACT(cb.outcomes, '$'), 'author', au.display_name, 'created_at', "
	  T("cb.created_at"),
	  "cb.contract_id, cb.revision")
    "FROM contract_bilan cb " CONTRACT_OF("cb") ENROLMENT_OF("c")
    "JOIN person au ON au.academy_id = cb.academy_id AND au.id = cb.author_id "
    "WHERE cb.academy_id = ? AND " MY_CONTRACT,
    "ii", DB_COLS("j")};
static const struct db_sql Q_SOPA_PLACEMENTS = {
    ARRAY("'id', sp.id, 'period', pe.number, 'starts_on', " D("pe.starts_on") ", 'ends_on', "
	  D("pe.ends_on") ", 'school', s.name, 'class_level', sp.class_level, 'pupils', "
	  "sp.pupils, 'mat', m.display_name",
	  "pe.starts_on, sp.id")
    "FROM sopa_placement sp JOIN sopa_period pe ON pe.academy_id = sp.academy_id "
    "AND pe.id = sp.period_id JOIN structure s ON s.academy_id = sp.academy_id "
    "AND s.id = sp.school_id JOIN person m ON m.academy_id = sp.academy_id AND m.id = sp.mat_id "
    "WHERE sp.academy_id = ? AND sp.student_id = ?",
    "i", DB_COLS("j")};
/* The student reads their reports once sent. */
static const struct db_sql Q_SOPA_REPORTS = {
    ARRAY("'placement_id', sr.placement_id, 'number', sr.number, 'absences_half_days', "
	  "sr.absences_half_days, 'step', sr.step, 'comments_steps_12', sr.comments_steps_12, "
	  "'comments_steps_34', sr.comments_steps_34, 'sessions_led', sr.sessions_led, "
	  "'sessions_designed', sr.sessions_designed, 'c1', sr.c1, 'c2', sr.c2, 'c6', sr.c6, "
	  "'c7', sr.c7, 'c11', sr.c11, 'advice_1', sr.advice_1, 'advice_2', sr.advice_2, "
	  "'sent_at', " T("sr.sent_at") ", 'late', " B("sr.late"),
	  "sr.placement_id, sr.number")
    "FROM sopa_report sr JOIN sopa_placement sp ON sp.academy_id = sr.academy_id "
    "AND sp.id = sr.placement_id WHERE sr.academy_id = ? AND sp.student_id = ? "
    "AND sr.state = 'sent'",
    "i", DB_COLS("j")};
/* Réseau: their own answers and memberships, never the collective's
 * exchanges written by others. */
static const struct db_sql Q_RESEAU_VOLUNTEER = {
    ARRAY("'call', c.title, 'degree', v.degree, 'seniority', v.seniority, 'commune', "
	  "co.name, 'wants_pilot', " B("v.wants_pilot") ", 'qualifications', v.qualifications, "
	  "'created_at', " T("v.created_at"),
	  "v.created_at")
    "FROM reseau_volunteer v JOIN reseau_call c ON c.academy_id = v.academy_id "
    "AND c.id = v.call_id JOIN reseau_commune co ON co.academy_id = v.academy_id "
    "AND co.id = v.commune_id WHERE v.academy_id = ? AND v.person_id = ?",
    "i", DB_COLS("j")};
static const struct db_sql Q_RESEAU_MEMBER = {
    ARRAY("'collective', cl.name, 'pilot', " B("m.pilot") ", 'charter_accepted_at', "
	  T("m.charter_accepted_at"),
	  "cl.name")
    "FROM reseau_member m JOIN reseau_collective cl ON cl.academy_id = m.academy_id "
    "AND cl.id = m.collective_id WHERE m.academy_id = ? AND m.person_id = ?",
    "i", DB_COLS("j")};
static const struct db_sql Q_RESEAU_ATTENDANCE = {
    ARRAY("'meeting_starts_at', " T("mt.starts_at") ", 'place', mt.place",
	  "mt.starts_at")
    "FROM reseau_attendance a JOIN reseau_meeting mt ON mt.academy_id = a.academy_id "
    "AND mt.id = a.meeting_id WHERE a.academy_id = ? AND a.person_id = ?",
    "i", DB_COLS("j")};
static const struct db_sql Q_RESEAU_POLL = {
    ARRAY("'option_id', pa.option_id, 'available', " B("pa.available") ", 'answered_at', "
	  T("pa.answered_at"),
	  "pa.answered_at")
    "FROM reseau_poll_answer pa WHERE pa.academy_id = ? AND pa.person_id = ?",
    "i", DB_COLS("j")};
static const struct db_sql Q_NOTIFICATIONS = {
    ARRAY("'kind', n.kind, 'subject', n.subject, 'link', n.link, 'created_at', "
	  T("n.created_at") ", 'read_at', " T("n.read_at"),
	  "n.created_at DESC")
    "FROM notification n WHERE n.academy_id = ? AND n.recipient_id = ?",
    "i", DB_COLS("j")};
static const struct db_sql Q_READS = {
    ARRAY("'reader', p.display_name, 'record_type', rl.record_type, 'record_id', rl.record_id, "
	  "'read_at', " T("rl.read_at"),
	  "rl.read_at DESC")
    "FROM read_log rl JOIN person p ON p.academy_id = rl.academy_id AND p.id = rl.reader_id "
    "WHERE rl.academy_id = ? AND rl.subject_id = ?",
    "i", DB_COLS("j")};
static const struct db_sql Q_RECTIFICATIONS = {
    ARRAY("'field', r.field, 'requested_value', r.requested_value, 'comment', r.comment, "
	  "'status', r.status, 'answer', r.answer, 'created_at', " T("r.created_at") ", "
	  "'answered_at', " T("r.answered_at"),
	  "r.created_at DESC")
    "FROM rectification_request r WHERE r.academy_id = ? AND r.person_id = ?",
    "i", DB_COLS("j")};

/* clang-format on */

/* donnees.json, in this order; the identity first. */
const struct copy_section copy_sections[] = {
    {"person", &Q_PERSON},
    {"roles", &Q_ROLES},
    {"enrolments", &Q_ENROLMENTS},
    {"places", &Q_PLACES},
    {"tutors", &Q_TUTORS},
    {"followups", &Q_FOLLOWUPS},
    {"traces", &Q_TRACES},
    {"self_assessments", &Q_ASSESSMENTS},
    {"self_assessment_items", &Q_ASSESSMENT_ITEMS},
    {"self_assessment_comments", &Q_ASSESSMENT_COMMENTS},
    {"bilans", &Q_BILANS},
    {"bilan_items", &Q_BILAN_ITEMS},
    {"results", &Q_RESULTS},
    {"documents", &Q_DOCUMENTS},
    {"accompaniment_cases", &Q_CASES},
    {"accompaniment_levels", &Q_CASE_LEVELS},
    {"accompaniment_entries", &Q_CASE_ENTRIES},
    {"personalisations", &Q_FICHES},
    {"personalisation_items", &Q_FICHE_ITEMS},
    {"individualisations", &Q_CONTRACTS},
    {"individualisation_versions", &Q_CONTRACT_VERSIONS},
    {"individualisation_signatures", &Q_CONTRACT_SIGNATURES},
    {"individualisation_points", &Q_CONTRACT_POINTS},
    {"individualisation_bilans", &Q_CONTRACT_BILANS},
    {"sopa_placements", &Q_SOPA_PLACEMENTS},
    {"sopa_reports", &Q_SOPA_REPORTS},
    {"reseau_volunteering", &Q_RESEAU_VOLUNTEER},
    {"reseau_memberships", &Q_RESEAU_MEMBER},
    {"reseau_attendance", &Q_RESEAU_ATTENDANCE},
    {"reseau_poll_answers", &Q_RESEAU_POLL},
    {"notifications", &Q_NOTIFICATIONS},
    {"read_log", &Q_READS},
    {"rectification_requests", &Q_RECTIFICATIONS},
    {0},
};

const struct db_sql *const copy_statements[] = {&Q_RESOLVE,
						&Q_RELATIONS,
						&Q_INSERT,
						&Q_LIST,
						&Q_SET_TOKEN,
						&Q_CONSUME,
						&Q_CONTENT,
						&Q_DROP_CONTENT,
						&Q_CLAIM,
						&Q_READY,
						&Q_FAILED,
						&Q_EXPIRE,
						&Q_DOCUMENT_FILES,
						&Q_PERSON,
						&Q_ROLES,
						&Q_ENROLMENTS,
						&Q_PLACES,
						&Q_TUTORS,
						&Q_FOLLOWUPS,
						&Q_TRACES,
						&Q_ASSESSMENTS,
						&Q_ASSESSMENT_ITEMS,
						&Q_ASSESSMENT_COMMENTS,
						&Q_BILANS,
						&Q_BILAN_ITEMS,
						&Q_RESULTS,
						&Q_DOCUMENTS,
						&Q_CASES,
						&Q_CASE_LEVELS,
						&Q_CASE_ENTRIES,
						&Q_FICHES,
						&Q_FICHE_ITEMS,
						&Q_CONTRACTS,
						&Q_CONTRACT_VERSIONS,
						&Q_CONTRACT_SIGNATURES,
						&Q_CONTRACT_POINTS,
						&Q_CONTRACT_BILANS,
						&Q_SOPA_PLACEMENTS,
						&Q_SOPA_REPORTS,
						&Q_RESEAU_VOLUNTEER,
						&Q_RESEAU_MEMBER,
						&Q_RESEAU_ATTENDANCE,
						&Q_RESEAU_POLL,
						&Q_NOTIFICATIONS,
						&Q_READS,
						&Q_RECTIFICATIONS,
						NULL};

/* The caller's copy `id`, or ERR_NOT_FOUND for another person's or none. */
enum err copydb_resolve(struct req *r, int64_t id, struct copy_ctx *out)
{
	struct db_res res;
	enum err e = db_one(r, &Q_RESOLVE, &res, id, r->who.person_id);

	if (e == ERR_OK) {
		out->id = id;
		out->status = db_str(&res, 0, "status");
	}
	return e;
}

/* CREL_OWNER for each of the ids that is one of the caller's copies. */
enum err copydb_relations_of(struct req *r, const int64_t *ids, size_t n, unsigned *rel)
{
	struct db_res res;
	const char *text = notify_ids_json(r, ids, n);
	enum err e;

	if (text == NULL)
		return ERR_INTERNAL;
	e = db_rows(r, &Q_RELATIONS, &res, r->who.person_id, text);
	for (size_t row = 0; e == ERR_OK && row < res.n_rows; row++)
		for (size_t i = 0; i < n; i++)
			if (ids[i] == db_int(&res, row, "id"))
				rel[i] = CREL_OWNER;
	return e;
}

/* A new pending copy of the caller's; ERR_DUPLICATE when one is pending. */
enum err copydb_request(struct req *r, int64_t *id)
{
	*id = random_id();
	return db_run(r, &Q_INSERT, NULL, *id, r->who.person_id);
}

enum err copydb_list_json(struct req *r, json_t **out)
{
	struct db_res res;
	json_t *items;
	enum err e = db_rows(r, &Q_LIST, &res, r->who.person_id);

	if (e != ERR_OK)
		return e;
	items = json_array();
	for (size_t i = 0; i < res.n_rows; i++)
		json_array_append_new(
		    items, json_pack("{s:I, s:s, s:s, s:o, s:o, s:o, s:o}", "id",
				     (json_int_t)db_int(&res, i, "id"), "status",
				     db_str(&res, i, "status"), "requested_at",
				     db_str(&res, i, "requested_at"), "ready_at",
				     JSTR(db_str(&res, i, "ready_at")), "expires_at",
				     JSTR(db_str(&res, i, "expires_at")), "downloaded_at",
				     JSTR(db_str(&res, i, "downloaded_at")), "size",
				     db_isnull(&res, i, "size_bytes")
					 ? json_null()
					 : json_integer(db_int(&res, i, "size_bytes"))));
	*out = json_pack("{s:o}", "items", items);
	return ERR_OK;
}

/* The link's token (its hash) on a ready copy of the caller's; *set false
 * when the copy is not ready (or past its expiry). */
enum err copydb_set_token(struct req *r, int64_t id, const unsigned char hash[32], bool *set)
{
	uint64_t n = 0;
	enum err e =
	    db_run(r, &Q_SET_TOKEN, &n, (const void *)hash, (size_t)32, id, r->who.person_id);

	*set = n == 1;
	return e;
}

enum err copydb_take(struct req *r, int64_t id, const unsigned char hash[32], bool *found,
		     const char **bytes, size_t *n)
{
	uint64_t changed = 0;
	struct db_res res;
	enum err e =
	    db_run(r, &Q_CONSUME, &changed, id, r->who.person_id, (const void *)hash, (size_t)32);

	*found = false;
	if (e != ERR_OK || changed != 1)
		return e;
	e = db_one(r, &Q_CONTENT, &res, id);
	if (e == ERR_NOT_FOUND)
		return ERR_OK; /* ready without bytes: cannot happen but as gone */
	if (e == ERR_OK) {
		const struct db_val *v = db_cell(&res, 0, "content");

		*bytes = v->s;
		*n = v->len;
		e = db_run(r, &Q_DROP_CONTENT, NULL, id);
	}
	*found = e == ERR_OK;
	return e;
}

enum err copydb_claim(struct req *r, int64_t *id, int64_t *person_id, bool *found)
{
	struct db_res res;
	enum err e = db_rows(r, &Q_CLAIM, &res);

	*found = e == ERR_OK && res.n_rows == 1;
	if (*found) {
		*id = db_int(&res, 0, "id");
		*person_id = db_int(&res, 0, "person_id");
	}
	return e;
}

/* One part: its JSON (an empty array when the person has no such record). */
enum err copydb_section(struct req *r, const struct db_sql *q, int64_t person_id, json_t **out)
{
	struct db_res res;
	json_error_t je;
	enum err e = db_rows(r, q, &res, person_id, person_id);
	const char *text = e == ERR_OK && res.n_rows == 1 ? db_str(&res, 0, "j") : NULL;

	if (e != ERR_OK)
		return e;
	if (text == NULL) {
		*out = json_array();
		return ERR_OK;
	}
	*out = json_loads(text, 0, &je);
	if (*out == NULL)
		return fail_internal(r, ERR_INTERNAL, "copy: a part is not JSON");
	return ERR_OK;
}

enum err copydb_documents(struct req *r, int64_t person_id, struct db_res *out)
{
	return db_rows(r, &Q_DOCUMENT_FILES, out, person_id, person_id);
}

enum err copydb_ready(struct req *r, int64_t id, const void *zip, size_t n)
{
	return db_run(r, &Q_READY, NULL, (int64_t)n, zip, n, id);
}

enum err copydb_failed(struct req *r, int64_t id) { return db_run(r, &Q_FAILED, NULL, id); }

enum err copydb_expire(struct req *r, uint64_t *n) { return db_run(r, &Q_EXPIRE, n); }
