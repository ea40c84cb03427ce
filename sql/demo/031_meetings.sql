-- The year's procedure of the accompagnement (modules/meetings,
-- docs/meetings.md), Lyon and Grenoble: meeting N°1 held, with its list,
-- a decision and a fiche de personnalisation agreed by the cellule within
-- a budget of which some is consumed, a remediation workshop with a
-- session; meeting N°2 ahead, whose list holds stagiaire1 (a tutor asked
-- for a review since N°1). Lyon: pôle Bourg 2 – Bourg 3 – Bresse
-- (pilote.pole1); Grenoble: discipline Mathématiques (pilote.pole1, IA-IPR).

SET @lyon = (SELECT id FROM academy WHERE code = 'lyon');
SET @grenoble = (SELECT id FROM academy WHERE code = 'grenoble');
SET @year_lyon = (SELECT id FROM school_year WHERE academy_id = @lyon AND current);
SET @year_grenoble = (SELECT id FROM school_year WHERE academy_id = @grenoble AND current);
SET @pole_lyon = (SELECT id FROM structure WHERE academy_id = @lyon AND kind = 'pole' AND name = 'Bourg 2 – Bourg 3 – Bresse');
SET @maths = (SELECT id FROM structure WHERE academy_id = @grenoble AND kind = 'discipline' AND name = 'Mathématiques');
SET @pilot_lyon = (SELECT id FROM person WHERE academy_id = @lyon AND username = 'pilote.pole1');
SET @pilot_grenoble = (SELECT id FROM person WHERE academy_id = @grenoble AND username = 'pilote.pole1');
SET @inspe_lyon = (SELECT id FROM person WHERE academy_id = @lyon AND username = 'tuteur.inspe1');
SET @inspe_grenoble = (SELECT id FROM person WHERE academy_id = @grenoble AND username = 'tuteur.inspe1');
SET @terrain_lyon = (SELECT id FROM person WHERE academy_id = @lyon AND username = 'tuteur.terrain1');
SET @terrain_grenoble = (SELECT id FROM person WHERE academy_id = @grenoble AND username = 'tuteur.terrain1');
SET @parcours_grenoble = (SELECT id FROM person WHERE academy_id = @grenoble AND username = 'resp.parcours1');

-- The bureau des stages signs in from the directory; its row exists here
-- so that the cellule's decisions are attributed (a login refreshes it).
INSERT IGNORE INTO person (academy_id, id, username, display_name, email, active, created_at, updated_at, version) VALUES (@lyon, 31000001, 'bureau1', 'Claire Fontaine', 'claire.fontaine@ac-lyon.fr', TRUE, NOW(3), NOW(3), 1);
INSERT IGNORE INTO person (academy_id, id, username, display_name, email, active, created_at, updated_at, version) VALUES (@grenoble, 31000002, 'bureau1', 'Valérie Roux', 'valerie.roux@ac-grenoble.fr', TRUE, NOW(3), NOW(3), 1);
SET @bureau_lyon = (SELECT id FROM person WHERE academy_id = @lyon AND username = 'bureau1');
SET @bureau_grenoble = (SELECT id FROM person WHERE academy_id = @grenoble AND username = 'bureau1');
INSERT IGNORE INTO role_assignment (academy_id, id, person_id, role, scope_kind, scope_id, source, created_at) VALUES (@lyon, 31000003, @bureau_lyon, 'bureau_stages', 'academy', NULL, 'ldap', NOW(3));
INSERT IGNORE INTO role_assignment (academy_id, id, person_id, role, scope_kind, scope_id, source, created_at) VALUES (@grenoble, 31000004, @bureau_grenoble, 'bureau_stages', 'academy', NULL, 'ldap', NOW(3));

-- Lyon: meeting N°1 held, Camille Martin on its list (no visit before it).
INSERT INTO pole_meeting (academy_id, id, year_id, number, scope_kind, scope_id, held_on, status, created_by, created_at, ready_at, held_at, version) VALUES (@lyon, 31000101, @year_lyon, 1, 'pole', @pole_lyon, '2026-10-13', 'held', @pilot_lyon, '2026-09-20 09:00:00', '2026-10-06 09:00:00', '2026-10-13 17:00:00', 3);
INSERT INTO pole_meeting_participant (academy_id, id, meeting_id, person_id) VALUES (@lyon, 31000102, 31000101, @inspe_lyon);
INSERT INTO pole_meeting_review (academy_id, id, meeting_id, enrolment_id, signals) VALUES (@lyon, 31000103, 31000101, 200101, 'no_visit_before_meeting_1');
INSERT INTO pole_meeting_decision (academy_id, id, meeting_id, enrolment_id, decision, note, decided_by, decided_at) VALUES (@lyon, 31000104, 31000101, 200101, 'personnalisation', 'Gestion de classe et préparation des séquences : fiche de personnalisation.', @pilot_lyon, '2026-10-13 16:30:00');

-- Her fiche de personnalisation, agreed by the cellule for 6 h.
INSERT INTO personalisation (academy_id, id, enrolment_id, meeting_id, decided_on, place_id, status, created_by, created_at, sent_by, sent_at, decided_by, decided_at, agreed_hours, decision_note, version) VALUES (@lyon, 31000111, 200101, 31000101, '2026-10-13', 200111, 'agreed', @inspe_lyon, '2026-10-14 10:00:00', @inspe_lyon, '2026-10-15 09:00:00', @bureau_lyon, '2026-10-16 11:00:00', 6, 'Accord pour 6 h, avec l’atelier « Gestion de classe ».', 3);
INSERT INTO personalisation_item (academy_id, id, personalisation_id, difficulty, situation, support, hours) VALUES (@lyon, 31000112, 31000111, 3, 'Mise au travail lente, transitions bruyantes en fin de journée.', 'Observation croisée dans la classe du tuteur terrain ; atelier de remédiation de la cellule.', 4);
INSERT INTO personalisation_item (academy_id, id, personalisation_id, difficulty, situation, support, hours) VALUES (@lyon, 31000113, 31000111, 5, 'Séquences de français peu structurées, objectifs peu explicites.', 'Préparation accompagnée de deux séquences avec le tuteur Inspé.', 2);

-- The cellule's budget of the year: 40 h, 6 h agreed; a workshop.
INSERT INTO support_budget (academy_id, id, year_id, hours, updated_by, updated_at, version) VALUES (@lyon, 31000121, @year_lyon, 40, @bureau_lyon, '2026-09-15 10:00:00', 1);
INSERT INTO workshop (academy_id, id, year_id, title, created_by, created_at) VALUES (@lyon, 31000131, @year_lyon, 'Gestion de classe : routines et transitions', @bureau_lyon, '2026-10-16 11:30:00');
INSERT INTO workshop_session (academy_id, id, workshop_id, held_at, place) VALUES (@lyon, 31000132, 31000131, '2026-11-18 14:00:00', 'INSPÉ Lyon, site de Bourg-en-Bresse, salle 12');
INSERT INTO workshop_session (academy_id, id, workshop_id, held_at, place) VALUES (@lyon, 31000133, 31000131, '2026-12-09 14:00:00', 'INSPÉ Lyon, site de Bourg-en-Bresse, salle 12');
INSERT INTO workshop_trainee (academy_id, id, workshop_id, enrolment_id, added_by, added_at) VALUES (@lyon, 31000134, 31000131, 200101, @bureau_lyon, '2026-10-16 11:35:00');
INSERT INTO workshop_attendance (academy_id, id, session_id, enrolment_id, present, recorded_by, recorded_at) VALUES (@lyon, 31000135, 31000132, 200101, TRUE, @bureau_lyon, '2026-11-18 17:00:00');

-- Meeting N°2 ahead: the tuteur terrain asked for a review since N°1.
INSERT INTO pole_meeting (academy_id, id, year_id, number, scope_kind, scope_id, held_on, status, created_by, created_at, version) VALUES (@lyon, 31000141, @year_lyon, 2, 'pole', @pole_lyon, '2027-01-07', 'upcoming', @pilot_lyon, '2026-11-20 09:00:00', 1);
INSERT INTO pole_meeting_participant (academy_id, id, meeting_id, person_id) VALUES (@lyon, 31000142, 31000141, @inspe_lyon);
INSERT INTO review_request (academy_id, id, enrolment_id, requested_by, reason, created_at) VALUES (@lyon, 31000143, 200101, @terrain_lyon, 'Progrès en gestion de classe, mais les séquences restent fragiles : à revoir à la réunion N°2.', '2026-11-25 18:00:00');

-- Grenoble: the discipline meeting N°1 held (IA-IPR and responsable de
-- parcours), a fiche agreed, and N°2 ahead with its list.
INSERT INTO pole_meeting (academy_id, id, year_id, number, scope_kind, scope_id, held_on, status, created_by, created_at, ready_at, held_at, version) VALUES (@grenoble, 31000201, @year_grenoble, 1, 'discipline', @maths, '2026-10-15', 'held', @pilot_grenoble, '2026-09-20 09:00:00', '2026-10-08 09:00:00', '2026-10-15 17:00:00', 3);
INSERT INTO pole_meeting_participant (academy_id, id, meeting_id, person_id) VALUES (@grenoble, 31000202, 31000201, @parcours_grenoble);
INSERT INTO pole_meeting_review (academy_id, id, meeting_id, enrolment_id, signals) VALUES (@grenoble, 31000203, 31000201, 200301, 'no_visit_before_meeting_1');
INSERT INTO pole_meeting_decision (academy_id, id, meeting_id, enrolment_id, decision, note, decided_by, decided_at) VALUES (@grenoble, 31000204, 31000201, 200301, 'personnalisation', 'Posture face aux élèves : fiche de personnalisation.', @pilot_grenoble, '2026-10-15 16:30:00');
INSERT INTO personalisation (academy_id, id, enrolment_id, meeting_id, decided_on, place_id, status, created_by, created_at, sent_by, sent_at, decided_by, decided_at, agreed_hours, decision_note, version) VALUES (@grenoble, 31000211, 200301, 31000201, '2026-10-15', 200311, 'agreed', @inspe_grenoble, '2026-10-16 10:00:00', @inspe_grenoble, '2026-10-16 15:00:00', @bureau_grenoble, '2026-10-19 11:00:00', 4, NULL, 3);
INSERT INTO personalisation_item (academy_id, id, personalisation_id, difficulty, situation, support, hours) VALUES (@grenoble, 31000212, 31000211, 2, 'Retards et absences de préparation signalés par le chef d’établissement.', 'Entretien avec l’IA-IPR et le tuteur Inspé ; suivi hebdomadaire.', 4);
INSERT INTO support_budget (academy_id, id, year_id, hours, updated_by, updated_at, version) VALUES (@grenoble, 31000221, @year_grenoble, 30, @bureau_grenoble, '2026-09-15 10:00:00', 1);
INSERT INTO pole_meeting (academy_id, id, year_id, number, scope_kind, scope_id, held_on, status, created_by, created_at, version) VALUES (@grenoble, 31000241, @year_grenoble, 2, 'discipline', @maths, '2027-01-07', 'upcoming', @pilot_grenoble, '2026-11-20 09:00:00', 1);
INSERT INTO pole_meeting_participant (academy_id, id, meeting_id, person_id) VALUES (@grenoble, 31000242, 31000241, @parcours_grenoble);
INSERT INTO review_request (academy_id, id, enrolment_id, requested_by, reason, created_at) VALUES (@grenoble, 31000243, 200301, @terrain_grenoble, 'Posture encore hésitante en classe de 4e : à revoir à la réunion N°2.', '2026-11-26 18:00:00');
