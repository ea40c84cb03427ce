-- Demo data for the three demo académies. Loaded by `tutoratctl demo-data`,
-- which refuses unless [server] environment = development. Structures are
-- real (départements, the pôles of Lyon's annex 4, INSPÉ sites); every person
-- is invented. Person rows here only carry scoped role assignments: the
-- directory (LDAP) refreshes names at each login.
--
-- tutoratctl loads it only into a database without structures, so running
-- the stack's start twice loads it once.

SET @lyon = (SELECT id FROM academy WHERE code = 'lyon');
SET @grenoble = (SELECT id FROM academy WHERE code = 'grenoble');
SET @poitiers = (SELECT id FROM academy WHERE code = 'poitiers');


-- Lyon: 1er degré, the pôles de formation of annex 4.
INSERT INTO school_year (academy_id, id, label, starts_on, ends_on, current, version) VALUES (@lyon, 100001, '2026-2027', '2026-09-01', '2027-07-03', TRUE, 1);
INSERT INTO school_year (academy_id, id, label, starts_on, ends_on, current, version) VALUES (@lyon, 100002, '2025-2026', '2025-09-01', '2026-07-04', FALSE, 1);
INSERT INTO year_event (academy_id, id, year_id, kind, label, starts_on, ends_on) VALUES (@lyon, 100003, 100001, 'autumn_holidays', 'Vacances d''automne', '2026-10-17', '2026-11-01');
INSERT INTO year_event (academy_id, id, year_id, kind, label, starts_on, ends_on) VALUES (@lyon, 100004, 100001, 'pole_meeting_1', 'Réunion de pôle N°1 : repérage', '2026-10-13', '2026-10-13');
INSERT INTO year_event (academy_id, id, year_id, kind, label, starts_on, ends_on) VALUES (@lyon, 100005, 100001, 'pole_meeting_2', 'Réunion de pôle N°2 : bilan de la personnalisation', '2027-01-07', '2027-01-07');
INSERT INTO year_event (academy_id, id, year_id, kind, label, starts_on, ends_on) VALUES (@lyon, 100006, 100001, 'pole_meeting_3', 'Réunion de pôle N°3', '2027-04-06', '2027-04-06');
INSERT INTO year_event (academy_id, id, year_id, kind, label, starts_on, ends_on) VALUES (@lyon, 100007, 100001, 'bilans_due', 'Bilans de fin de parcours', '2027-04-30', '2027-04-30');
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@lyon, 100008, 'departement', '01', 'Ain', NULL, 1);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@lyon, 100009, 'departement', '42', 'Loire', NULL, 1);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@lyon, 100010, 'departement', '69', 'Rhône', NULL, 1);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@lyon, 100011, 'pole', NULL, 'Bourg 2 – Bourg 3 – Bresse', 100008, 1);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@lyon, 100012, 'circonscription', NULL, 'Bourg 2', 100008, 1);
INSERT INTO pole_circonscription (academy_id, pole_id, circonscription_id) VALUES (@lyon, 100011, 100012);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@lyon, 100013, 'circonscription', NULL, 'Bourg 3', 100008, 1);
INSERT INTO pole_circonscription (academy_id, pole_id, circonscription_id) VALUES (@lyon, 100011, 100013);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@lyon, 100014, 'circonscription', NULL, 'Bresse', 100008, 1);
INSERT INTO pole_circonscription (academy_id, pole_id, circonscription_id) VALUES (@lyon, 100011, 100014);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@lyon, 100015, 'pole', NULL, 'Ambérieu – Belley – Bellegarde', 100008, 1);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@lyon, 100016, 'circonscription', NULL, 'Ambérieu', 100008, 1);
INSERT INTO pole_circonscription (academy_id, pole_id, circonscription_id) VALUES (@lyon, 100015, 100016);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@lyon, 100017, 'circonscription', NULL, 'Belley', 100008, 1);
INSERT INTO pole_circonscription (academy_id, pole_id, circonscription_id) VALUES (@lyon, 100015, 100017);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@lyon, 100018, 'circonscription', NULL, 'Bellegarde', 100008, 1);
INSERT INTO pole_circonscription (academy_id, pole_id, circonscription_id) VALUES (@lyon, 100015, 100018);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@lyon, 100019, 'pole', NULL, 'Côtière – Dombes – Jassans', 100008, 1);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@lyon, 100020, 'circonscription', NULL, 'Côtière', 100008, 1);
INSERT INTO pole_circonscription (academy_id, pole_id, circonscription_id) VALUES (@lyon, 100019, 100020);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@lyon, 100021, 'circonscription', NULL, 'Dombes', 100008, 1);
INSERT INTO pole_circonscription (academy_id, pole_id, circonscription_id) VALUES (@lyon, 100019, 100021);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@lyon, 100022, 'circonscription', NULL, 'Jassans', 100008, 1);
INSERT INTO pole_circonscription (academy_id, pole_id, circonscription_id) VALUES (@lyon, 100019, 100022);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@lyon, 100023, 'pole', NULL, 'Oyonnax – Gex Nord – Gex Sud', 100008, 1);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@lyon, 100024, 'circonscription', NULL, 'Oyonnax', 100008, 1);
INSERT INTO pole_circonscription (academy_id, pole_id, circonscription_id) VALUES (@lyon, 100023, 100024);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@lyon, 100025, 'circonscription', NULL, 'Gex Nord', 100008, 1);
INSERT INTO pole_circonscription (academy_id, pole_id, circonscription_id) VALUES (@lyon, 100023, 100025);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@lyon, 100026, 'circonscription', NULL, 'Gex Sud', 100008, 1);
INSERT INTO pole_circonscription (academy_id, pole_id, circonscription_id) VALUES (@lyon, 100023, 100026);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@lyon, 100027, 'pole', NULL, 'Montbrison', 100009, 1);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@lyon, 100028, 'circonscription', NULL, 'Montbrison', 100009, 1);
INSERT INTO pole_circonscription (academy_id, pole_id, circonscription_id) VALUES (@lyon, 100027, 100028);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@lyon, 100029, 'pole', NULL, 'Roanne', 100009, 1);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@lyon, 100030, 'circonscription', NULL, 'Roanne', 100009, 1);
INSERT INTO pole_circonscription (academy_id, pole_id, circonscription_id) VALUES (@lyon, 100029, 100030);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@lyon, 100031, 'pole', NULL, 'Saint-Étienne Beaulieu', 100009, 1);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@lyon, 100032, 'circonscription', NULL, 'Saint-Étienne Beaulieu', 100009, 1);
INSERT INTO pole_circonscription (academy_id, pole_id, circonscription_id) VALUES (@lyon, 100031, 100032);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@lyon, 100033, 'pole', NULL, 'Saint-Étienne Les Ovides', 100009, 1);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@lyon, 100034, 'circonscription', NULL, 'Saint-Étienne Les Ovides', 100009, 1);
INSERT INTO pole_circonscription (academy_id, pole_id, circonscription_id) VALUES (@lyon, 100033, 100034);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@lyon, 100035, 'pole', NULL, 'Centre', 100010, 1);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@lyon, 100036, 'circonscription', NULL, 'Lyon Centre', 100010, 1);
INSERT INTO pole_circonscription (academy_id, pole_id, circonscription_id) VALUES (@lyon, 100035, 100036);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@lyon, 100037, 'pole', NULL, 'Est', 100010, 1);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@lyon, 100038, 'circonscription', NULL, 'Villeurbanne', 100010, 1);
INSERT INTO pole_circonscription (academy_id, pole_id, circonscription_id) VALUES (@lyon, 100037, 100038);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@lyon, 100039, 'pole', NULL, 'Nord', 100010, 1);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@lyon, 100040, 'circonscription', NULL, 'Villefranche-sur-Saône', 100010, 1);
INSERT INTO pole_circonscription (academy_id, pole_id, circonscription_id) VALUES (@lyon, 100039, 100040);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@lyon, 100041, 'pole', NULL, 'Ouest', 100010, 1);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@lyon, 100042, 'circonscription', NULL, 'Tassin-la-Demi-Lune', 100010, 1);
INSERT INTO pole_circonscription (academy_id, pole_id, circonscription_id) VALUES (@lyon, 100041, 100042);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@lyon, 100043, 'pole', NULL, 'Val de Saône', 100010, 1);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@lyon, 100044, 'circonscription', NULL, 'Neuville-sur-Saône', 100010, 1);
INSERT INTO pole_circonscription (academy_id, pole_id, circonscription_id) VALUES (@lyon, 100043, 100044);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@lyon, 100045, 'school', '0011001A', 'École élémentaire Les Tilleuls, Bourg-en-Bresse', 100012, 1);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@lyon, 100046, 'school', '0011002B', 'École primaire Jean Moulin, Bourg-en-Bresse', 100013, 1);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@lyon, 100047, 'school', '0011003C', 'École maternelle Les Coquelicots, Viriat', 100014, 1);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@lyon, 100048, 'school', '0421001D', 'École élémentaire du Parc, Montbrison', 100028, 1);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@lyon, 100049, 'school', '0691001E', 'École élémentaire Gerland, Lyon 7e', 100036, 1);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@lyon, 100050, 'school', '0691002F', 'École primaire Jules Ferry, Villeurbanne', 100038, 1);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@lyon, 100051, 'inspe_site', NULL, 'INSPÉ Lyon – site de Bourg-en-Bresse', NULL, 1);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@lyon, 100052, 'inspe_site', NULL, 'INSPÉ Lyon – site de Saint-Étienne', NULL, 1);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@lyon, 100053, 'inspe_site', NULL, 'INSPÉ Lyon – site de la Croix-Rousse', NULL, 1);
INSERT INTO person (academy_id, id, username, display_name, email, active, created_at, updated_at, version) VALUES (@lyon, 100054, 'ien1', 'Isabelle Moreau', 'isabelle.moreau@ac-lyon.fr', TRUE, NOW(3), NOW(3), 1);
INSERT INTO role_assignment (academy_id, id, person_id, role, scope_kind, scope_id, source, created_at) VALUES (@lyon, 100055, 100054, 'pilote_pole', 'pole', 100011, 'local', NOW(3));
INSERT INTO role_assignment (academy_id, id, person_id, role, scope_kind, scope_id, source, created_at) VALUES (@lyon, 100056, 100054, 'ien', 'circonscription', 100012, 'local', NOW(3));
INSERT INTO person (academy_id, id, username, display_name, email, active, created_at, updated_at, version) VALUES (@lyon, 100057, 'tuteur.inspe1', 'Marc Dubois', 'marc.dubois@univ-lyon1.fr', TRUE, NOW(3), NOW(3), 1);
INSERT INTO role_assignment (academy_id, id, person_id, role, scope_kind, scope_id, source, created_at) VALUES (@lyon, 100058, 100057, 'referent_inspe', 'pole', 100011, 'local', NOW(3));

-- Grenoble: 2nd degré and M2B contractual students.
INSERT INTO school_year (academy_id, id, label, starts_on, ends_on, current, version) VALUES (@grenoble, 100059, '2026-2027', '2026-09-01', '2027-07-03', TRUE, 1);
INSERT INTO school_year (academy_id, id, label, starts_on, ends_on, current, version) VALUES (@grenoble, 100060, '2025-2026', '2025-09-01', '2026-07-04', FALSE, 1);
INSERT INTO year_event (academy_id, id, year_id, kind, label, starts_on, ends_on) VALUES (@grenoble, 100061, 100059, 'autumn_holidays', 'Vacances d''automne', '2026-10-17', '2026-11-01');
INSERT INTO year_event (academy_id, id, year_id, kind, label, starts_on, ends_on) VALUES (@grenoble, 100062, 100059, 'pole_meeting_2', 'Réunion de pôle N°2 : bilan de la personnalisation', '2027-01-07', '2027-01-07');
INSERT INTO year_event (academy_id, id, year_id, kind, label, starts_on, ends_on) VALUES (@grenoble, 100063, 100059, 'pole_meeting_3', 'Réunion de pôle N°3', '2027-04-06', '2027-04-06');
INSERT INTO year_event (academy_id, id, year_id, kind, label, starts_on, ends_on) VALUES (@grenoble, 100064, 100059, 'bilans_due', 'Bilans de fin de parcours', '2027-04-30', '2027-04-30');
INSERT INTO year_event (academy_id, id, year_id, kind, label, starts_on, ends_on) VALUES (@grenoble, 100065, 100059, 'pole_meeting_1', 'Réunion inspecteurs – responsables de parcours N°1', '2026-10-15', '2026-10-15');
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@grenoble, 100066, 'departement', '38', 'Isère', NULL, 1);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@grenoble, 100067, 'departement', '73', 'Savoie', NULL, 1);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@grenoble, 100068, 'departement', '74', 'Haute-Savoie', NULL, 1);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@grenoble, 100069, 'departement', '26', 'Drôme', NULL, 1);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@grenoble, 100070, 'departement', '07', 'Ardèche', NULL, 1);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@grenoble, 100071, 'discipline', 'MATH', 'Mathématiques', NULL, 1);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@grenoble, 100072, 'discipline', 'LETM', 'Lettres modernes', NULL, 1);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@grenoble, 100073, 'discipline', 'HG', 'Histoire-géographie', NULL, 1);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@grenoble, 100074, 'discipline', 'ANG', 'Anglais', NULL, 1);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@grenoble, 100075, 'discipline', 'SVT', 'Sciences de la vie et de la Terre', NULL, 1);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@grenoble, 100076, 'discipline', 'EPS', 'Éducation physique et sportive', NULL, 1);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@grenoble, 100077, 'discipline', 'CPE', 'Conseiller principal d''éducation', NULL, 1);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@grenoble, 100078, 'discipline', 'DOC', 'Documentation', NULL, 1);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@grenoble, 100079, 'circonscription', NULL, 'Grenoble 1', 100066, 1);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@grenoble, 100080, 'circonscription', NULL, 'Chambéry', 100067, 1);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@grenoble, 100081, 'school', '0381001G', 'Collège Champollion, Grenoble', 100079, 1);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@grenoble, 100082, 'school', '0381002H', 'Lycée Stendhal, Grenoble', 100079, 1);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@grenoble, 100083, 'school', '0731001J', 'Collège Louise de Savoie, Chambéry', 100080, 1);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@grenoble, 100084, 'inspe_site', NULL, 'INSPÉ Grenoble – site de Grenoble', NULL, 1);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@grenoble, 100085, 'inspe_site', NULL, 'INSPÉ Grenoble – site de Chambéry', NULL, 1);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@grenoble, 100086, 'inspe_site', NULL, 'INSPÉ Grenoble – site de Valence', NULL, 1);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@grenoble, 100087, 'inspe_site', NULL, 'INSPÉ Grenoble – site de Bonneville', NULL, 1);
INSERT INTO person (academy_id, id, username, display_name, email, active, created_at, updated_at, version) VALUES (@grenoble, 100088, 'ien1', 'Anne Bonnet', 'anne.bonnet@ac-grenoble.fr', TRUE, NOW(3), NOW(3), 1);
INSERT INTO role_assignment (academy_id, id, person_id, role, scope_kind, scope_id, source, created_at) VALUES (@grenoble, 100089, 100088, 'ia_ipr', 'discipline', 100071, 'local', NOW(3));

-- Poitiers: SOPA placements of M1 students, four INSPÉ sites.
INSERT INTO school_year (academy_id, id, label, starts_on, ends_on, current, version) VALUES (@poitiers, 100090, '2026-2027', '2026-09-01', '2027-07-03', TRUE, 1);
INSERT INTO school_year (academy_id, id, label, starts_on, ends_on, current, version) VALUES (@poitiers, 100091, '2025-2026', '2025-09-01', '2026-07-04', FALSE, 1);
INSERT INTO year_event (academy_id, id, year_id, kind, label, starts_on, ends_on) VALUES (@poitiers, 100092, 100090, 'autumn_holidays', 'Vacances d''automne', '2026-10-17', '2026-11-01');
INSERT INTO year_event (academy_id, id, year_id, kind, label, starts_on, ends_on) VALUES (@poitiers, 100093, 100090, 'pole_meeting_1', 'Réunion de pôle N°1 : repérage', '2026-10-13', '2026-10-13');
INSERT INTO year_event (academy_id, id, year_id, kind, label, starts_on, ends_on) VALUES (@poitiers, 100094, 100090, 'pole_meeting_2', 'Réunion de pôle N°2 : bilan de la personnalisation', '2027-01-07', '2027-01-07');
INSERT INTO year_event (academy_id, id, year_id, kind, label, starts_on, ends_on) VALUES (@poitiers, 100095, 100090, 'pole_meeting_3', 'Réunion de pôle N°3', '2027-04-06', '2027-04-06');
INSERT INTO year_event (academy_id, id, year_id, kind, label, starts_on, ends_on) VALUES (@poitiers, 100096, 100090, 'bilans_due', 'Bilans de fin de parcours', '2027-04-30', '2027-04-30');
INSERT INTO year_event (academy_id, id, year_id, kind, label, starts_on, ends_on) VALUES (@poitiers, 100097, 100090, 'sopa_1', 'SOPA 1', '2026-10-05', '2026-10-09');
INSERT INTO year_event (academy_id, id, year_id, kind, label, starts_on, ends_on) VALUES (@poitiers, 100098, 100090, 'sopa_2', 'SOPA 2', '2026-11-16', '2026-11-27');
INSERT INTO year_event (academy_id, id, year_id, kind, label, starts_on, ends_on) VALUES (@poitiers, 100099, 100090, 'sopa_3', 'SOPA 3', '2027-03-08', '2027-03-19');
INSERT INTO year_event (academy_id, id, year_id, kind, label, starts_on, ends_on) VALUES (@poitiers, 100100, 100090, 'sopa_4', 'SOPA 4', '2027-05-17', '2027-05-21');
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@poitiers, 100101, 'departement', '86', 'Vienne', NULL, 1);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@poitiers, 100102, 'departement', '79', 'Deux-Sèvres', NULL, 1);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@poitiers, 100103, 'departement', '16', 'Charente', NULL, 1);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@poitiers, 100104, 'departement', '17', 'Charente-Maritime', NULL, 1);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@poitiers, 100105, 'inspe_site', NULL, 'Campus de Niort', NULL, 1);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@poitiers, 100106, 'inspe_site', NULL, 'Campus de Poitiers', NULL, 1);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@poitiers, 100107, 'inspe_site', NULL, 'Campus des Valois – Angoulême', NULL, 1);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@poitiers, 100108, 'inspe_site', NULL, 'Campus de La Rochelle', NULL, 1);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@poitiers, 100109, 'circonscription', NULL, 'Niort Nord', 100102, 1);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@poitiers, 100110, 'circonscription', NULL, 'Poitiers Ouest', 100101, 1);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@poitiers, 100111, 'pole', NULL, 'Deux-Sèvres Nord', 100102, 1);
INSERT INTO pole_circonscription (academy_id, pole_id, circonscription_id) VALUES (@poitiers, 100111, 100109);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@poitiers, 100112, 'school', '0791001K', 'École élémentaire Jean Zay, Niort', 100109, 1);
INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) VALUES (@poitiers, 100113, 'school', '0861001L', 'École primaire Les Feuillants, Poitiers', 100110, 1);
INSERT INTO person (academy_id, id, username, display_name, email, active, created_at, updated_at, version) VALUES (@poitiers, 100114, 'ien1', 'Patrick Caron', 'patrick.caron@ac-poitiers.fr', TRUE, NOW(3), NOW(3), 1);
INSERT INTO role_assignment (academy_id, id, person_id, role, scope_kind, scope_id, source, created_at) VALUES (@poitiers, 100115, 100114, 'pilote_pole', 'pole', 100111, 'local', NOW(3));
INSERT INTO person (academy_id, id, username, display_name, email, active, created_at, updated_at, version) VALUES (@poitiers, 100116, 'gestionnaire1', 'Nadia Lemaire', 'nadia.lemaire@univ-poitiers.fr', TRUE, NOW(3), NOW(3), 1);
INSERT INTO role_assignment (academy_id, id, person_id, role, scope_kind, scope_id, source, created_at) VALUES (@poitiers, 100117, 100116, 'gestionnaire_scolarite', 'inspe_site', 100105, 'local', NOW(3));

-- The staff of the accompagnement (issue 10): scoped roles on stagiaire1's
-- pôle, school, INSPÉ site, département and discipline (deploy/ldap/demo.ldif.in).
INSERT INTO person (academy_id, id, username, display_name, email, active, created_at, updated_at, version) VALUES (@lyon, 100150, 'pilote.pole1', 'Hélène Fabre', 'helene.fabre@ac-lyon.fr', TRUE, NOW(3), NOW(3), 1);
INSERT INTO role_assignment (academy_id, id, person_id, role, scope_kind, scope_id, source, created_at) VALUES (@lyon, 100151, 100150, 'pilote_pole', 'pole', 100011, 'local', NOW(3));
INSERT INTO person (academy_id, id, username, display_name, email, active, created_at, updated_at, version) VALUES (@lyon, 100152, 'chef.etab1', 'Laurent Petit', 'laurent.petit@ac-lyon.fr', TRUE, NOW(3), NOW(3), 1);
INSERT INTO role_assignment (academy_id, id, person_id, role, scope_kind, scope_id, source, created_at) VALUES (@lyon, 100153, 100152, 'chef_etablissement', 'school', 100045, 'local', NOW(3));
INSERT INTO person (academy_id, id, username, display_name, email, active, created_at, updated_at, version) VALUES (@lyon, 100154, 'resp.site1', 'Sophie Garnier', 'sophie.garnier@ac-lyon.fr', TRUE, NOW(3), NOW(3), 1);
INSERT INTO role_assignment (academy_id, id, person_id, role, scope_kind, scope_id, source, created_at) VALUES (@lyon, 100155, 100154, 'responsable_site', 'inspe_site', 100051, 'local', NOW(3));
INSERT INTO person (academy_id, id, username, display_name, email, active, created_at, updated_at, version) VALUES (@lyon, 100156, 'cmf1', 'Julien Roux', 'julien.roux@ac-lyon.fr', TRUE, NOW(3), NOW(3), 1);
INSERT INTO role_assignment (academy_id, id, person_id, role, scope_kind, scope_id, source, created_at) VALUES (@lyon, 100157, 100156, 'charge_mission_formation', 'departement', 100008, 'local', NOW(3));
INSERT INTO person (academy_id, id, username, display_name, email, active, created_at, updated_at, version) VALUES (@lyon, 100158, 'resp.parcours1', 'Claire Vidal', 'claire.vidal@ac-lyon.fr', TRUE, NOW(3), NOW(3), 1);
INSERT INTO role_assignment (academy_id, id, person_id, role, scope_kind, scope_id, source, created_at) VALUES (@lyon, 100159, 100158, 'responsable_parcours', 'academy', NULL, 'local', NOW(3));
INSERT INTO person (academy_id, id, username, display_name, email, active, created_at, updated_at, version) VALUES (@grenoble, 100160, 'pilote.pole1', 'Bernard Lefèvre', 'bernard.lefevre@ac-grenoble.fr', TRUE, NOW(3), NOW(3), 1);
INSERT INTO role_assignment (academy_id, id, person_id, role, scope_kind, scope_id, source, created_at) VALUES (@grenoble, 100161, 100160, 'ia_ipr', 'discipline', 100071, 'local', NOW(3));
INSERT INTO person (academy_id, id, username, display_name, email, active, created_at, updated_at, version) VALUES (@grenoble, 100162, 'chef.etab1', 'Nathalie Perrin', 'nathalie.perrin@ac-grenoble.fr', TRUE, NOW(3), NOW(3), 1);
INSERT INTO role_assignment (academy_id, id, person_id, role, scope_kind, scope_id, source, created_at) VALUES (@grenoble, 100163, 100162, 'chef_etablissement', 'school', 100081, 'local', NOW(3));
INSERT INTO person (academy_id, id, username, display_name, email, active, created_at, updated_at, version) VALUES (@grenoble, 100164, 'resp.site1', 'Olivier Chevalier', 'olivier.chevalier@ac-grenoble.fr', TRUE, NOW(3), NOW(3), 1);
INSERT INTO role_assignment (academy_id, id, person_id, role, scope_kind, scope_id, source, created_at) VALUES (@grenoble, 100165, 100164, 'responsable_site', 'inspe_site', 100084, 'local', NOW(3));
INSERT INTO person (academy_id, id, username, display_name, email, active, created_at, updated_at, version) VALUES (@grenoble, 100166, 'cmf1', 'Valérie Gauthier', 'valerie.gauthier@ac-grenoble.fr', TRUE, NOW(3), NOW(3), 1);
INSERT INTO role_assignment (academy_id, id, person_id, role, scope_kind, scope_id, source, created_at) VALUES (@grenoble, 100167, 100166, 'charge_mission_formation', 'departement', 100066, 'local', NOW(3));
INSERT INTO person (academy_id, id, username, display_name, email, active, created_at, updated_at, version) VALUES (@grenoble, 100168, 'resp.parcours1', 'Thomas Mercier', 'thomas.mercier@ac-grenoble.fr', TRUE, NOW(3), NOW(3), 1);
INSERT INTO role_assignment (academy_id, id, person_id, role, scope_kind, scope_id, source, created_at) VALUES (@grenoble, 100169, 100168, 'responsable_parcours', 'discipline', 100071, 'local', NOW(3));
