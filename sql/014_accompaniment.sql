-- The accompagnement personnalisé (issue 10, DOMAIN.md §5): a case
-- (dossier d'accompagnement) of one enrolment, its three levels, the fiche
-- de suivi, the agreements to raise the alert, the trio's traces a tutor
-- shares with it, and who read it. Nothing here is ever updated but the
-- case's level and closing (with its version) and the closing of a level:
-- corrections and revocations are new rows.

-- The case. At most one open case per enrolment (open_slot is 1 while the
-- case is open, NULL once closed: the unique key ignores NULLs).
CREATE TABLE acc_case (
    academy_id SMALLINT UNSIGNED NOT NULL,
    id BIGINT NOT NULL,
    enrolment_id BIGINT NOT NULL,
    level TINYINT UNSIGNED NOT NULL,
    opened_at DATETIME(3) NOT NULL,
    opened_by BIGINT NOT NULL,
    closed_at DATETIME(3) NULL,
    closed_by BIGINT NULL,
    version INT UNSIGNED NOT NULL DEFAULT 1,
    open_slot TINYINT AS (IF(closed_at IS NULL, 1, NULL)) PERSISTENT,
    PRIMARY KEY (academy_id, id),
    UNIQUE KEY acc_case_open (academy_id, enrolment_id, open_slot),
    CONSTRAINT acc_case_enrolment_fk FOREIGN KEY (academy_id, enrolment_id) REFERENCES enrolment (academy_id, id),
    CONSTRAINT acc_case_opener_fk FOREIGN KEY (academy_id, opened_by) REFERENCES person (academy_id, id),
    CONSTRAINT acc_case_closer_fk FOREIGN KEY (academy_id, closed_by) REFERENCES person (academy_id, id),
    CONSTRAINT acc_case_level CHECK (level BETWEEN 1 AND 3)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The level history: one row per period at a level, with its dates known
-- to the trainee (starts_on, planned end ends_on) and the bilan that
-- closed it (outcome: down, up or end; its text).
CREATE TABLE acc_level (
    academy_id SMALLINT UNSIGNED NOT NULL,
    id BIGINT NOT NULL,
    case_id BIGINT NOT NULL,
    level TINYINT UNSIGNED NOT NULL,
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    opened_at DATETIME(3) NOT NULL,
    opened_by BIGINT NOT NULL,
    reason TEXT NULL,
    closed_at DATETIME(3) NULL,
    closed_by BIGINT NULL,
    outcome ENUM('down', 'up', 'end') NULL,
    bilan TEXT NULL,
    PRIMARY KEY (academy_id, id),
    KEY acc_level_case (academy_id, case_id, opened_at),
    CONSTRAINT acc_level_case_fk FOREIGN KEY (academy_id, case_id) REFERENCES acc_case (academy_id, id),
    CONSTRAINT acc_level_opener_fk FOREIGN KEY (academy_id, opened_by) REFERENCES person (academy_id, id),
    CONSTRAINT acc_level_closer_fk FOREIGN KEY (academy_id, closed_by) REFERENCES person (academy_id, id),
    CONSTRAINT acc_level_level CHECK (level BETWEEN 1 AND 3),
    CONSTRAINT acc_level_period CHECK (starts_on <= ends_on),
    CONSTRAINT acc_level_closed CHECK ((closed_at IS NULL) = (outcome IS NULL))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The fiche de suivi: dated entries, each written at the case's level of
-- the moment (which decides who may read it once the level goes down). A
-- correction is a new entry naming the one it corrects.
CREATE TABLE acc_entry (
    academy_id SMALLINT UNSIGNED NOT NULL,
    id BIGINT NOT NULL,
    case_id BIGINT NOT NULL,
    level TINYINT UNSIGNED NOT NULL,
    kind ENUM('difficulty', 'action_tutorat', 'action_inspe', 'action_school', 'informed',
              'alert', 'response') NOT NULL,
    happened_on DATE NOT NULL,
    body TEXT NOT NULL,
    corrects_id BIGINT NULL,
    author_id BIGINT NOT NULL,
    written_at DATETIME(3) NOT NULL,
    PRIMARY KEY (academy_id, id),
    KEY acc_entry_case (academy_id, case_id, happened_on),
    CONSTRAINT acc_entry_case_fk FOREIGN KEY (academy_id, case_id) REFERENCES acc_case (academy_id, id),
    CONSTRAINT acc_entry_corrects_fk FOREIGN KEY (academy_id, corrects_id) REFERENCES acc_entry (academy_id, id),
    CONSTRAINT acc_entry_author_fk FOREIGN KEY (academy_id, author_id) REFERENCES person (academy_id, id),
    CONSTRAINT acc_entry_level CHECK (level BETWEEN 1 AND 3)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Each level-2 actor's agreement to raise the case to the alert, within
-- one level-2 period (level_id): a later period asks again.
CREATE TABLE acc_agreement (
    academy_id SMALLINT UNSIGNED NOT NULL,
    id BIGINT NOT NULL,
    case_id BIGINT NOT NULL,
    level_id BIGINT NOT NULL,
    person_id BIGINT NOT NULL,
    as_role ENUM('tuteur_terrain', 'tuteur_inspe', 'actor') NOT NULL,
    agreed_at DATETIME(3) NOT NULL,
    PRIMARY KEY (academy_id, id),
    UNIQUE KEY acc_agreement_once (academy_id, level_id, person_id),
    CONSTRAINT acc_agreement_case_fk FOREIGN KEY (academy_id, case_id) REFERENCES acc_case (academy_id, id),
    CONSTRAINT acc_agreement_level_fk FOREIGN KEY (academy_id, level_id) REFERENCES acc_level (academy_id, id),
    CONSTRAINT acc_agreement_person_fk FOREIGN KEY (academy_id, person_id) REFERENCES person (academy_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One element of the trio's traces a tutor shares with the case (a
-- follow-up time, the tutors' trace of one, a document): read live from
-- the tutorat tables, never copied. A revocation is a later row naming the
-- share it ends (revokes_id).
CREATE TABLE acc_share (
    academy_id SMALLINT UNSIGNED NOT NULL,
    id BIGINT NOT NULL,
    case_id BIGINT NOT NULL,
    element ENUM('followup', 'trace', 'document') NOT NULL,
    element_id BIGINT NOT NULL,
    revokes_id BIGINT NULL,
    person_id BIGINT NOT NULL,
    done_at DATETIME(3) NOT NULL,
    PRIMARY KEY (academy_id, id),
    KEY acc_share_case (academy_id, case_id),
    UNIQUE KEY acc_share_revoked_once (academy_id, revokes_id),
    CONSTRAINT acc_share_case_fk FOREIGN KEY (academy_id, case_id) REFERENCES acc_case (academy_id, id),
    CONSTRAINT acc_share_revokes_fk FOREIGN KEY (academy_id, revokes_id) REFERENCES acc_share (academy_id, id),
    CONSTRAINT acc_share_person_fk FOREIGN KEY (academy_id, person_id) REFERENCES person (academy_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The read log: who read what of a case, when, and as what.
CREATE TABLE acc_read (
    academy_id SMALLINT UNSIGNED NOT NULL,
    id BIGINT NOT NULL,
    case_id BIGINT NOT NULL,
    person_id BIGINT NOT NULL,
    what ENUM('case', 'reads') NOT NULL,
    level TINYINT UNSIGNED NOT NULL,
    read_at DATETIME(3) NOT NULL,
    PRIMARY KEY (academy_id, id),
    KEY acc_read_case (academy_id, case_id, read_at),
    CONSTRAINT acc_read_case_fk FOREIGN KEY (academy_id, case_id) REFERENCES acc_case (academy_id, id),
    CONSTRAINT acc_read_person_fk FOREIGN KEY (academy_id, person_id) REFERENCES person (academy_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
