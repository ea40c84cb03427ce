-- The year's procedure of the accompagnement (seed 000 §6, annex 1;
-- modules/meetings/, docs/meetings.md): the pôle meetings N°1-N°3 with
-- their list of trainees to review and a decision per trainee, the tutors'
-- requests for a review, the fiche de personnalisation sent to the cellule
-- d'accompagnement (bureau des stages), its support budget per year, and
-- the remediation workshops with their sessions and attendance.
-- History is never rewritten: a decision, a correction of attendance or a
-- cellule's answer is a new row; the latest one counts.

-- A pôle meeting (1er degré: scope_kind 'pole') or a discipline meeting
-- between inspection and responsables de parcours (2nd degré: 'discipline').
CREATE TABLE pole_meeting (
    academy_id SMALLINT UNSIGNED NOT NULL,
    id BIGINT NOT NULL,
    year_id BIGINT NOT NULL,
    number TINYINT UNSIGNED NOT NULL,
    scope_kind ENUM('pole', 'discipline') NOT NULL,
    scope_id BIGINT NOT NULL,
    held_on DATE NOT NULL,
    status ENUM('upcoming', 'list_ready', 'held') NOT NULL DEFAULT 'upcoming',
    created_by BIGINT NOT NULL,
    created_at DATETIME(3) NOT NULL,
    ready_at DATETIME(3) NULL,
    held_at DATETIME(3) NULL,
    version INT UNSIGNED NOT NULL DEFAULT 1,
    PRIMARY KEY (academy_id, id),
    UNIQUE KEY pole_meeting_one (academy_id, year_id, scope_id, number),
    KEY pole_meeting_scope (academy_id, scope_kind, scope_id),
    CONSTRAINT pole_meeting_year_fk FOREIGN KEY (academy_id, year_id) REFERENCES school_year (academy_id, id),
    CONSTRAINT pole_meeting_scope_fk FOREIGN KEY (academy_id, scope_id) REFERENCES structure (academy_id, id),
    CONSTRAINT pole_meeting_creator_fk FOREIGN KEY (academy_id, created_by) REFERENCES person (academy_id, id),
    CONSTRAINT pole_meeting_number CHECK (number BETWEEN 1 AND 3)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE pole_meeting_participant (
    academy_id SMALLINT UNSIGNED NOT NULL,
    id BIGINT NOT NULL,
    meeting_id BIGINT NOT NULL,
    person_id BIGINT NOT NULL,
    PRIMARY KEY (academy_id, id),
    UNIQUE KEY pole_meeting_participant_one (academy_id, meeting_id, person_id),
    KEY pole_meeting_participant_person (academy_id, person_id),
    CONSTRAINT pmp_meeting_fk FOREIGN KEY (academy_id, meeting_id) REFERENCES pole_meeting (academy_id, id),
    CONSTRAINT pmp_person_fk FOREIGN KEY (academy_id, person_id) REFERENCES person (academy_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The list of trainees to review, frozen when the pilot marks it ready,
-- with the signals that put each trainee on it.
CREATE TABLE pole_meeting_review (
    academy_id SMALLINT UNSIGNED NOT NULL,
    id BIGINT NOT NULL,
    meeting_id BIGINT NOT NULL,
    enrolment_id BIGINT NOT NULL,
    signals SET('open_case', 'no_visit_before_meeting_1', 'renouvellement', 'tutor_request') NOT NULL,
    PRIMARY KEY (academy_id, id),
    UNIQUE KEY pole_meeting_review_one (academy_id, meeting_id, enrolment_id),
    CONSTRAINT pmr_meeting_fk FOREIGN KEY (academy_id, meeting_id) REFERENCES pole_meeting (academy_id, id),
    CONSTRAINT pmr_enrolment_fk FOREIGN KEY (academy_id, enrolment_id) REFERENCES enrolment (academy_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The pilot's decision for a trainee of the list; a correction is a new row.
CREATE TABLE pole_meeting_decision (
    academy_id SMALLINT UNSIGNED NOT NULL,
    id BIGINT NOT NULL,
    meeting_id BIGINT NOT NULL,
    enrolment_id BIGINT NOT NULL,
    decision ENUM('rien_a_signaler', 'personnalisation', 'individualisation', 'poursuite', 'fin') NOT NULL,
    note TEXT NULL,
    decided_by BIGINT NOT NULL,
    decided_at DATETIME(3) NOT NULL,
    PRIMARY KEY (academy_id, id),
    KEY pole_meeting_decision_meeting (academy_id, meeting_id, enrolment_id, decided_at),
    CONSTRAINT pmd_meeting_fk FOREIGN KEY (academy_id, meeting_id) REFERENCES pole_meeting (academy_id, id),
    CONSTRAINT pmd_enrolment_fk FOREIGN KEY (academy_id, enrolment_id) REFERENCES enrolment (academy_id, id),
    CONSTRAINT pmd_author_fk FOREIGN KEY (academy_id, decided_by) REFERENCES person (academy_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A tutor of the trio asks for the trainee to be reviewed at the next meeting.
CREATE TABLE review_request (
    academy_id SMALLINT UNSIGNED NOT NULL,
    id BIGINT NOT NULL,
    enrolment_id BIGINT NOT NULL,
    requested_by BIGINT NOT NULL,
    reason TEXT NOT NULL,
    created_at DATETIME(3) NOT NULL,
    PRIMARY KEY (academy_id, id),
    KEY review_request_enrolment (academy_id, enrolment_id, created_at),
    CONSTRAINT review_request_enrolment_fk FOREIGN KEY (academy_id, enrolment_id) REFERENCES enrolment (academy_id, id),
    CONSTRAINT review_request_author_fk FOREIGN KEY (academy_id, requested_by) REFERENCES person (academy_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Fiche de personnalisation de l'accompagnement (annex 1). Draft while the
-- tutors write it; sent by the tuteur Inspé; agreed or refused by the
-- cellule d'accompagnement (agreed_hours count against the year's budget).
CREATE TABLE personalisation (
    academy_id SMALLINT UNSIGNED NOT NULL,
    id BIGINT NOT NULL,
    enrolment_id BIGINT NOT NULL,
    meeting_id BIGINT NULL,
    decided_on DATE NOT NULL,
    place_id BIGINT NULL,
    status ENUM('draft', 'sent', 'agreed', 'refused') NOT NULL DEFAULT 'draft',
    created_by BIGINT NOT NULL,
    created_at DATETIME(3) NOT NULL,
    sent_by BIGINT NULL,
    sent_at DATETIME(3) NULL,
    decided_by BIGINT NULL,
    decided_at DATETIME(3) NULL,
    agreed_hours SMALLINT UNSIGNED NULL,
    decision_note TEXT NULL,
    version INT UNSIGNED NOT NULL DEFAULT 1,
    PRIMARY KEY (academy_id, id),
    KEY personalisation_enrolment (academy_id, enrolment_id),
    KEY personalisation_status (academy_id, status),
    CONSTRAINT personalisation_enrolment_fk FOREIGN KEY (academy_id, enrolment_id) REFERENCES enrolment (academy_id, id),
    CONSTRAINT personalisation_meeting_fk FOREIGN KEY (academy_id, meeting_id) REFERENCES pole_meeting (academy_id, id),
    CONSTRAINT personalisation_place_fk FOREIGN KEY (academy_id, place_id) REFERENCES enrolment_place (academy_id, id),
    CONSTRAINT personalisation_creator_fk FOREIGN KEY (academy_id, created_by) REFERENCES person (academy_id, id),
    CONSTRAINT personalisation_sender_fk FOREIGN KEY (academy_id, sent_by) REFERENCES person (academy_id, id),
    CONSTRAINT personalisation_decider_fk FOREIGN KEY (academy_id, decided_by) REFERENCES person (academy_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One row per difficulty of annex 1 (1 sécurité des élèves ... 5
-- préparation et mise en œuvre).
CREATE TABLE personalisation_item (
    academy_id SMALLINT UNSIGNED NOT NULL,
    id BIGINT NOT NULL,
    personalisation_id BIGINT NOT NULL,
    difficulty TINYINT UNSIGNED NOT NULL,
    situation TEXT NULL,
    support TEXT NULL,
    hours SMALLINT UNSIGNED NOT NULL DEFAULT 0,
    PRIMARY KEY (academy_id, id),
    UNIQUE KEY personalisation_item_one (academy_id, personalisation_id, difficulty),
    CONSTRAINT personalisation_item_fk FOREIGN KEY (academy_id, personalisation_id) REFERENCES personalisation (academy_id, id),
    CONSTRAINT personalisation_item_difficulty CHECK (difficulty BETWEEN 1 AND 5)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The cellule's support budget of a year, in hours.
CREATE TABLE support_budget (
    academy_id SMALLINT UNSIGNED NOT NULL,
    id BIGINT NOT NULL,
    year_id BIGINT NOT NULL,
    hours INT UNSIGNED NOT NULL,
    updated_by BIGINT NOT NULL,
    updated_at DATETIME(3) NOT NULL,
    version INT UNSIGNED NOT NULL DEFAULT 1,
    PRIMARY KEY (academy_id, id),
    UNIQUE KEY support_budget_year (academy_id, year_id),
    CONSTRAINT support_budget_year_fk FOREIGN KEY (academy_id, year_id) REFERENCES school_year (academy_id, id),
    CONSTRAINT support_budget_author_fk FOREIGN KEY (academy_id, updated_by) REFERENCES person (academy_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Ateliers de remédiation run by the cellule, open only to trainees in
-- difficulty.
CREATE TABLE workshop (
    academy_id SMALLINT UNSIGNED NOT NULL,
    id BIGINT NOT NULL,
    year_id BIGINT NOT NULL,
    title VARCHAR(200) NOT NULL,
    created_by BIGINT NOT NULL,
    created_at DATETIME(3) NOT NULL,
    PRIMARY KEY (academy_id, id),
    KEY workshop_year (academy_id, year_id),
    CONSTRAINT workshop_year_fk FOREIGN KEY (academy_id, year_id) REFERENCES school_year (academy_id, id),
    CONSTRAINT workshop_creator_fk FOREIGN KEY (academy_id, created_by) REFERENCES person (academy_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE workshop_session (
    academy_id SMALLINT UNSIGNED NOT NULL,
    id BIGINT NOT NULL,
    workshop_id BIGINT NOT NULL,
    held_at DATETIME NOT NULL,
    place VARCHAR(200) NOT NULL,
    PRIMARY KEY (academy_id, id),
    KEY workshop_session_workshop (academy_id, workshop_id, held_at),
    CONSTRAINT workshop_session_fk FOREIGN KEY (academy_id, workshop_id) REFERENCES workshop (academy_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE workshop_trainee (
    academy_id SMALLINT UNSIGNED NOT NULL,
    id BIGINT NOT NULL,
    workshop_id BIGINT NOT NULL,
    enrolment_id BIGINT NOT NULL,
    added_by BIGINT NOT NULL,
    added_at DATETIME(3) NOT NULL,
    PRIMARY KEY (academy_id, id),
    UNIQUE KEY workshop_trainee_one (academy_id, workshop_id, enrolment_id),
    CONSTRAINT workshop_trainee_workshop_fk FOREIGN KEY (academy_id, workshop_id) REFERENCES workshop (academy_id, id),
    CONSTRAINT workshop_trainee_enrolment_fk FOREIGN KEY (academy_id, enrolment_id) REFERENCES enrolment (academy_id, id),
    CONSTRAINT workshop_trainee_author_fk FOREIGN KEY (academy_id, added_by) REFERENCES person (academy_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Attendance at a session: a correction is a new row, the latest counts.
CREATE TABLE workshop_attendance (
    academy_id SMALLINT UNSIGNED NOT NULL,
    id BIGINT NOT NULL,
    session_id BIGINT NOT NULL,
    enrolment_id BIGINT NOT NULL,
    present BOOLEAN NOT NULL,
    recorded_by BIGINT NOT NULL,
    recorded_at DATETIME(3) NOT NULL,
    PRIMARY KEY (academy_id, id),
    KEY workshop_attendance_session (academy_id, session_id, enrolment_id, recorded_at),
    CONSTRAINT workshop_attendance_session_fk FOREIGN KEY (academy_id, session_id) REFERENCES workshop_session (academy_id, id),
    CONSTRAINT workshop_attendance_enrolment_fk FOREIGN KEY (academy_id, enrolment_id) REFERENCES enrolment (academy_id, id),
    CONSTRAINT workshop_attendance_author_fk FOREIGN KEY (academy_id, recorded_by) REFERENCES person (academy_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
