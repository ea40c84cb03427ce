-- Demo data of the accompagnement personnalisé (issue 10,
-- docs/accompaniment.md), in Lyon and Grenoble: a case at each level with
-- its fiche de suivi. stagiaire1's case is at level 2 (the demo accounts
-- pilote.pole1, chef.etab1, resp.site1, cmf1 and resp.parcours1 are its
-- actors); stagiaire2's at level 1 (Lyon: his renewal opened it); a third
-- trainee of each académie (no directory account: she does not sign in) is
-- at level 3, with the agreements, the alert and the response. People are
-- invented.

SET @lyon = (SELECT id FROM academy WHERE code = 'lyon');
SET @grenoble = (SELECT id FROM academy WHERE code = 'grenoble');
SET @ref_lyon = (SELECT id FROM referentiel WHERE academy_id = @lyon AND current);
SET @ref_grenoble = (SELECT id FROM referentiel WHERE academy_id = @grenoble AND current);
SET @year_lyon = (SELECT id FROM school_year WHERE academy_id = @lyon AND current);
SET @year_grenoble = (SELECT id FROM school_year WHERE academy_id = @grenoble AND current);
SET @inspe_lyon = (SELECT id FROM person WHERE academy_id = @lyon AND username = 'tuteur.inspe1');

-- Lyon, Camille Martin (stagiaire1): level 1 from 5 October, level 2 since
-- the bilan of 9 November; the chef d'établissement informed; one
-- agreement for the alert so far.
INSERT INTO acc_case (academy_id, id, enrolment_id, level, opened_at, opened_by, version) VALUES (@lyon, 310001, 200101, 2, '2026-10-05 08:30:00', 200003, 2);
INSERT INTO acc_level (academy_id, id, case_id, level, starts_on, ends_on, opened_at, opened_by, reason, closed_at, closed_by, outcome, bilan) VALUES (@lyon, 310002, 310001, 1, '2026-10-05', '2026-11-06', '2026-10-05 08:30:00', 200003, 'Difficultés de gestion de classe repérées à la première visite.', '2026-11-09 17:00:00', @inspe_lyon, 'up', 'Le renforcement du tutorat ne suffit pas : la classe reste difficile à tenir, un aménagement de formation est proposé.');
INSERT INTO acc_level (academy_id, id, case_id, level, starts_on, ends_on, opened_at, opened_by, reason) VALUES (@lyon, 310003, 310001, 2, '2026-11-10', '2027-01-07', '2026-11-09 17:00:00', @inspe_lyon, 'Aménagement de formation jusqu’à la réunion de pôle N°2.');
INSERT INTO acc_entry (academy_id, id, case_id, level, kind, happened_on, body, author_id, written_at) VALUES (@lyon, 310004, 310001, 1, 'informed', '2026-10-06', 'Directeur de l’école Les Tilleuls informé lors d’un entretien.', 200003, '2026-10-06 12:00:00');
INSERT INTO acc_entry (academy_id, id, case_id, level, kind, happened_on, body, author_id, written_at) VALUES (@lyon, 310005, 310001, 1, 'difficulty', '2026-10-02', 'Consignes peu audibles, transitions longues, bavardages persistants en CE1.', 200003, '2026-10-05 08:35:00');
INSERT INTO acc_entry (academy_id, id, case_id, level, kind, happened_on, body, author_id, written_at) VALUES (@lyon, 310006, 310001, 2, 'difficulty', '2026-11-12', 'Gestion de classe : règles de vie non posées ; préparation des séances trop tardive.', @inspe_lyon, '2026-11-12 18:00:00');
INSERT INTO acc_entry (academy_id, id, case_id, level, kind, happened_on, body, author_id, written_at) VALUES (@lyon, 310007, 310001, 2, 'action_tutorat', '2026-11-16', 'Visite conseil supplémentaire du tuteur terrain, entretien sur les rituels de classe.', 200003, '2026-11-16 17:30:00');
INSERT INTO acc_entry (academy_id, id, case_id, level, kind, happened_on, body, author_id, written_at) VALUES (@lyon, 310008, 310001, 2, 'action_school', '2026-11-18', 'Observation d’une classe de CE1 de l’école organisée par le directeur.', 100152, '2026-11-18 16:00:00');
INSERT INTO acc_entry (academy_id, id, case_id, level, kind, happened_on, body, author_id, written_at) VALUES (@lyon, 310009, 310001, 2, 'action_inspe', '2026-11-20', 'Inscription à l’atelier « gestion de classe » du site de Bourg-en-Bresse.', 100154, '2026-11-20 10:00:00');
INSERT INTO acc_agreement (academy_id, id, case_id, level_id, person_id, as_role, agreed_at) VALUES (@lyon, 310010, 310001, 310003, 200003, 'tuteur_terrain', '2026-11-25 18:00:00');

-- Lyon, Julien Bernard (stagiaire2, en renouvellement): level 1 since the
-- start of the year.
INSERT INTO acc_case (academy_id, id, enrolment_id, level, opened_at, opened_by, version) VALUES (@lyon, 310101, 200201, 1, '2026-09-02 10:00:00', 200003, 1);
INSERT INTO acc_level (academy_id, id, case_id, level, starts_on, ends_on, opened_at, opened_by, reason) VALUES (@lyon, 310102, 310101, 1, '2026-09-02', '2026-10-14', '2026-09-02 10:00:00', 200003, 'Renouvellement : le stagiaire commence l’année au niveau 1.');
INSERT INTO acc_entry (academy_id, id, case_id, level, kind, happened_on, body, author_id, written_at) VALUES (@lyon, 310103, 310101, 1, 'informed', '2026-09-08', 'Directrice de l’école Gerland informée du renouvellement et du renforcement du tutorat.', 200003, '2026-09-08 17:00:00');
INSERT INTO acc_entry (academy_id, id, case_id, level, kind, happened_on, body, author_id, written_at) VALUES (@lyon, 310104, 310101, 1, 'action_tutorat', '2026-09-22', 'Rencontre hebdomadaire avec le tuteur terrain pendant le premier mois.', 200003, '2026-09-22 17:00:00');

-- Lyon, Inès Garcia (no account): level 3 (alerte) after a level 2 whose
-- actors agreed; the INSPÉ and the IEN's response.
INSERT INTO person (academy_id, id, username, display_name, email, active, created_at, updated_at, version) VALUES (@lyon, 310200, 'stagiaire3', 'Inès Garcia', NULL, TRUE, NOW(3), NOW(3), 1);
INSERT INTO role_assignment (academy_id, id, person_id, role, scope_kind, scope_id, source, created_at) VALUES (@lyon, 310201, 310200, 'stagiaire', 'academy', NULL, 'local', NOW(3));
INSERT INTO enrolment (academy_id, id, year_id, trainee_id, parcours, degre, category, discipline_id, pole_id, inspe_site_id, renouvellement, referentiel_id, inspe_hours, created_at, version) VALUES (@lyon, 310202, @year_lyon, 310200, 'M2A', 1, 'professeur', NULL, 100011, 100051, FALSE, @ref_lyon, 5, '2026-09-02 10:00:00', 1);
INSERT INTO enrolment_place (academy_id, id, enrolment_id, school_id, class_label) VALUES (@lyon, 310203, 310202, 100045, 'CM1');
INSERT INTO trio_member (academy_id, id, enrolment_id, person_id, role, started_at) VALUES (@lyon, 310204, 310202, 200003, 'tuteur_terrain', '2026-09-02 10:00:00');
INSERT INTO trio_member (academy_id, id, enrolment_id, person_id, role, started_at) VALUES (@lyon, 310205, 310202, @inspe_lyon, 'tuteur_inspe', '2026-09-02 10:00:00');
INSERT INTO acc_case (academy_id, id, enrolment_id, level, opened_at, opened_by, version) VALUES (@lyon, 310206, 310202, 3, '2026-10-12 09:00:00', 100152, 2);
INSERT INTO acc_level (academy_id, id, case_id, level, starts_on, ends_on, opened_at, opened_by, reason, closed_at, closed_by, outcome, bilan) VALUES (@lyon, 310207, 310206, 2, '2026-10-12', '2026-11-20', '2026-10-12 09:00:00', 100152, 'Absences répétées et refus des échanges avec les tuteurs.', '2026-11-23 18:00:00', 200003, 'up', 'Les aménagements n’ont pas permis de rétablir les échanges professionnels : les acteurs donnent leur accord pour l’alerte.');
INSERT INTO acc_level (academy_id, id, case_id, level, starts_on, ends_on, opened_at, opened_by, reason) VALUES (@lyon, 310208, 310206, 3, '2026-11-24', '2027-01-07', '2026-11-23 18:00:00', 200003, 'Alerte.');
INSERT INTO acc_agreement (academy_id, id, case_id, level_id, person_id, as_role, agreed_at) VALUES (@lyon, 310209, 310206, 310207, 200003, 'tuteur_terrain', '2026-11-19 17:00:00');
INSERT INTO acc_agreement (academy_id, id, case_id, level_id, person_id, as_role, agreed_at) VALUES (@lyon, 310210, 310206, 310207, @inspe_lyon, 'tuteur_inspe', '2026-11-20 09:00:00');
INSERT INTO acc_agreement (academy_id, id, case_id, level_id, person_id, as_role, agreed_at) VALUES (@lyon, 310211, 310206, 310207, 100152, 'actor', '2026-11-20 12:00:00');
INSERT INTO acc_entry (academy_id, id, case_id, level, kind, happened_on, body, author_id, written_at) VALUES (@lyon, 310212, 310206, 2, 'difficulty', '2026-10-09', 'Conduite d’évitement ne permettant pas les échanges professionnels.', 200003, '2026-10-12 09:10:00');
INSERT INTO acc_entry (academy_id, id, case_id, level, kind, happened_on, body, author_id, written_at) VALUES (@lyon, 310213, 310206, 2, 'action_school', '2026-10-20', 'Entretien avec le directeur et l’équipe de cycle.', 100152, '2026-10-20 17:00:00');
INSERT INTO acc_entry (academy_id, id, case_id, level, kind, happened_on, body, author_id, written_at) VALUES (@lyon, 310214, 310206, 3, 'alert', '2026-11-24', 'Alerte transmise à la direction de l’INSPÉ et à l’IEN de la circonscription.', 200003, '2026-11-24 08:00:00');
INSERT INTO acc_entry (academy_id, id, case_id, level, kind, happened_on, body, author_id, written_at) VALUES (@lyon, 310215, 310206, 3, 'response', '2026-11-27', 'Réponse : stage filé complémentaire et entretien avec l’IEN avant la réunion de pôle N°2.', 100054, '2026-11-27 14:00:00');

-- Grenoble, Léa Rousseau (stagiaire1): level 2 since 16 November.
INSERT INTO acc_case (academy_id, id, enrolment_id, level, opened_at, opened_by, version) VALUES (@grenoble, 320001, 200301, 2, '2026-10-08 09:00:00', 200013, 2);
INSERT INTO acc_level (academy_id, id, case_id, level, starts_on, ends_on, opened_at, opened_by, reason, closed_at, closed_by, outcome, bilan) VALUES (@grenoble, 320002, 320001, 1, '2026-10-08', '2026-11-13', '2026-10-08 09:00:00', 200013, 'Préparation des séquences insuffisante.', '2026-11-16 17:00:00', 200014, 'up', 'Peu de progrès sur la préparation : aménagement de formation.');
INSERT INTO acc_level (academy_id, id, case_id, level, starts_on, ends_on, opened_at, opened_by, reason) VALUES (@grenoble, 320003, 320001, 2, '2026-11-17', '2027-01-07', '2026-11-16 17:00:00', 200014, 'Aménagement jusqu’à la réunion N°2.');
INSERT INTO acc_entry (academy_id, id, case_id, level, kind, happened_on, body, author_id, written_at) VALUES (@grenoble, 320004, 320001, 1, 'informed', '2026-10-09', 'Principale du collège Champollion informée.', 200013, '2026-10-09 12:00:00');
INSERT INTO acc_entry (academy_id, id, case_id, level, kind, happened_on, body, author_id, written_at) VALUES (@grenoble, 320005, 320001, 2, 'difficulty', '2026-11-18', 'Préparation et mise en œuvre : séquences sans objectifs explicites.', 200014, '2026-11-18 18:00:00');
INSERT INTO acc_entry (academy_id, id, case_id, level, kind, happened_on, body, author_id, written_at) VALUES (@grenoble, 320006, 320001, 2, 'action_inspe', '2026-11-24', 'Module complémentaire de didactique des mathématiques.', 100164, '2026-11-24 10:00:00');
INSERT INTO acc_entry (academy_id, id, case_id, level, kind, happened_on, body, author_id, written_at) VALUES (@grenoble, 320007, 320001, 2, 'action_school', '2026-11-25', 'Observation en classe de la professeure référente du collège.', 100162, '2026-11-25 16:00:00');

-- Grenoble, Thomas Blanc (stagiaire2): level 1.
INSERT INTO acc_case (academy_id, id, enrolment_id, level, opened_at, opened_by, version) VALUES (@grenoble, 320101, 200401, 1, '2026-11-02 09:00:00', 200013, 1);
INSERT INTO acc_level (academy_id, id, case_id, level, starts_on, ends_on, opened_at, opened_by, reason) VALUES (@grenoble, 320102, 320101, 1, '2026-11-02', '2026-12-18', '2026-11-02 09:00:00', 200013, 'Premières difficultés de posture repérées.');
INSERT INTO acc_entry (academy_id, id, case_id, level, kind, happened_on, body, author_id, written_at) VALUES (@grenoble, 320103, 320101, 1, 'informed', '2026-11-03', 'Proviseur du lycée Stendhal informé.', 200013, '2026-11-03 12:00:00');

-- Grenoble, Manon Girard (no account, mathématiques): level 3.
INSERT INTO person (academy_id, id, username, display_name, email, active, created_at, updated_at, version) VALUES (@grenoble, 320200, 'stagiaire3', 'Manon Girard', NULL, TRUE, NOW(3), NOW(3), 1);
INSERT INTO role_assignment (academy_id, id, person_id, role, scope_kind, scope_id, source, created_at) VALUES (@grenoble, 320201, 320200, 'stagiaire', 'academy', NULL, 'local', NOW(3));
INSERT INTO enrolment (academy_id, id, year_id, trainee_id, parcours, degre, category, discipline_id, pole_id, inspe_site_id, renouvellement, referentiel_id, inspe_hours, created_at, version) VALUES (@grenoble, 320202, @year_grenoble, 320200, 'M2A', 2, 'professeur', 100071, NULL, 100084, FALSE, @ref_grenoble, 5, '2026-09-02 10:00:00', 1);
INSERT INTO enrolment_place (academy_id, id, enrolment_id, school_id, class_label) VALUES (@grenoble, 320203, 320202, 100081, '5e A');
INSERT INTO trio_member (academy_id, id, enrolment_id, person_id, role, started_at) VALUES (@grenoble, 320204, 320202, 200013, 'tuteur_terrain', '2026-09-02 10:00:00');
INSERT INTO trio_member (academy_id, id, enrolment_id, person_id, role, started_at) VALUES (@grenoble, 320205, 320202, 200014, 'tuteur_inspe', '2026-09-02 10:00:00');
INSERT INTO acc_case (academy_id, id, enrolment_id, level, opened_at, opened_by, version) VALUES (@grenoble, 320206, 320202, 3, '2026-10-13 09:00:00', 200014, 2);
INSERT INTO acc_level (academy_id, id, case_id, level, starts_on, ends_on, opened_at, opened_by, reason, closed_at, closed_by, outcome, bilan) VALUES (@grenoble, 320207, 320206, 2, '2026-10-13', '2026-11-20', '2026-10-13 09:00:00', 200014, 'Sécurité des élèves : manipulations en classe sans consignes.', '2026-11-23 17:00:00', 200013, 'up', 'La sécurité des élèves reste en cause : alerte avec l’accord des acteurs.');
INSERT INTO acc_level (academy_id, id, case_id, level, starts_on, ends_on, opened_at, opened_by, reason) VALUES (@grenoble, 320208, 320206, 3, '2026-11-24', '2027-01-07', '2026-11-23 17:00:00', 200013, 'Alerte.');
INSERT INTO acc_agreement (academy_id, id, case_id, level_id, person_id, as_role, agreed_at) VALUES (@grenoble, 320209, 320206, 320207, 200013, 'tuteur_terrain', '2026-11-19 17:00:00');
INSERT INTO acc_agreement (academy_id, id, case_id, level_id, person_id, as_role, agreed_at) VALUES (@grenoble, 320210, 320206, 320207, 200014, 'tuteur_inspe', '2026-11-20 09:00:00');
INSERT INTO acc_agreement (academy_id, id, case_id, level_id, person_id, as_role, agreed_at) VALUES (@grenoble, 320211, 320206, 320207, 100164, 'actor', '2026-11-20 12:00:00');
INSERT INTO acc_entry (academy_id, id, case_id, level, kind, happened_on, body, author_id, written_at) VALUES (@grenoble, 320212, 320206, 2, 'difficulty', '2026-10-12', 'Sécurité des élèves : expérience menée sans consignes de sécurité.', 200014, '2026-10-13 09:10:00');
INSERT INTO acc_entry (academy_id, id, case_id, level, kind, happened_on, body, author_id, written_at) VALUES (@grenoble, 320213, 320206, 3, 'alert', '2026-11-24', 'Alerte transmise à la direction de l’INSPÉ et à l’IA-IPR de mathématiques.', 200013, '2026-11-24 08:00:00');
INSERT INTO acc_entry (academy_id, id, case_id, level, kind, happened_on, body, author_id, written_at) VALUES (@grenoble, 320214, 320206, 3, 'response', '2026-11-27', 'Réponse : visite conjointe de l’IA-IPR et du tuteur Inspé, puis point de situation.', 100160, '2026-11-27 14:00:00');
