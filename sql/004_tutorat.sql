-- Module tutorat mixte: a trainee's year with two tutors.
-- Every key begins with academy_id; every reference includes it.

-- The competence framework (arrêté du 1er juillet 2013), versioned data per
-- académie. An evaluation names the framework version it used.
CREATE TABLE referentiel (
    academy_id SMALLINT UNSIGNED NOT NULL,
    id BIGINT NOT NULL,
    code VARCHAR(32) NOT NULL,
    version INT UNSIGNED NOT NULL,
    label VARCHAR(200) NOT NULL,
    current BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (academy_id, id),
    UNIQUE KEY referentiel_version (academy_id, code, version),
    CONSTRAINT referentiel_academy_fk FOREIGN KEY (academy_id) REFERENCES academy (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- family: which trainees are evaluated on it (common to all, or by category).
CREATE TABLE competence (
    academy_id SMALLINT UNSIGNED NOT NULL,
    id BIGINT NOT NULL,
    referentiel_id BIGINT NOT NULL,
    code VARCHAR(8) NOT NULL,
    family ENUM('common', 'professeur', 'cpe', 'documentaliste') NOT NULL,
    position SMALLINT UNSIGNED NOT NULL,
    title VARCHAR(400) NOT NULL,
    PRIMARY KEY (academy_id, id),
    UNIQUE KEY competence_code (academy_id, referentiel_id, code),
    CONSTRAINT competence_referentiel_fk FOREIGN KEY (academy_id, referentiel_id) REFERENCES referentiel (academy_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The level scale of a framework version (default: four levels).
CREATE TABLE referentiel_level (
    academy_id SMALLINT UNSIGNED NOT NULL,
    referentiel_id BIGINT NOT NULL,
    rank_no TINYINT UNSIGNED NOT NULL,
    label VARCHAR(100) NOT NULL,
    PRIMARY KEY (academy_id, referentiel_id, rank_no),
    CONSTRAINT referentiel_level_fk FOREIGN KEY (academy_id, referentiel_id) REFERENCES referentiel (academy_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A trainee enrolled for a school year.
CREATE TABLE enrolment (
    academy_id SMALLINT UNSIGNED NOT NULL,
    id BIGINT NOT NULL,
    year_id BIGINT NOT NULL,
    trainee_id BIGINT NOT NULL,
    parcours ENUM('M2A', 'DU', 'M2B') NOT NULL,
    degre TINYINT UNSIGNED NOT NULL,
    category ENUM('professeur', 'cpe', 'documentaliste') NOT NULL,
    discipline_id BIGINT NULL,
    pole_id BIGINT NULL,
    inspe_site_id BIGINT NULL,
    renouvellement BOOLEAN NOT NULL DEFAULT FALSE,
    referentiel_id BIGINT NOT NULL,
    inspe_hours DECIMAL(4,1) NOT NULL,
    created_at DATETIME(3) NOT NULL,
    version INT UNSIGNED NOT NULL DEFAULT 1,
    PRIMARY KEY (academy_id, id),
    UNIQUE KEY enrolment_trainee_year (academy_id, year_id, trainee_id),
    KEY enrolment_pole (academy_id, pole_id),
    CONSTRAINT enrolment_year_fk FOREIGN KEY (academy_id, year_id) REFERENCES school_year (academy_id, id),
    CONSTRAINT enrolment_trainee_fk FOREIGN KEY (academy_id, trainee_id) REFERENCES person (academy_id, id),
    CONSTRAINT enrolment_discipline_fk FOREIGN KEY (academy_id, discipline_id) REFERENCES structure (academy_id, id),
    CONSTRAINT enrolment_pole_fk FOREIGN KEY (academy_id, pole_id) REFERENCES structure (academy_id, id),
    CONSTRAINT enrolment_site_fk FOREIGN KEY (academy_id, inspe_site_id) REFERENCES structure (academy_id, id),
    CONSTRAINT enrolment_referentiel_fk FOREIGN KEY (academy_id, referentiel_id) REFERENCES referentiel (academy_id, id),
    CONSTRAINT enrolment_degre CHECK (degre IN (1, 2))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Places of practice: one or several schools/classes.
CREATE TABLE enrolment_place (
    academy_id SMALLINT UNSIGNED NOT NULL,
    id BIGINT NOT NULL,
    enrolment_id BIGINT NOT NULL,
    school_id BIGINT NOT NULL,
    class_label VARCHAR(100) NULL,
    PRIMARY KEY (academy_id, id),
    KEY enrolment_place_enrolment (academy_id, enrolment_id),
    CONSTRAINT enrolment_place_enrolment_fk FOREIGN KEY (academy_id, enrolment_id) REFERENCES enrolment (academy_id, id),
    CONSTRAINT enrolment_place_school_fk FOREIGN KEY (academy_id, school_id) REFERENCES structure (academy_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The two tutors. A replacement ends the former tutor's row (ended_at) and
-- adds one: access follows the rows without ended_at.
CREATE TABLE trio_member (
    academy_id SMALLINT UNSIGNED NOT NULL,
    id BIGINT NOT NULL,
    enrolment_id BIGINT NOT NULL,
    person_id BIGINT NOT NULL,
    role ENUM('tuteur_terrain', 'tuteur_inspe') NOT NULL,
    started_at DATETIME(3) NOT NULL,
    ended_at DATETIME(3) NULL,
    PRIMARY KEY (academy_id, id),
    KEY trio_member_enrolment (academy_id, enrolment_id, role),
    KEY trio_member_person (academy_id, person_id, ended_at),
    CONSTRAINT trio_member_enrolment_fk FOREIGN KEY (academy_id, enrolment_id) REFERENCES enrolment (academy_id, id),
    CONSTRAINT trio_member_person_fk FOREIGN KEY (academy_id, person_id) REFERENCES person (academy_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Self-assessment: each revision is a new row; none is ever changed.
CREATE TABLE self_assessment (
    academy_id SMALLINT UNSIGNED NOT NULL,
    id BIGINT NOT NULL,
    enrolment_id BIGINT NOT NULL,
    revision SMALLINT UNSIGNED NOT NULL,
    priorities TEXT NOT NULL,
    author_id BIGINT NOT NULL,
    created_at DATETIME(3) NOT NULL,
    PRIMARY KEY (academy_id, id),
    UNIQUE KEY self_assessment_revision (academy_id, enrolment_id, revision),
    CONSTRAINT self_assessment_enrolment_fk FOREIGN KEY (academy_id, enrolment_id) REFERENCES enrolment (academy_id, id),
    CONSTRAINT self_assessment_author_fk FOREIGN KEY (academy_id, author_id) REFERENCES person (academy_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE self_assessment_item (
    academy_id SMALLINT UNSIGNED NOT NULL,
    assessment_id BIGINT NOT NULL,
    competence_id BIGINT NOT NULL,
    level_rank TINYINT UNSIGNED NOT NULL,
    comment TEXT NULL,
    PRIMARY KEY (academy_id, assessment_id, competence_id),
    CONSTRAINT sa_item_assessment_fk FOREIGN KEY (academy_id, assessment_id) REFERENCES self_assessment (academy_id, id),
    CONSTRAINT sa_item_competence_fk FOREIGN KEY (academy_id, competence_id) REFERENCES competence (academy_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE self_assessment_comment (
    academy_id SMALLINT UNSIGNED NOT NULL,
    id BIGINT NOT NULL,
    assessment_id BIGINT NOT NULL,
    author_id BIGINT NOT NULL,
    body TEXT NOT NULL,
    created_at DATETIME(3) NOT NULL,
    PRIMARY KEY (academy_id, id),
    KEY sa_comment_assessment (academy_id, assessment_id),
    CONSTRAINT sa_comment_assessment_fk FOREIGN KEY (academy_id, assessment_id) REFERENCES self_assessment (academy_id, id),
    CONSTRAINT sa_comment_author_fk FOREIGN KEY (academy_id, author_id) REFERENCES person (academy_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A follow-up time: a visit (the strong moments) or another time (interview,
-- working session, peer observation; for M2B the point d'étape and the
-- visite d'aide et de conseil). Cancelling keeps the record.
CREATE TABLE followup (
    academy_id SMALLINT UNSIGNED NOT NULL,
    id BIGINT NOT NULL,
    enrolment_id BIGINT NOT NULL,
    kind ENUM('visit', 'interview', 'working_session', 'peer_observation', 'point_etape', 'visite_conseil') NOT NULL,
    state ENUM('planned', 'prepared', 'held', 'debriefed', 'cancelled') NOT NULL,
    scheduled_at DATETIME NOT NULL,
    place_id BIGINT NULL,
    with_terrain BOOLEAN NOT NULL,
    with_inspe BOOLEAN NOT NULL,
    points_to_observe TEXT NULL,
    expectations TEXT NULL,
    observation_notes MEDIUMTEXT NULL,
    analyses TEXT NULL,
    remediations TEXT NULL,
    action_paths TEXT NULL,
    points_appui TEXT NULL,
    axes_evolution TEXT NULL,
    priorities TEXT NULL,
    cancel_reason VARCHAR(500) NULL,
    created_by BIGINT NOT NULL,
    created_at DATETIME(3) NOT NULL,
    updated_at DATETIME(3) NOT NULL,
    version INT UNSIGNED NOT NULL DEFAULT 1,
    PRIMARY KEY (academy_id, id),
    KEY followup_enrolment (academy_id, enrolment_id, scheduled_at),
    CONSTRAINT followup_enrolment_fk FOREIGN KEY (academy_id, enrolment_id) REFERENCES enrolment (academy_id, id),
    CONSTRAINT followup_place_fk FOREIGN KEY (academy_id, place_id) REFERENCES enrolment_place (academy_id, id),
    CONSTRAINT followup_creator_fk FOREIGN KEY (academy_id, created_by) REFERENCES person (academy_id, id),
    CONSTRAINT followup_someone CHECK (with_terrain OR with_inspe)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Levels reached on the competences discussed at the entretien.
CREATE TABLE followup_level (
    academy_id SMALLINT UNSIGNED NOT NULL,
    followup_id BIGINT NOT NULL,
    competence_id BIGINT NOT NULL,
    level_rank TINYINT UNSIGNED NOT NULL,
    PRIMARY KEY (academy_id, followup_id, competence_id),
    CONSTRAINT followup_level_followup_fk FOREIGN KEY (academy_id, followup_id) REFERENCES followup (academy_id, id),
    CONSTRAINT followup_level_competence_fk FOREIGN KEY (academy_id, competence_id) REFERENCES competence (academy_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Written traces of a follow-up time. author = 'trainee': the trainee's
-- feedback (what they retained, one or two improvement axes), which comes
-- first; author = 'tutors': the tutors' trace, publishable only once the
-- trainee's feedback is submitted. Visible to the trio only.
CREATE TABLE trace (
    academy_id SMALLINT UNSIGNED NOT NULL,
    id BIGINT NOT NULL,
    followup_id BIGINT NOT NULL,
    author ENUM('trainee', 'tutors') NOT NULL,
    retained TEXT NULL,
    axes TEXT NULL,
    body TEXT NULL,
    published_at DATETIME(3) NULL,
    last_editor_id BIGINT NOT NULL,
    updated_at DATETIME(3) NOT NULL,
    version INT UNSIGNED NOT NULL DEFAULT 1,
    PRIMARY KEY (academy_id, id),
    UNIQUE KEY trace_followup_author (academy_id, followup_id, author),
    CONSTRAINT trace_followup_fk FOREIGN KEY (academy_id, followup_id) REFERENCES followup (academy_id, id),
    CONSTRAINT trace_editor_fk FOREIGN KEY (academy_id, last_editor_id) REFERENCES person (academy_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Documents uploaded before a visit, stored here so they replicate with
-- the rest; served only through authorization.
CREATE TABLE document (
    academy_id SMALLINT UNSIGNED NOT NULL,
    id BIGINT NOT NULL,
    followup_id BIGINT NOT NULL,
    filename VARCHAR(255) NOT NULL,
    content_type VARCHAR(100) NOT NULL,
    size_bytes INT UNSIGNED NOT NULL,
    sha256 CHAR(64) NOT NULL,
    content LONGBLOB NOT NULL,
    uploaded_by BIGINT NOT NULL,
    created_at DATETIME(3) NOT NULL,
    PRIMARY KEY (academy_id, id),
    KEY document_followup (academy_id, followup_id),
    CONSTRAINT document_followup_fk FOREIGN KEY (academy_id, followup_id) REFERENCES followup (academy_id, id),
    CONSTRAINT document_uploader_fk FOREIGN KEY (academy_id, uploaded_by) REFERENCES person (academy_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Bilans intermédiaire and final. A bilan is frozen once both tutors have
-- validated it; a correction is a new revision, the frozen one stays.
CREATE TABLE bilan (
    academy_id SMALLINT UNSIGNED NOT NULL,
    id BIGINT NOT NULL,
    enrolment_id BIGINT NOT NULL,
    kind ENUM('intermediaire', 'final') NOT NULL,
    revision SMALLINT UNSIGNED NOT NULL,
    referentiel_id BIGINT NOT NULL,
    due_on DATE NULL,
    validated_terrain_by BIGINT NULL,
    validated_terrain_at DATETIME(3) NULL,
    validated_inspe_by BIGINT NULL,
    validated_inspe_at DATETIME(3) NULL,
    frozen_at DATETIME(3) NULL,
    created_at DATETIME(3) NOT NULL,
    version INT UNSIGNED NOT NULL DEFAULT 1,
    PRIMARY KEY (academy_id, id),
    UNIQUE KEY bilan_revision (academy_id, enrolment_id, kind, revision),
    CONSTRAINT bilan_enrolment_fk FOREIGN KEY (academy_id, enrolment_id) REFERENCES enrolment (academy_id, id),
    CONSTRAINT bilan_referentiel_fk FOREIGN KEY (academy_id, referentiel_id) REFERENCES referentiel (academy_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE bilan_item (
    academy_id SMALLINT UNSIGNED NOT NULL,
    bilan_id BIGINT NOT NULL,
    competence_id BIGINT NOT NULL,
    level_rank TINYINT UNSIGNED NULL,
    comment TEXT NULL,
    PRIMARY KEY (academy_id, bilan_id, competence_id),
    CONSTRAINT bilan_item_bilan_fk FOREIGN KEY (academy_id, bilan_id) REFERENCES bilan (academy_id, id),
    CONSTRAINT bilan_item_competence_fk FOREIGN KEY (academy_id, competence_id) REFERENCES competence (academy_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Conversion of the final bilan's mean level into a note (M2A, out of 20)
-- or an avis (DU, M2B's UE Stage et mémoire): the row with the largest
-- min_mean not above the mean applies.
CREATE TABLE conversion_rule (
    academy_id SMALLINT UNSIGNED NOT NULL,
    parcours ENUM('M2A', 'DU', 'M2B') NOT NULL,
    min_mean DECIMAL(4,2) NOT NULL,
    note DECIMAL(4,2) NULL,
    avis ENUM('favorable', 'reserve', 'defavorable') NULL,
    PRIMARY KEY (academy_id, parcours, min_mean),
    CONSTRAINT conversion_rule_academy_fk FOREIGN KEY (academy_id) REFERENCES academy (id),
    CONSTRAINT conversion_rule_one CHECK ((note IS NULL) <> (avis IS NULL))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The result recorded by the tuteur Inspé, and in the 1er degré the tuteur
-- terrain's disagreement, which the IEN then sees.
CREATE TABLE result (
    academy_id SMALLINT UNSIGNED NOT NULL,
    enrolment_id BIGINT NOT NULL,
    note DECIMAL(4,2) NULL,
    avis ENUM('favorable', 'reserve', 'defavorable') NULL,
    comment TEXT NULL,
    suggested_note DECIMAL(4,2) NULL,
    suggested_avis ENUM('favorable', 'reserve', 'defavorable') NULL,
    recorded_by BIGINT NOT NULL,
    recorded_at DATETIME(3) NOT NULL,
    disagreement TEXT NULL,
    disagreement_by BIGINT NULL,
    disagreement_at DATETIME(3) NULL,
    version INT UNSIGNED NOT NULL DEFAULT 1,
    PRIMARY KEY (academy_id, enrolment_id),
    CONSTRAINT result_enrolment_fk FOREIGN KEY (academy_id, enrolment_id) REFERENCES enrolment (academy_id, id),
    CONSTRAINT result_recorder_fk FOREIGN KEY (academy_id, recorded_by) REFERENCES person (academy_id, id),
    CONSTRAINT result_one CHECK ((note IS NULL) <> (avis IS NULL)),
    CONSTRAINT result_note_range CHECK (note IS NULL OR (note >= 0 AND note <= 20))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- M2B: the tuteur académique's end-of-year rapport.
CREATE TABLE tutor_report (
    academy_id SMALLINT UNSIGNED NOT NULL,
    enrolment_id BIGINT NOT NULL,
    body TEXT NOT NULL,
    submitted_at DATETIME(3) NULL,
    author_id BIGINT NOT NULL,
    updated_at DATETIME(3) NOT NULL,
    version INT UNSIGNED NOT NULL DEFAULT 1,
    PRIMARY KEY (academy_id, enrolment_id),
    CONSTRAINT tutor_report_enrolment_fk FOREIGN KEY (academy_id, enrolment_id) REFERENCES enrolment (academy_id, id),
    CONSTRAINT tutor_report_author_fk FOREIGN KEY (academy_id, author_id) REFERENCES person (academy_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
