-- Demo data of the réseau de tuteurs (issue 12, docs/reseau.md), in Lyon,
-- year 2026-2027 (today about 2026-12-02): the communes of Ain, Loire and
-- Rhône (INSEE code, coordinates), a call per département opened by the
-- bureau des stages, volunteers (tuteur.terrain1 and tuteur.inspe1 in the
-- Rhône among invented tutors), in the Rhône a validated collective piloted
-- by tuteur.terrain1 (one meeting held in November with its attendance,
-- canvas notes and a published synthesis, two to come; tuteur.inspe1 has
-- not accepted the charter yet) and a draft one, in the Ain a validated
-- collective (a meeting held, its synthesis a draft); the Loire's
-- volunteers wait to be composed. Grenoble has a few communes of the Isère
-- (no call). Resources are seeded by tutoratctl migrate (reseau_seed).

SET @lyon = (SELECT id FROM academy WHERE code = 'lyon');
SET @grenoble = (SELECT id FROM academy WHERE code = 'grenoble');
SET @year = (SELECT id FROM school_year WHERE academy_id = @lyon AND current);
SET @terrain = (SELECT id FROM person WHERE academy_id = @lyon AND username = 'tuteur.terrain1');
SET @inspe = (SELECT id FROM person WHERE academy_id = @lyon AND username = 'tuteur.inspe1');
INSERT IGNORE INTO person (academy_id, id, username, display_name, email, active, created_at, updated_at, version) VALUES (@lyon, 31000001, 'bureau1', 'Claire Fontaine', 'claire.fontaine@ac-lyon.fr', TRUE, NOW(3), NOW(3), 1);
SET @bureau = (SELECT id FROM person WHERE academy_id = @lyon AND username = 'bureau1');

-- Communes.
INSERT INTO reseau_commune (academy_id, id, insee, name, departement_id, latitude, longitude) VALUES (@lyon, 5000001, '01053', 'Bourg-en-Bresse', 100008, 46.20574, 5.22580);
INSERT INTO reseau_commune (academy_id, id, insee, name, departement_id, latitude, longitude) VALUES (@lyon, 5000002, '01451', 'Viriat', 100008, 46.25472, 5.21583);
INSERT INTO reseau_commune (academy_id, id, insee, name, departement_id, latitude, longitude) VALUES (@lyon, 5000003, '01004', 'Ambérieu-en-Bugey', 100008, 45.95847, 5.35972);
INSERT INTO reseau_commune (academy_id, id, insee, name, departement_id, latitude, longitude) VALUES (@lyon, 5000004, '01283', 'Oyonnax', 100008, 46.25611, 5.65556);
INSERT INTO reseau_commune (academy_id, id, insee, name, departement_id, latitude, longitude) VALUES (@lyon, 5000005, '01173', 'Gex', 100008, 46.33333, 6.05778);
INSERT INTO reseau_commune (academy_id, id, insee, name, departement_id, latitude, longitude) VALUES (@lyon, 5000006, '01034', 'Belley', 100008, 45.75917, 5.68806);
INSERT INTO reseau_commune (academy_id, id, insee, name, departement_id, latitude, longitude) VALUES (@lyon, 5000007, '01427', 'Trévoux', 100008, 45.94056, 4.77556);
INSERT INTO reseau_commune (academy_id, id, insee, name, departement_id, latitude, longitude) VALUES (@lyon, 5000008, '01249', 'Miribel', 100008, 45.82583, 4.95389);
INSERT INTO reseau_commune (academy_id, id, insee, name, departement_id, latitude, longitude) VALUES (@lyon, 5000009, '42218', 'Saint-Étienne', 100009, 45.43389, 4.39000);
INSERT INTO reseau_commune (academy_id, id, insee, name, departement_id, latitude, longitude) VALUES (@lyon, 5000010, '42147', 'Montbrison', 100009, 45.60750, 4.06528);
INSERT INTO reseau_commune (academy_id, id, insee, name, departement_id, latitude, longitude) VALUES (@lyon, 5000011, '42187', 'Roanne', 100009, 46.03667, 4.06806);
INSERT INTO reseau_commune (academy_id, id, insee, name, departement_id, latitude, longitude) VALUES (@lyon, 5000012, '42095', 'Firminy', 100009, 45.38833, 4.28778);
INSERT INTO reseau_commune (academy_id, id, insee, name, departement_id, latitude, longitude) VALUES (@lyon, 5000013, '42207', 'Saint-Chamond', 100009, 45.47528, 4.51528);
INSERT INTO reseau_commune (academy_id, id, insee, name, departement_id, latitude, longitude) VALUES (@lyon, 5000014, '42094', 'Feurs', 100009, 45.74222, 4.22667);
INSERT INTO reseau_commune (academy_id, id, insee, name, departement_id, latitude, longitude) VALUES (@lyon, 5000015, '42279', 'Saint-Just-Saint-Rambert', 100009, 45.49944, 4.24111);
INSERT INTO reseau_commune (academy_id, id, insee, name, departement_id, latitude, longitude) VALUES (@lyon, 5000016, '69123', 'Lyon', 100010, 45.76400, 4.83566);
INSERT INTO reseau_commune (academy_id, id, insee, name, departement_id, latitude, longitude) VALUES (@lyon, 5000017, '69266', 'Villeurbanne', 100010, 45.76667, 4.88028);
INSERT INTO reseau_commune (academy_id, id, insee, name, departement_id, latitude, longitude) VALUES (@lyon, 5000018, '69264', 'Villefranche-sur-Saône', 100010, 45.98972, 4.71806);
INSERT INTO reseau_commune (academy_id, id, insee, name, departement_id, latitude, longitude) VALUES (@lyon, 5000019, '69259', 'Vénissieux', 100010, 45.69750, 4.88667);
INSERT INTO reseau_commune (academy_id, id, insee, name, departement_id, latitude, longitude) VALUES (@lyon, 5000020, '69029', 'Bron', 100010, 45.73861, 4.91306);
INSERT INTO reseau_commune (academy_id, id, insee, name, departement_id, latitude, longitude) VALUES (@lyon, 5000021, '69149', 'Oullins', 100010, 45.71472, 4.80750);
INSERT INTO reseau_commune (academy_id, id, insee, name, departement_id, latitude, longitude) VALUES (@lyon, 5000022, '69243', 'Tarare', 100010, 45.89611, 4.43333);
INSERT INTO reseau_commune (academy_id, id, insee, name, departement_id, latitude, longitude) VALUES (@lyon, 5000023, '69091', 'Givors', 100010, 45.59056, 4.76889);
INSERT INTO reseau_commune (academy_id, id, insee, name, departement_id, latitude, longitude) VALUES (@lyon, 5000024, '69290', 'Saint-Priest', 100010, 45.69639, 4.94389);
INSERT INTO reseau_commune (academy_id, id, insee, name, departement_id, latitude, longitude) VALUES (@lyon, 5000025, '69202', 'Sainte-Foy-lès-Lyon', 100010, 45.73361, 4.80250);
INSERT INTO reseau_commune (academy_id, id, insee, name, departement_id, latitude, longitude) VALUES (@grenoble, 5000026, '38185', 'Grenoble', 100066, 45.18750, 5.72639);
INSERT INTO reseau_commune (academy_id, id, insee, name, departement_id, latitude, longitude) VALUES (@grenoble, 5000027, '38563', 'Voiron', 100066, 45.36417, 5.58889);
INSERT INTO reseau_commune (academy_id, id, insee, name, departement_id, latitude, longitude) VALUES (@grenoble, 5000028, '38544', 'Vienne', 100066, 45.52556, 4.87444);

-- Invented tutors (local accounts, no password: the demo signs in as tuteur.terrain1 and tuteur.inspe1).
INSERT INTO person (academy_id, id, username, display_name, email, active, created_at, updated_at, version) VALUES (@lyon, 5001001, 'reseau.t01', 'Nadia Benali', 'nadia.benali@ac-lyon.fr', TRUE, NOW(3), NOW(3), 1);
INSERT INTO role_assignment (academy_id, id, person_id, role, scope_kind, scope_id, source, created_at) VALUES (@lyon, 50010010, 5001001, 'tuteur_terrain', 'academy', NULL, 'local', NOW(3));
INSERT INTO person (academy_id, id, username, display_name, email, active, created_at, updated_at, version) VALUES (@lyon, 5001002, 'reseau.t02', 'Thomas Girard', 'thomas.girard@ac-lyon.fr', TRUE, NOW(3), NOW(3), 1);
INSERT INTO role_assignment (academy_id, id, person_id, role, scope_kind, scope_id, source, created_at) VALUES (@lyon, 50010020, 5001002, 'tuteur_terrain', 'academy', NULL, 'local', NOW(3));
INSERT INTO person (academy_id, id, username, display_name, email, active, created_at, updated_at, version) VALUES (@lyon, 5001003, 'reseau.t03', 'Camille Rey', 'camille.rey@ac-lyon.fr', TRUE, NOW(3), NOW(3), 1);
INSERT INTO role_assignment (academy_id, id, person_id, role, scope_kind, scope_id, source, created_at) VALUES (@lyon, 50010030, 5001003, 'tuteur_terrain', 'academy', NULL, 'local', NOW(3));
INSERT INTO person (academy_id, id, username, display_name, email, active, created_at, updated_at, version) VALUES (@lyon, 5001004, 'reseau.t04', 'Lucas Perrin', 'lucas.perrin@ac-lyon.fr', TRUE, NOW(3), NOW(3), 1);
INSERT INTO role_assignment (academy_id, id, person_id, role, scope_kind, scope_id, source, created_at) VALUES (@lyon, 50010040, 5001004, 'tuteur_terrain', 'academy', NULL, 'local', NOW(3));
INSERT INTO person (academy_id, id, username, display_name, email, active, created_at, updated_at, version) VALUES (@lyon, 5001005, 'reseau.t05', 'Inès Marchand', 'ines.marchand@ac-lyon.fr', TRUE, NOW(3), NOW(3), 1);
INSERT INTO role_assignment (academy_id, id, person_id, role, scope_kind, scope_id, source, created_at) VALUES (@lyon, 50010050, 5001005, 'tuteur_terrain', 'academy', NULL, 'local', NOW(3));
INSERT INTO person (academy_id, id, username, display_name, email, active, created_at, updated_at, version) VALUES (@lyon, 5001006, 'reseau.t06', 'Hugo Chevalier', 'hugo.chevalier@ac-lyon.fr', TRUE, NOW(3), NOW(3), 1);
INSERT INTO role_assignment (academy_id, id, person_id, role, scope_kind, scope_id, source, created_at) VALUES (@lyon, 50010060, 5001006, 'tuteur_terrain', 'academy', NULL, 'local', NOW(3));
INSERT INTO person (academy_id, id, username, display_name, email, active, created_at, updated_at, version) VALUES (@lyon, 5001007, 'reseau.t07', 'Manon Robin', 'manon.robin@ac-lyon.fr', TRUE, NOW(3), NOW(3), 1);
INSERT INTO role_assignment (academy_id, id, person_id, role, scope_kind, scope_id, source, created_at) VALUES (@lyon, 50010070, 5001007, 'tuteur_terrain', 'academy', NULL, 'local', NOW(3));
INSERT INTO person (academy_id, id, username, display_name, email, active, created_at, updated_at, version) VALUES (@lyon, 5001008, 'reseau.t08', 'Pierre Gauthier', 'pierre.gauthier@ac-lyon.fr', TRUE, NOW(3), NOW(3), 1);
INSERT INTO role_assignment (academy_id, id, person_id, role, scope_kind, scope_id, source, created_at) VALUES (@lyon, 50010080, 5001008, 'tuteur_terrain', 'academy', NULL, 'local', NOW(3));
INSERT INTO person (academy_id, id, username, display_name, email, active, created_at, updated_at, version) VALUES (@lyon, 5001011, 'reseau.t11', 'Élise Bernard', 'elise.bernard@ac-lyon.fr', TRUE, NOW(3), NOW(3), 1);
INSERT INTO role_assignment (academy_id, id, person_id, role, scope_kind, scope_id, source, created_at) VALUES (@lyon, 50010110, 5001011, 'tuteur_terrain', 'academy', NULL, 'local', NOW(3));
INSERT INTO person (academy_id, id, username, display_name, email, active, created_at, updated_at, version) VALUES (@lyon, 5001012, 'reseau.t12', 'Julien Masson', 'julien.masson@ac-lyon.fr', TRUE, NOW(3), NOW(3), 1);
INSERT INTO role_assignment (academy_id, id, person_id, role, scope_kind, scope_id, source, created_at) VALUES (@lyon, 50010120, 5001012, 'tuteur_terrain', 'academy', NULL, 'local', NOW(3));
INSERT INTO person (academy_id, id, username, display_name, email, active, created_at, updated_at, version) VALUES (@lyon, 5001013, 'reseau.t13', 'Sarah Lemoine', 'sarah.lemoine@ac-lyon.fr', TRUE, NOW(3), NOW(3), 1);
INSERT INTO role_assignment (academy_id, id, person_id, role, scope_kind, scope_id, source, created_at) VALUES (@lyon, 50010130, 5001013, 'tuteur_terrain', 'academy', NULL, 'local', NOW(3));
INSERT INTO person (academy_id, id, username, display_name, email, active, created_at, updated_at, version) VALUES (@lyon, 5001014, 'reseau.t14', 'Antoine Roussel', 'antoine.roussel@ac-lyon.fr', TRUE, NOW(3), NOW(3), 1);
INSERT INTO role_assignment (academy_id, id, person_id, role, scope_kind, scope_id, source, created_at) VALUES (@lyon, 50010140, 5001014, 'tuteur_terrain', 'academy', NULL, 'local', NOW(3));
INSERT INTO person (academy_id, id, username, display_name, email, active, created_at, updated_at, version) VALUES (@lyon, 5001015, 'reseau.t15', 'Chloé Fabre', 'chloe.fabre@ac-lyon.fr', TRUE, NOW(3), NOW(3), 1);
INSERT INTO role_assignment (academy_id, id, person_id, role, scope_kind, scope_id, source, created_at) VALUES (@lyon, 50010150, 5001015, 'tuteur_terrain', 'academy', NULL, 'local', NOW(3));
INSERT INTO person (academy_id, id, username, display_name, email, active, created_at, updated_at, version) VALUES (@lyon, 5001021, 'reseau.t21', 'Mathieu Colin', 'mathieu.colin@ac-lyon.fr', TRUE, NOW(3), NOW(3), 1);
INSERT INTO role_assignment (academy_id, id, person_id, role, scope_kind, scope_id, source, created_at) VALUES (@lyon, 50010210, 5001021, 'tuteur_terrain', 'academy', NULL, 'local', NOW(3));
INSERT INTO person (academy_id, id, username, display_name, email, active, created_at, updated_at, version) VALUES (@lyon, 5001022, 'reseau.t22', 'Laura Picard', 'laura.picard@ac-lyon.fr', TRUE, NOW(3), NOW(3), 1);
INSERT INTO role_assignment (academy_id, id, person_id, role, scope_kind, scope_id, source, created_at) VALUES (@lyon, 50010220, 5001022, 'tuteur_terrain', 'academy', NULL, 'local', NOW(3));
INSERT INTO person (academy_id, id, username, display_name, email, active, created_at, updated_at, version) VALUES (@lyon, 5001023, 'reseau.t23', 'Nicolas Vidal', 'nicolas.vidal@ac-lyon.fr', TRUE, NOW(3), NOW(3), 1);
INSERT INTO role_assignment (academy_id, id, person_id, role, scope_kind, scope_id, source, created_at) VALUES (@lyon, 50010230, 5001023, 'tuteur_terrain', 'academy', NULL, 'local', NOW(3));
INSERT INTO person (academy_id, id, username, display_name, email, active, created_at, updated_at, version) VALUES (@lyon, 5001024, 'reseau.t24', 'Emma Noël', 'emma.noel@ac-lyon.fr', TRUE, NOW(3), NOW(3), 1);
INSERT INTO role_assignment (academy_id, id, person_id, role, scope_kind, scope_id, source, created_at) VALUES (@lyon, 50010240, 5001024, 'tuteur_terrain', 'academy', NULL, 'local', NOW(3));
INSERT INTO person (academy_id, id, username, display_name, email, active, created_at, updated_at, version) VALUES (@lyon, 5001025, 'reseau.t25', 'Yanis Brun', 'yanis.brun@ac-lyon.fr', TRUE, NOW(3), NOW(3), 1);
INSERT INTO role_assignment (academy_id, id, person_id, role, scope_kind, scope_id, source, created_at) VALUES (@lyon, 50010250, 5001025, 'tuteur_terrain', 'academy', NULL, 'local', NOW(3));

-- The calls of 2026-2027, opened by the bureau des stages.
INSERT INTO reseau_call (academy_id, id, year_id, departement_id, title, opens_on, closes_on, state, created_by, created_at) VALUES (@lyon, 5100001, @year, 100008, 'Collectifs de tuteurs de l''Ain 2026-2027', '2026-09-14', '2026-12-18', 'open', @bureau, '2026-09-14 08:00:00');
INSERT INTO reseau_call (academy_id, id, year_id, departement_id, title, opens_on, closes_on, state, created_by, created_at) VALUES (@lyon, 5100002, @year, 100009, 'Collectifs de tuteurs de la Loire 2026-2027', '2026-09-14', '2026-12-18', 'open', @bureau, '2026-09-14 08:00:00');
INSERT INTO reseau_call (academy_id, id, year_id, departement_id, title, opens_on, closes_on, state, created_by, created_at) VALUES (@lyon, 5100003, @year, 100010, 'Collectifs de tuteurs du Rhône 2026-2027', '2026-09-14', '2026-12-18', 'open', @bureau, '2026-09-14 08:00:00');

-- Volunteers.
SET @v_terrain = 5200001;
INSERT INTO reseau_volunteer (academy_id, id, call_id, person_id, degree, seniority, commune_id, school_id, wants_pilot, qualifications, created_at) VALUES (@lyon, 5200001, 5100003, @terrain, '1d', 'experienced', 5000016, 100049, TRUE, 'CAFIPEMF', '2026-09-20 10:00:00');
SET @v_inspe = 5200002;
INSERT INTO reseau_volunteer (academy_id, id, call_id, person_id, degree, seniority, commune_id, school_id, wants_pilot, qualifications, created_at) VALUES (@lyon, 5200002, 5100003, @inspe, '2d', 'experienced', 5000017, NULL, FALSE, 'master_formateur', '2026-09-20 10:00:00');
INSERT INTO reseau_volunteer (academy_id, id, call_id, person_id, degree, seniority, commune_id, school_id, wants_pilot, qualifications, created_at) VALUES (@lyon, 5200003, 5100003, 5001001, '1d', 'neo', 5000019, NULL, FALSE, '', '2026-09-20 10:00:00');
INSERT INTO reseau_volunteer (academy_id, id, call_id, person_id, degree, seniority, commune_id, school_id, wants_pilot, qualifications, created_at) VALUES (@lyon, 5200004, 5100003, 5001002, '2d', 'neo', 5000020, NULL, FALSE, '', '2026-09-20 10:00:00');
INSERT INTO reseau_volunteer (academy_id, id, call_id, person_id, degree, seniority, commune_id, school_id, wants_pilot, qualifications, created_at) VALUES (@lyon, 5200005, 5100003, 5001003, '2d', 'neo', 5000021, NULL, FALSE, '', '2026-09-20 10:00:00');
INSERT INTO reseau_volunteer (academy_id, id, call_id, person_id, degree, seniority, commune_id, school_id, wants_pilot, qualifications, created_at) VALUES (@lyon, 5200006, 5100003, 5001004, '1d', 'experienced', 5000018, NULL, TRUE, 'PEMF', '2026-09-20 10:00:00');
INSERT INTO reseau_volunteer (academy_id, id, call_id, person_id, degree, seniority, commune_id, school_id, wants_pilot, qualifications, created_at) VALUES (@lyon, 5200007, 5100003, 5001005, '2d', 'neo', 5000022, NULL, FALSE, '', '2026-09-20 10:00:00');
INSERT INTO reseau_volunteer (academy_id, id, call_id, person_id, degree, seniority, commune_id, school_id, wants_pilot, qualifications, created_at) VALUES (@lyon, 5200008, 5100003, 5001006, '1d', 'neo', 5000023, NULL, FALSE, '', '2026-09-20 10:00:00');
INSERT INTO reseau_volunteer (academy_id, id, call_id, person_id, degree, seniority, commune_id, school_id, wants_pilot, qualifications, created_at) VALUES (@lyon, 5200009, 5100003, 5001007, '2d', 'experienced', 5000024, NULL, TRUE, 'CAFFA', '2026-09-20 10:00:00');
INSERT INTO reseau_volunteer (academy_id, id, call_id, person_id, degree, seniority, commune_id, school_id, wants_pilot, qualifications, created_at) VALUES (@lyon, 5200010, 5100003, 5001008, '1d', 'neo', 5000025, NULL, FALSE, '', '2026-09-20 10:00:00');
INSERT INTO reseau_volunteer (academy_id, id, call_id, person_id, degree, seniority, commune_id, school_id, wants_pilot, qualifications, created_at) VALUES (@lyon, 5200011, 5100001, 5001011, '1d', 'experienced', 5000001, NULL, TRUE, 'CAFIPEMF', '2026-09-20 10:00:00');
INSERT INTO reseau_volunteer (academy_id, id, call_id, person_id, degree, seniority, commune_id, school_id, wants_pilot, qualifications, created_at) VALUES (@lyon, 5200012, 5100001, 5001012, '2d', 'neo', 5000002, NULL, FALSE, '', '2026-09-20 10:00:00');
INSERT INTO reseau_volunteer (academy_id, id, call_id, person_id, degree, seniority, commune_id, school_id, wants_pilot, qualifications, created_at) VALUES (@lyon, 5200013, 5100001, 5001013, '2d', 'experienced', 5000003, NULL, FALSE, '', '2026-09-20 10:00:00');
INSERT INTO reseau_volunteer (academy_id, id, call_id, person_id, degree, seniority, commune_id, school_id, wants_pilot, qualifications, created_at) VALUES (@lyon, 5200014, 5100001, 5001014, '1d', 'neo', 5000008, NULL, FALSE, '', '2026-09-20 10:00:00');
INSERT INTO reseau_volunteer (academy_id, id, call_id, person_id, degree, seniority, commune_id, school_id, wants_pilot, qualifications, created_at) VALUES (@lyon, 5200015, 5100001, 5001015, '2d', 'neo', 5000006, NULL, FALSE, '', '2026-09-20 10:00:00');
INSERT INTO reseau_volunteer (academy_id, id, call_id, person_id, degree, seniority, commune_id, school_id, wants_pilot, qualifications, created_at) VALUES (@lyon, 5200016, 5100002, 5001021, '1d', 'experienced', 5000009, NULL, TRUE, 'CAFIPEMF', '2026-09-20 10:00:00');
INSERT INTO reseau_volunteer (academy_id, id, call_id, person_id, degree, seniority, commune_id, school_id, wants_pilot, qualifications, created_at) VALUES (@lyon, 5200017, 5100002, 5001022, '2d', 'neo', 5000010, NULL, FALSE, '', '2026-09-20 10:00:00');
INSERT INTO reseau_volunteer (academy_id, id, call_id, person_id, degree, seniority, commune_id, school_id, wants_pilot, qualifications, created_at) VALUES (@lyon, 5200018, 5100002, 5001023, '2d', 'experienced', 5000011, NULL, TRUE, 'CAFFA', '2026-09-20 10:00:00');
INSERT INTO reseau_volunteer (academy_id, id, call_id, person_id, degree, seniority, commune_id, school_id, wants_pilot, qualifications, created_at) VALUES (@lyon, 5200019, 5100002, 5001024, '1d', 'neo', 5000012, NULL, FALSE, '', '2026-09-20 10:00:00');
INSERT INTO reseau_volunteer (academy_id, id, call_id, person_id, degree, seniority, commune_id, school_id, wants_pilot, qualifications, created_at) VALUES (@lyon, 5200020, 5100002, 5001025, '2d', 'neo', 5000013, NULL, FALSE, '', '2026-09-20 10:00:00');

-- Collectives: Rhône (validated, and a draft), Ain (validated).
INSERT INTO reseau_collective (academy_id, id, call_id, name, state, mix_score, created_by, created_at, validated_by, validated_at) VALUES (@lyon, 5300001, 5100003, 'Collectif Lyon – Est lyonnais', 'validated', 95, @bureau, '2026-10-05 09:00:00', @bureau, '2026-10-06 09:00:00');
INSERT INTO reseau_collective (academy_id, id, call_id, name, state, mix_score, created_by, created_at) VALUES (@lyon, 5300002, 5100003, 'Collectif Ouest lyonnais', 'draft', 60, @bureau, '2026-11-20 09:00:00');
INSERT INTO reseau_collective (academy_id, id, call_id, name, state, mix_score, created_by, created_at, validated_by, validated_at) VALUES (@lyon, 5300003, 5100001, 'Collectif Bresse – Bugey', 'validated', 72, @bureau, '2026-10-05 09:30:00', @bureau, '2026-10-06 09:30:00');
INSERT INTO reseau_member (academy_id, id, collective_id, call_id, volunteer_id, person_id, pilot, charter_accepted_at) VALUES (@lyon, 5310001, 5300001, 5100003, 5200001, @terrain, TRUE, '2026-10-07 18:00:00');
INSERT INTO reseau_member (academy_id, id, collective_id, call_id, volunteer_id, person_id, pilot, charter_accepted_at) VALUES (@lyon, 5310002, 5300001, 5100003, 5200002, @inspe, FALSE, NULL);
INSERT INTO reseau_member (academy_id, id, collective_id, call_id, volunteer_id, person_id, pilot, charter_accepted_at) VALUES (@lyon, 5310003, 5300001, 5100003, 5200003, 5001001, FALSE, '2026-10-08 12:00:00');
INSERT INTO reseau_member (academy_id, id, collective_id, call_id, volunteer_id, person_id, pilot, charter_accepted_at) VALUES (@lyon, 5310004, 5300001, 5100003, 5200004, 5001002, FALSE, '2026-10-08 19:30:00');
INSERT INTO reseau_member (academy_id, id, collective_id, call_id, volunteer_id, person_id, pilot, charter_accepted_at) VALUES (@lyon, 5310005, 5300001, 5100003, 5200005, 5001003, FALSE, '2026-10-09 07:45:00');
INSERT INTO reseau_member (academy_id, id, collective_id, call_id, volunteer_id, person_id, pilot, charter_accepted_at) VALUES (@lyon, 5310006, 5300002, 5100003, 5200006, 5001004, TRUE, NULL);
INSERT INTO reseau_member (academy_id, id, collective_id, call_id, volunteer_id, person_id, pilot, charter_accepted_at) VALUES (@lyon, 5310007, 5300002, 5100003, 5200007, 5001005, FALSE, NULL);
INSERT INTO reseau_member (academy_id, id, collective_id, call_id, volunteer_id, person_id, pilot, charter_accepted_at) VALUES (@lyon, 5310008, 5300002, 5100003, 5200008, 5001006, FALSE, NULL);
INSERT INTO reseau_member (academy_id, id, collective_id, call_id, volunteer_id, person_id, pilot, charter_accepted_at) VALUES (@lyon, 5310009, 5300003, 5100001, 5200011, 5001011, TRUE, '2026-10-07 17:00:00');
INSERT INTO reseau_member (academy_id, id, collective_id, call_id, volunteer_id, person_id, pilot, charter_accepted_at) VALUES (@lyon, 5310010, 5300003, 5100001, 5200012, 5001012, FALSE, '2026-10-07 20:00:00');
INSERT INTO reseau_member (academy_id, id, collective_id, call_id, volunteer_id, person_id, pilot, charter_accepted_at) VALUES (@lyon, 5310011, 5300003, 5100001, 5200013, 5001013, FALSE, '2026-10-08 08:00:00');
INSERT INTO reseau_member (academy_id, id, collective_id, call_id, volunteer_id, person_id, pilot, charter_accepted_at) VALUES (@lyon, 5310012, 5300003, 5100001, 5200014, 5001014, FALSE, '2026-10-08 21:00:00');

-- Meetings: held in November (attendance recorded), to come.
INSERT INTO reseau_meeting (academy_id, id, collective_id, starts_at, ends_at, place, attendance_at, created_by, created_at) VALUES (@lyon, 5400001, 5300001, '2026-11-18 17:00:00', '2026-11-18 19:00:00', 'École élémentaire Gerland, Lyon 7e – salle des maîtres', '2026-11-18 19:15:00', @terrain, '2026-10-10 09:00:00');
INSERT INTO reseau_meeting (academy_id, id, collective_id, starts_at, ends_at, place, attendance_at, created_by, created_at) VALUES (@lyon, 5400002, 5300001, '2026-12-16 17:00:00', '2026-12-16 19:00:00', 'INSPÉ de Lyon, site Croix-Rousse – salle 12', NULL, @terrain, '2026-10-10 09:00:00');
INSERT INTO reseau_meeting (academy_id, id, collective_id, starts_at, ends_at, place, attendance_at, created_by, created_at) VALUES (@lyon, 5400003, 5300001, '2027-01-20 17:00:00', '2027-01-20 19:00:00', 'Collège Jean Macé, Villeurbanne – CDI', NULL, @terrain, '2026-10-10 09:00:00');
INSERT INTO reseau_meeting (academy_id, id, collective_id, starts_at, ends_at, place, attendance_at, created_by, created_at) VALUES (@lyon, 5400004, 5300003, '2026-11-25 17:30:00', '2026-11-25 19:30:00', 'École élémentaire Les Tilleuls, Bourg-en-Bresse', '2026-11-25 19:40:00', 5001011, '2026-10-10 09:00:00');
INSERT INTO reseau_attendance (academy_id, id, meeting_id, person_id) VALUES (@lyon, 5410001, 5400001, @terrain);
INSERT INTO reseau_attendance (academy_id, id, meeting_id, person_id) VALUES (@lyon, 5410002, 5400001, 5001001);
INSERT INTO reseau_attendance (academy_id, id, meeting_id, person_id) VALUES (@lyon, 5410003, 5400001, 5001002);
INSERT INTO reseau_attendance (academy_id, id, meeting_id, person_id) VALUES (@lyon, 5410004, 5400004, 5001011);
INSERT INTO reseau_attendance (academy_id, id, meeting_id, person_id) VALUES (@lyon, 5410005, 5400004, 5001012);
INSERT INTO reseau_attendance (academy_id, id, meeting_id, person_id) VALUES (@lyon, 5410006, 5400004, 5001013);
INSERT INTO reseau_attendance (academy_id, id, meeting_id, person_id) VALUES (@lyon, 5410007, 5400004, 5001014);

-- Canvas notes (the collective's own) and syntheses.
INSERT INTO reseau_canvas (academy_id, id, meeting_id, presenter_id, fallback_case_url, problem, questions, resonance, presenter_solution, others_solutions, discussion, generalisation, debrief, updated_by, updated_at, version) VALUES (@lyon, 5400001, 5400001, 5001001, 'http://neo.ens-lyon.fr/neo', 'Une néo-titulaire en CE1 voit sa classe décrocher pendant les moments de transition (retour de récréation, changement d''activité) : bruit, déplacements, il lui faut dix minutes pour relancer.', 'Combien de transitions par demi-journée ? Les consignes sont-elles données avant ou après le déplacement ? Qui sont les élèves qui décrochent en premier ?', 'Trois membres ont vécu la même chose en première année, au collège comme à l''école : le temps perdu se compte en heures par semaine.', 'Elle a essayé un minuteur visible au tableau, avec un effet la première semaine seulement.', 'Ritualiser l''entrée (une tâche courte affichée, toujours au même endroit) ; donner la consigne avant de libérer les élèves ; confier des rôles (responsable du matériel, gardien du temps).', 'Le débat a porté sur la part du rituel et celle de l''attention aux élèves qui décrochent : le rituel libère l''enseignante pour observer.', 'Le pilotage des transitions est un geste professionnel à part entière (multi-agenda de D. Bucheton : pilotage et atmosphère) ; il s''anticipe à la préparation.', NULL, @terrain, '2026-11-18 19:30:00', 3);
INSERT INTO reseau_canvas (academy_id, id, meeting_id) VALUES (@lyon, 5400002, 5400002);
INSERT INTO reseau_canvas (academy_id, id, meeting_id) VALUES (@lyon, 5400003, 5400003);
INSERT INTO reseau_canvas (academy_id, id, meeting_id, presenter_id, problem, questions, others_solutions, updated_by, updated_at, version) VALUES (@lyon, 5400004, 5400004, 5001012, 'Un professeur stagiaire de technologie ne parvient pas à faire travailler ses élèves en îlots sans que le niveau sonore monte.', 'Les rôles dans les îlots sont-ils définis ? La production attendue est-elle claire ?', 'Des rôles tournants, un signal sonore convenu, une production écrite par îlot.', 5001011, '2026-11-25 19:50:00', 2);
INSERT INTO reseau_synthesis (academy_id, id, meeting_id, problem, answers, state, updated_by, updated_at, published_by, published_at, version) VALUES (@lyon, 5400001, 5400001, 'Comment aider un enseignant débutant à piloter les transitions de sa classe (entrées, changements d''activité) sans perdre le fil de la séance ?', 'Ritualiser l''entrée en activité par une tâche courte affichée ; donner les consignes avant les déplacements ; confier des rôles aux élèves ; anticiper les transitions à la préparation et observer les élèves qui décrochent plutôt que de courir après le bruit.', 'published', @terrain, '2026-11-19 08:00:00', @terrain, '2026-11-19 08:05:00', 3);
INSERT INTO reseau_synthesis (academy_id, id, meeting_id) VALUES (@lyon, 5400002, 5400002);
INSERT INTO reseau_synthesis (academy_id, id, meeting_id) VALUES (@lyon, 5400003, 5400003);
INSERT INTO reseau_synthesis (academy_id, id, meeting_id, problem, updated_by, updated_at, version) VALUES (@lyon, 5400004, 5400004, 'Comment organiser un travail en îlots qui reste productif ?', 5001011, '2026-11-26 08:00:00', 2);
