-- Demo data of the SOPA module (issue 11, docs/sopa.md), in Poitiers, year
-- 2026-2027 (today about 2026-12-02): the four INSPÉ sites with their
-- periods from the calendar (SOPA 1 2026-10-05..09, 2 2026-11-16..27,
-- 3 2027-03-08..19, 4 2027-05-17..21), a délégué de stage and a
-- gestionnaire de scolarité per site (gestionnaire1 at Niort; the others
-- invented), placements on several sites, SOPA 1 reports sent (one late),
-- one missing, and SOPA 2 still to write: mat1 has no report yet for
-- etudiant1 (the browser test writes it), drafts for others. People are
-- invented but etudiant1, mat1 and gestionnaire1 (directory accounts).

SET @p = (SELECT id FROM academy WHERE code = 'poitiers');
SET @year = 100090;

-- The students and host teachers (MAT).
INSERT INTO person (academy_id, id, username, display_name, email, active, created_at, updated_at, version) VALUES (@p, 400001, 'etudiant1', 'Chloé Gauthier', 'chloe.gauthier@ac-poitiers.fr', TRUE, NOW(3), NOW(3), 1);
INSERT INTO role_assignment (academy_id, id, person_id, role, scope_kind, scope_id, source, created_at) VALUES (@p, 4000010, 400001, 'etudiant_sopa', 'academy', NULL, 'ldap', NOW(3));
INSERT INTO person (academy_id, id, username, display_name, email, active, created_at, updated_at, version) VALUES (@p, 400002, 'mat1', 'Romain Barbier', 'romain.barbier@ac-poitiers.fr', TRUE, NOW(3), NOW(3), 1);
INSERT INTO role_assignment (academy_id, id, person_id, role, scope_kind, scope_id, source, created_at) VALUES (@p, 4000020, 400002, 'mat', 'academy', NULL, 'ldap', NOW(3));
INSERT INTO person (academy_id, id, username, display_name, email, active, created_at, updated_at, version) VALUES (@p, 400003, 'sopa.etudiant2', 'Emma Girard', 'emma.girard@etu.univ-poitiers.fr', TRUE, NOW(3), NOW(3), 1);
INSERT INTO role_assignment (academy_id, id, person_id, role, scope_kind, scope_id, source, created_at) VALUES (@p, 4000030, 400003, 'etudiant_sopa', 'academy', NULL, 'local', NOW(3));
INSERT INTO person (academy_id, id, username, display_name, email, active, created_at, updated_at, version) VALUES (@p, 400004, 'sopa.etudiant3', 'Hugo Lambert', 'hugo.lambert@etu.univ-poitiers.fr', TRUE, NOW(3), NOW(3), 1);
INSERT INTO role_assignment (academy_id, id, person_id, role, scope_kind, scope_id, source, created_at) VALUES (@p, 4000040, 400004, 'etudiant_sopa', 'academy', NULL, 'local', NOW(3));
INSERT INTO person (academy_id, id, username, display_name, email, active, created_at, updated_at, version) VALUES (@p, 400005, 'sopa.etudiant4', 'Manon Dupuis', 'manon.dupuis@etu.univ-poitiers.fr', TRUE, NOW(3), NOW(3), 1);
INSERT INTO role_assignment (academy_id, id, person_id, role, scope_kind, scope_id, source, created_at) VALUES (@p, 4000050, 400005, 'etudiant_sopa', 'academy', NULL, 'local', NOW(3));
INSERT INTO person (academy_id, id, username, display_name, email, active, created_at, updated_at, version) VALUES (@p, 400006, 'sopa.etudiant5', 'Nathan Roche', 'nathan.roche@etu.univ-poitiers.fr', TRUE, NOW(3), NOW(3), 1);
INSERT INTO role_assignment (academy_id, id, person_id, role, scope_kind, scope_id, source, created_at) VALUES (@p, 4000060, 400006, 'etudiant_sopa', 'academy', NULL, 'local', NOW(3));
INSERT INTO person (academy_id, id, username, display_name, email, active, created_at, updated_at, version) VALUES (@p, 400007, 'sopa.mat2', 'Isabelle Fournier', 'isabelle.fournier@ac-poitiers.fr', TRUE, NOW(3), NOW(3), 1);
INSERT INTO role_assignment (academy_id, id, person_id, role, scope_kind, scope_id, source, created_at) VALUES (@p, 4000070, 400007, 'mat', 'academy', NULL, 'local', NOW(3));
INSERT INTO person (academy_id, id, username, display_name, email, active, created_at, updated_at, version) VALUES (@p, 400008, 'sopa.mat3', 'Marc Bonnet', 'marc.bonnet@ac-poitiers.fr', TRUE, NOW(3), NOW(3), 1);
INSERT INTO role_assignment (academy_id, id, person_id, role, scope_kind, scope_id, source, created_at) VALUES (@p, 4000080, 400008, 'mat', 'academy', NULL, 'local', NOW(3));
INSERT INTO person (academy_id, id, username, display_name, email, active, created_at, updated_at, version) VALUES (@p, 400009, 'sopa.mat4', 'Sylvie Renaud', 'sylvie.renaud@ac-poitiers.fr', TRUE, NOW(3), NOW(3), 1);
INSERT INTO role_assignment (academy_id, id, person_id, role, scope_kind, scope_id, source, created_at) VALUES (@p, 4000090, 400009, 'mat', 'academy', NULL, 'local', NOW(3));

-- Each site's délégué de stage and gestionnaire de scolarité (local roles
-- scoped to the site; gestionnaire1 is Niort's already).
INSERT INTO person (academy_id, id, username, display_name, email, active, created_at, updated_at, version) VALUES (@p, 400020, 'sopa.delegue.niort', 'Alain Mercier', 'delegue.niort@univ-poitiers.fr', TRUE, NOW(3), NOW(3), 1);
INSERT INTO role_assignment (academy_id, id, person_id, role, scope_kind, scope_id, source, created_at) VALUES (@p, 4000200, 400020, 'delegue_stage', 'inspe_site', 100105, 'local', NOW(3));
INSERT INTO person (academy_id, id, username, display_name, email, active, created_at, updated_at, version) VALUES (@p, 400021, 'sopa.delegue.poitiers', 'Céline Arnaud', 'delegue.poitiers@univ-poitiers.fr', TRUE, NOW(3), NOW(3), 1);
INSERT INTO role_assignment (academy_id, id, person_id, role, scope_kind, scope_id, source, created_at) VALUES (@p, 4000210, 400021, 'delegue_stage', 'inspe_site', 100106, 'local', NOW(3));
INSERT INTO person (academy_id, id, username, display_name, email, active, created_at, updated_at, version) VALUES (@p, 400022, 'sopa.gestion.poitiers', 'Karim Benali', 'gestion.poitiers@univ-poitiers.fr', TRUE, NOW(3), NOW(3), 1);
INSERT INTO role_assignment (academy_id, id, person_id, role, scope_kind, scope_id, source, created_at) VALUES (@p, 4000220, 400022, 'gestionnaire_scolarite', 'inspe_site', 100106, 'local', NOW(3));
INSERT INTO person (academy_id, id, username, display_name, email, active, created_at, updated_at, version) VALUES (@p, 400023, 'sopa.delegue.angouleme', 'Pascale Henry', 'delegue.angouleme@univ-poitiers.fr', TRUE, NOW(3), NOW(3), 1);
INSERT INTO role_assignment (academy_id, id, person_id, role, scope_kind, scope_id, source, created_at) VALUES (@p, 4000230, 400023, 'delegue_stage', 'inspe_site', 100107, 'local', NOW(3));
INSERT INTO person (academy_id, id, username, display_name, email, active, created_at, updated_at, version) VALUES (@p, 400024, 'sopa.gestion.angouleme', 'Yann Perrot', 'gestion.angouleme@univ-poitiers.fr', TRUE, NOW(3), NOW(3), 1);
INSERT INTO role_assignment (academy_id, id, person_id, role, scope_kind, scope_id, source, created_at) VALUES (@p, 4000240, 400024, 'gestionnaire_scolarite', 'inspe_site', 100107, 'local', NOW(3));
INSERT INTO person (academy_id, id, username, display_name, email, active, created_at, updated_at, version) VALUES (@p, 400025, 'sopa.delegue.larochelle', 'Odile Marchand', 'delegue.larochelle@univ-poitiers.fr', TRUE, NOW(3), NOW(3), 1);
INSERT INTO role_assignment (academy_id, id, person_id, role, scope_kind, scope_id, source, created_at) VALUES (@p, 4000250, 400025, 'delegue_stage', 'inspe_site', 100108, 'local', NOW(3));
INSERT INTO person (academy_id, id, username, display_name, email, active, created_at, updated_at, version) VALUES (@p, 400026, 'sopa.gestion.larochelle', 'Farid Haddad', 'gestion.larochelle@univ-poitiers.fr', TRUE, NOW(3), NOW(3), 1);
INSERT INTO role_assignment (academy_id, id, person_id, role, scope_kind, scope_id, source, created_at) VALUES (@p, 4000260, 400026, 'gestionnaire_scolarite', 'inspe_site', 100108, 'local', NOW(3));

-- Two more schools (Angoulême, La Rochelle).
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@p, 400030, 'school', '0161001A', 'École élémentaire Victor Hugo, Angoulême', NULL, 1);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@p, 400031, 'school', '0171001B', 'École primaire Jean Jaurès, La Rochelle', NULL, 1);

-- The periods of every site, from the calendar.
INSERT INTO sopa_site_year (academy_id, id, site_id, year_id, updated_by, updated_at, version) VALUES (@p, 400040, 100105, @year, 100116, '2026-09-10 09:00:00', 1);
INSERT INTO sopa_period (academy_id, id, site_id, year_id, number, starts_on, ends_on) VALUES (@p, 400101, 100105, @year, 1, '2026-10-05', '2026-10-09');
INSERT INTO sopa_period (academy_id, id, site_id, year_id, number, starts_on, ends_on) VALUES (@p, 400102, 100105, @year, 2, '2026-11-16', '2026-11-27');
INSERT INTO sopa_period (academy_id, id, site_id, year_id, number, starts_on, ends_on) VALUES (@p, 400103, 100105, @year, 3, '2027-03-08', '2027-03-19');
INSERT INTO sopa_period (academy_id, id, site_id, year_id, number, starts_on, ends_on) VALUES (@p, 400104, 100105, @year, 4, '2027-05-17', '2027-05-21');
INSERT INTO sopa_site_year (academy_id, id, site_id, year_id, updated_by, updated_at, version) VALUES (@p, 400041, 100106, @year, 100116, '2026-09-10 09:00:00', 1);
INSERT INTO sopa_period (academy_id, id, site_id, year_id, number, starts_on, ends_on) VALUES (@p, 400111, 100106, @year, 1, '2026-10-05', '2026-10-09');
INSERT INTO sopa_period (academy_id, id, site_id, year_id, number, starts_on, ends_on) VALUES (@p, 400112, 100106, @year, 2, '2026-11-16', '2026-11-27');
INSERT INTO sopa_period (academy_id, id, site_id, year_id, number, starts_on, ends_on) VALUES (@p, 400113, 100106, @year, 3, '2027-03-08', '2027-03-19');
INSERT INTO sopa_period (academy_id, id, site_id, year_id, number, starts_on, ends_on) VALUES (@p, 400114, 100106, @year, 4, '2027-05-17', '2027-05-21');
INSERT INTO sopa_site_year (academy_id, id, site_id, year_id, updated_by, updated_at, version) VALUES (@p, 400042, 100107, @year, 100116, '2026-09-10 09:00:00', 1);
INSERT INTO sopa_period (academy_id, id, site_id, year_id, number, starts_on, ends_on) VALUES (@p, 400121, 100107, @year, 1, '2026-10-05', '2026-10-09');
INSERT INTO sopa_period (academy_id, id, site_id, year_id, number, starts_on, ends_on) VALUES (@p, 400122, 100107, @year, 2, '2026-11-16', '2026-11-27');
INSERT INTO sopa_period (academy_id, id, site_id, year_id, number, starts_on, ends_on) VALUES (@p, 400123, 100107, @year, 3, '2027-03-08', '2027-03-19');
INSERT INTO sopa_period (academy_id, id, site_id, year_id, number, starts_on, ends_on) VALUES (@p, 400124, 100107, @year, 4, '2027-05-17', '2027-05-21');
INSERT INTO sopa_site_year (academy_id, id, site_id, year_id, updated_by, updated_at, version) VALUES (@p, 400043, 100108, @year, 100116, '2026-09-10 09:00:00', 1);
INSERT INTO sopa_period (academy_id, id, site_id, year_id, number, starts_on, ends_on) VALUES (@p, 400131, 100108, @year, 1, '2026-10-05', '2026-10-09');
INSERT INTO sopa_period (academy_id, id, site_id, year_id, number, starts_on, ends_on) VALUES (@p, 400132, 100108, @year, 2, '2026-11-16', '2026-11-27');
INSERT INTO sopa_period (academy_id, id, site_id, year_id, number, starts_on, ends_on) VALUES (@p, 400133, 100108, @year, 3, '2027-03-08', '2027-03-19');
INSERT INTO sopa_period (academy_id, id, site_id, year_id, number, starts_on, ends_on) VALUES (@p, 400134, 100108, @year, 4, '2027-05-17', '2027-05-21');

-- Placements: id, period, student, MAT, school, class, pupils.
INSERT INTO sopa_placement (academy_id, id, period_id, student_id, mat_id, school_id, class_level, pupils, created_by, created_at, version) VALUES (@p, 400201, 400101, 400001, 400002, 100112, 'CM1', 24, 400020, '2026-09-15 10:00:00', 1);
INSERT INTO sopa_placement (academy_id, id, period_id, student_id, mat_id, school_id, class_level, pupils, created_by, created_at, version) VALUES (@p, 400202, 400102, 400001, 400002, 100112, 'CM1', 24, 400020, '2026-09-15 10:00:00', 1);
INSERT INTO sopa_placement (academy_id, id, period_id, student_id, mat_id, school_id, class_level, pupils, created_by, created_at, version) VALUES (@p, 400203, 400101, 400003, 400002, 100112, 'CM1', 24, 400020, '2026-09-15 10:00:00', 1);
INSERT INTO sopa_placement (academy_id, id, period_id, student_id, mat_id, school_id, class_level, pupils, created_by, created_at, version) VALUES (@p, 400204, 400101, 400004, 400007, 100112, 'CE2', 22, 400020, '2026-09-15 10:00:00', 1);
INSERT INTO sopa_placement (academy_id, id, period_id, student_id, mat_id, school_id, class_level, pupils, created_by, created_at, version) VALUES (@p, 400205, 400102, 400003, 400007, 100112, 'CE2', 22, 400020, '2026-09-15 10:00:00', 1);
INSERT INTO sopa_placement (academy_id, id, period_id, student_id, mat_id, school_id, class_level, pupils, created_by, created_at, version) VALUES (@p, 400206, 400111, 400005, 400008, 100113, 'GS', 26, 400020, '2026-09-15 10:00:00', 1);
INSERT INTO sopa_placement (academy_id, id, period_id, student_id, mat_id, school_id, class_level, pupils, created_by, created_at, version) VALUES (@p, 400207, 400112, 400005, 400008, 100113, 'GS', 26, 400020, '2026-09-15 10:00:00', 1);
INSERT INTO sopa_placement (academy_id, id, period_id, student_id, mat_id, school_id, class_level, pupils, created_by, created_at, version) VALUES (@p, 400208, 400131, 400006, 400009, 400031, 'CP', 20, 400020, '2026-09-15 10:00:00', 1);
INSERT INTO sopa_placement (academy_id, id, period_id, student_id, mat_id, school_id, class_level, pupils, created_by, created_at, version) VALUES (@p, 400209, 400132, 400006, 400009, 400031, 'CP', 20, 400020, '2026-09-15 10:00:00', 1);

-- Reports. SOPA 1 (due 2026-10-16): etudiant1's and Manon Dupuis's sent
-- in time, Emma Girard's late (2026-10-21), Hugo Lambert's missing, Nathan
-- Roche's sent in time then corrected (version 2, sent). SOPA 2 (due
-- 2026-12-04): drafts for Emma Girard and Manon Dupuis.
INSERT INTO sopa_report (academy_id, id, placement_id, number, state, absences_half_days, step, comments_steps_12, comments_steps_34, sessions_led, sessions_designed, c1, c2, c6, c7, c11, advice_1, advice_2, created_by, created_at, updated_at, sent_by, sent_at, period_starts_on, period_ends_on, due_on, late, ue4_recorded_at, ue4_recorded_by, version) VALUES (@p, 400301, 400201, 1, 'sent', 0, 2, 'Observations conduites avec la grille fournie ; prise en charge d''un groupe de lecture en fin de semaine.', 'Non abordé sur cette période.', 2, 1, 'acquis', 'en_cours', 'acquis', 'acquis', 'en_cours', 'Préparer chaque séance avec un objectif d''apprentissage formulé pour les élèves.', 'Observer davantage les temps de transition et les consignes données à la classe.', 400002, '2026-10-09 16:00:00', '2026-10-12 18:30:00', 400002, '2026-10-12 18:30:00', '2026-10-05', '2026-10-09', '2026-10-16', FALSE, '2026-10-20 09:00:00', 100116, 2);
INSERT INTO sopa_report (academy_id, id, placement_id, number, state, absences_half_days, step, comments_steps_12, comments_steps_34, sessions_led, sessions_designed, c1, c2, c6, c7, c11, advice_1, advice_2, created_by, created_at, updated_at, sent_by, sent_at, period_starts_on, period_ends_on, due_on, late, ue4_recorded_at, ue4_recorded_by, version) VALUES (@p, 400302, 400203, 1, 'sent', 1, 1, 'Observation de la classe et des dispositifs de différenciation.', NULL, 0, 0, 'acquis', 'acquis', 'en_cours', 'acquis', 'acquis', 'Prendre des notes structurées pendant les observations.', 'S''essayer à la prise en charge d''un petit groupe.', 400002, '2026-10-15 17:00:00', '2026-10-21 19:00:00', 400002, '2026-10-21 19:00:00', '2026-10-05', '2026-10-09', '2026-10-16', TRUE, NULL, NULL, 2);
INSERT INTO sopa_report (academy_id, id, placement_id, number, state, absences_half_days, step, comments_steps_12, comments_steps_34, sessions_led, sessions_designed, c1, c2, c6, c7, c11, advice_1, advice_2, created_by, created_at, updated_at, sent_by, sent_at, period_starts_on, period_ends_on, due_on, late, ue4_recorded_at, ue4_recorded_by, version) VALUES (@p, 400303, 400206, 1, 'sent', 0, 2, 'Observations conduites avec la grille fournie ; prise en charge d''un groupe de lecture en fin de semaine.', NULL, 3, 1, 'acquis', 'en_cours', 'acquis', 'acquis', 'en_cours', 'Préparer chaque séance avec un objectif d''apprentissage formulé pour les élèves.', 'Observer davantage les temps de transition et les consignes données à la classe.', 400008, '2026-10-09 12:00:00', '2026-10-14 08:00:00', 400008, '2026-10-14 08:00:00', '2026-10-05', '2026-10-09', '2026-10-16', FALSE, NULL, NULL, 2);
INSERT INTO sopa_report (academy_id, id, placement_id, number, state, absences_half_days, step, comments_steps_12, comments_steps_34, sessions_led, sessions_designed, c1, c2, c6, c7, c11, advice_1, advice_2, created_by, created_at, updated_at, sent_by, sent_at, period_starts_on, period_ends_on, due_on, late, ue4_recorded_at, ue4_recorded_by, version) VALUES (@p, 400304, 400208, 1, 'sent', 2, 1, 'Observations des rituels du CP.', NULL, 1, 0, 'en_cours', 'en_cours', 'acquis', 'en_cours', 'acquis', 'Préparer des questions pour l''enseignante avant chaque journée.', 'Observer la gestion du temps en lecture.', 400009, '2026-10-10 10:00:00', '2026-10-13 17:00:00', 400009, '2026-10-13 17:00:00', '2026-10-05', '2026-10-09', '2026-10-16', FALSE, NULL, NULL, 2);
INSERT INTO sopa_report (academy_id, id, placement_id, number, state, absences_half_days, step, comments_steps_12, comments_steps_34, sessions_led, sessions_designed, c1, c2, c6, c7, c11, advice_1, advice_2, created_by, created_at, updated_at, sent_by, sent_at, period_starts_on, period_ends_on, due_on, late, ue4_recorded_at, ue4_recorded_by, version) VALUES (@p, 400305, 400208, 2, 'sent', 1, 1, 'Observations des rituels du CP (absence d''une demi-journée corrigée).', NULL, 1, 0, 'en_cours', 'en_cours', 'acquis', 'en_cours', 'acquis', 'Préparer des questions pour l''enseignante avant chaque journée.', 'Observer la gestion du temps en lecture.', 400009, '2026-10-15 09:00:00', '2026-10-15 09:30:00', 400009, '2026-10-15 09:30:00', '2026-10-05', '2026-10-09', '2026-10-16', FALSE, NULL, NULL, 2);
INSERT INTO sopa_report (academy_id, id, placement_id, number, state, absences_half_days, step, comments_steps_12, comments_steps_34, sessions_led, sessions_designed, c1, c2, c6, c7, c11, advice_1, advice_2, created_by, created_at, updated_at, sent_by, sent_at, period_starts_on, period_ends_on, due_on, late, ue4_recorded_at, ue4_recorded_by, version) VALUES (@p, 400306, 400205, 1, 'draft', NULL, 2, 'Prise en charge de groupes en mathématiques.', NULL, 3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 400007, '2026-11-27 17:00:00', '2026-11-27 17:00:00', NULL, NULL, NULL, NULL, NULL, FALSE, NULL, NULL, 3);
INSERT INTO sopa_report (academy_id, id, placement_id, number, state, absences_half_days, step, comments_steps_12, comments_steps_34, sessions_led, sessions_designed, c1, c2, c6, c7, c11, advice_1, advice_2, created_by, created_at, updated_at, sent_by, sent_at, period_starts_on, period_ends_on, due_on, late, ue4_recorded_at, ue4_recorded_by, version) VALUES (@p, 400307, 400207, 1, 'draft', 0, NULL, NULL, NULL, NULL, NULL, 'acquis', 'acquis', NULL, NULL, NULL, NULL, NULL, 400008, '2026-11-28 10:00:00', '2026-11-28 10:00:00', NULL, NULL, NULL, NULL, NULL, FALSE, NULL, NULL, 2);

-- mat1 is named to the UE4 oral jury of semester 2 at Niort.
INSERT INTO sopa_jury (academy_id, id, site_id, year_id, mat_id, named_by, named_at) VALUES (@p, 400400, 100105, @year, 400002, 100116, '2026-11-05 10:00:00');
