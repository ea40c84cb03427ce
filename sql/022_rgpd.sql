-- Personal data (issue 15; modules/rgpd/, docs/rgpd-access.md): a
-- person's requests to correct their identity data, which come from the
-- directory (the académie's admins answer them), and the académie's
-- transparency page, « Informations et données personnelles ». The read
-- log these build on is sql/019_read_log.sql.

-- A request to correct one identity field. The answer is the admin's;
-- `status` moves from open to in_progress, done or refused.
CREATE TABLE rectification_request (
    academy_id SMALLINT UNSIGNED NOT NULL,
    id BIGINT NOT NULL,
    person_id BIGINT NOT NULL,
    field ENUM('display_name', 'given_name', 'family_name', 'email') NOT NULL,
    requested_value VARCHAR(254) NOT NULL,
    comment TEXT NULL,
    status ENUM('open', 'in_progress', 'done', 'refused') NOT NULL DEFAULT 'open',
    answer TEXT NULL,
    answered_by BIGINT NULL,
    answered_at DATETIME(3) NULL,
    created_at DATETIME(3) NOT NULL,
    version INT UNSIGNED NOT NULL DEFAULT 1,
    PRIMARY KEY (academy_id, id),
    KEY rectification_person (academy_id, person_id, created_at),
    KEY rectification_status (academy_id, status, created_at),
    CONSTRAINT rectification_person_fk FOREIGN KEY (academy_id, person_id) REFERENCES person (academy_id, id),
    CONSTRAINT rectification_answered_by_fk FOREIGN KEY (academy_id, answered_by) REFERENCES person (academy_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The académie's transparency page: one row per académie (seeded by
-- tutoratctl migrate with the service's default text), edited by its
-- admins. Each section is plain text, paragraphs separated by blank lines.
CREATE TABLE privacy_notice (
    academy_id SMALLINT UNSIGNED NOT NULL,
    controller TEXT NOT NULL,
    dpo_contact TEXT NOT NULL,
    purposes TEXT NOT NULL,
    legal_basis TEXT NOT NULL,
    recipients TEXT NOT NULL,
    retention TEXT NOT NULL,
    rights TEXT NOT NULL,
    complaint TEXT NOT NULL,
    updated_at DATETIME(3) NOT NULL,
    updated_by BIGINT NULL,
    version INT UNSIGNED NOT NULL DEFAULT 1,
    PRIMARY KEY (academy_id),
    CONSTRAINT privacy_notice_academy_fk FOREIGN KEY (academy_id) REFERENCES academy (id),
    CONSTRAINT privacy_notice_updated_by_fk FOREIGN KEY (academy_id, updated_by) REFERENCES person (academy_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
