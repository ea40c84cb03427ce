-- SOPA, the M1 MEEF observation placements (issue 11; modules/sopa/,
-- docs/sopa.md): each INSPÉ site's four periods of the year, the
-- placements of a student with a host teacher (MAT) for a period, and the
-- host teacher's report (compte-rendu de stage), in versions: a sent
-- version is frozen, a correction is a new version, every version is kept.
-- The site's délégués de stage and gestionnaires de scolarité are local
-- role assignments scoped to the site (role_assignment, scope_kind
-- 'inspe_site'); the UE4 jury of semester 2 is a flag per site, year, MAT.

-- The set-up of a site's year: its version guards the periods (If-Match).
CREATE TABLE sopa_site_year (
    academy_id SMALLINT UNSIGNED NOT NULL,
    id BIGINT NOT NULL,
    site_id BIGINT NOT NULL,
    year_id BIGINT NOT NULL,
    updated_by BIGINT NOT NULL,
    updated_at DATETIME(3) NOT NULL,
    version INT UNSIGNED NOT NULL DEFAULT 1,
    PRIMARY KEY (academy_id, id),
    UNIQUE KEY sopa_site_year_one (academy_id, site_id, year_id),
    CONSTRAINT sopa_site_year_site_fk FOREIGN KEY (academy_id, site_id) REFERENCES structure (academy_id, id),
    CONSTRAINT sopa_site_year_year_fk FOREIGN KEY (academy_id, year_id) REFERENCES school_year (academy_id, id),
    CONSTRAINT sopa_site_year_person_fk FOREIGN KEY (academy_id, updated_by) REFERENCES person (academy_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- SOPA 1..4 of a site's year (stage 1 split over periods 1 and 4).
CREATE TABLE sopa_period (
    academy_id SMALLINT UNSIGNED NOT NULL,
    id BIGINT NOT NULL,
    site_id BIGINT NOT NULL,
    year_id BIGINT NOT NULL,
    number TINYINT UNSIGNED NOT NULL,
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    PRIMARY KEY (academy_id, id),
    UNIQUE KEY sopa_period_one (academy_id, site_id, year_id, number),
    KEY sopa_period_year (academy_id, year_id),
    CONSTRAINT sopa_period_site_fk FOREIGN KEY (academy_id, site_id) REFERENCES structure (academy_id, id),
    CONSTRAINT sopa_period_year_fk FOREIGN KEY (academy_id, year_id) REFERENCES school_year (academy_id, id),
    CONSTRAINT sopa_period_number CHECK (number BETWEEN 1 AND 4),
    CONSTRAINT sopa_period_dates CHECK (starts_on <= ends_on)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A student placed with a MAT in a class for a period.
CREATE TABLE sopa_placement (
    academy_id SMALLINT UNSIGNED NOT NULL,
    id BIGINT NOT NULL,
    period_id BIGINT NOT NULL,
    student_id BIGINT NOT NULL,
    mat_id BIGINT NOT NULL,
    school_id BIGINT NOT NULL,
    class_level VARCHAR(64) NOT NULL,
    pupils SMALLINT UNSIGNED NOT NULL,
    created_by BIGINT NULL, -- NULL: imported by tutoratctl
    created_at DATETIME(3) NOT NULL,
    version INT UNSIGNED NOT NULL DEFAULT 1,
    PRIMARY KEY (academy_id, id),
    UNIQUE KEY sopa_placement_student (academy_id, period_id, student_id),
    KEY sopa_placement_mat (academy_id, mat_id, period_id),
    KEY sopa_placement_student_id (academy_id, student_id),
    CONSTRAINT sopa_placement_period_fk FOREIGN KEY (academy_id, period_id) REFERENCES sopa_period (academy_id, id),
    CONSTRAINT sopa_placement_student_fk FOREIGN KEY (academy_id, student_id) REFERENCES person (academy_id, id),
    CONSTRAINT sopa_placement_mat_fk FOREIGN KEY (academy_id, mat_id) REFERENCES person (academy_id, id),
    CONSTRAINT sopa_placement_school_fk FOREIGN KEY (academy_id, school_id) REFERENCES structure (academy_id, id),
    CONSTRAINT sopa_placement_creator_fk FOREIGN KEY (academy_id, created_by) REFERENCES person (academy_id, id),
    CONSTRAINT sopa_placement_pupils CHECK (pupils BETWEEN 1 AND 40)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One version of the compte-rendu de stage of a placement. A sent version
-- holds the period's dates of the moment it was sent and whether it was
-- late (sent after ends_on + 7 days).
CREATE TABLE sopa_report (
    academy_id SMALLINT UNSIGNED NOT NULL,
    id BIGINT NOT NULL,
    placement_id BIGINT NOT NULL,
    number SMALLINT UNSIGNED NOT NULL,
    state ENUM('draft', 'sent') NOT NULL DEFAULT 'draft',
    absences_half_days SMALLINT UNSIGNED NULL,
    step TINYINT UNSIGNED NULL,
    comments_steps_12 TEXT NULL,
    comments_steps_34 TEXT NULL,
    sessions_led SMALLINT UNSIGNED NULL,
    sessions_designed SMALLINT UNSIGNED NULL,
    c1 ENUM('non_acquis', 'en_cours', 'acquis') NULL,
    c2 ENUM('non_acquis', 'en_cours', 'acquis') NULL,
    c6 ENUM('non_acquis', 'en_cours', 'acquis') NULL,
    c7 ENUM('non_acquis', 'en_cours', 'acquis') NULL,
    c11 ENUM('non_acquis', 'en_cours', 'acquis') NULL,
    advice_1 TEXT NULL,
    advice_2 TEXT NULL,
    created_by BIGINT NOT NULL,
    created_at DATETIME(3) NOT NULL,
    updated_at DATETIME(3) NOT NULL,
    sent_by BIGINT NULL,
    sent_at DATETIME(3) NULL,
    period_starts_on DATE NULL,
    period_ends_on DATE NULL,
    due_on DATE NULL,
    late BOOLEAN NOT NULL DEFAULT FALSE,
    ue4_recorded_at DATETIME(3) NULL,
    ue4_recorded_by BIGINT NULL,
    version INT UNSIGNED NOT NULL DEFAULT 1,
    PRIMARY KEY (academy_id, id),
    UNIQUE KEY sopa_report_number (academy_id, placement_id, number),
    KEY sopa_report_state (academy_id, state),
    CONSTRAINT sopa_report_placement_fk FOREIGN KEY (academy_id, placement_id) REFERENCES sopa_placement (academy_id, id),
    CONSTRAINT sopa_report_creator_fk FOREIGN KEY (academy_id, created_by) REFERENCES person (academy_id, id),
    CONSTRAINT sopa_report_sender_fk FOREIGN KEY (academy_id, sent_by) REFERENCES person (academy_id, id),
    CONSTRAINT sopa_report_ue4_fk FOREIGN KEY (academy_id, ue4_recorded_by) REFERENCES person (academy_id, id),
    CONSTRAINT sopa_report_step CHECK (step BETWEEN 1 AND 4),
    CONSTRAINT sopa_report_sent CHECK ((state = 'sent') = (sent_at IS NOT NULL))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A MAT named to the UE4 oral jury of semester 2 by a site's staff.
CREATE TABLE sopa_jury (
    academy_id SMALLINT UNSIGNED NOT NULL,
    id BIGINT NOT NULL,
    site_id BIGINT NOT NULL,
    year_id BIGINT NOT NULL,
    mat_id BIGINT NOT NULL,
    named_by BIGINT NOT NULL,
    named_at DATETIME(3) NOT NULL,
    PRIMARY KEY (academy_id, id),
    UNIQUE KEY sopa_jury_one (academy_id, site_id, year_id, mat_id),
    KEY sopa_jury_mat (academy_id, mat_id, year_id),
    CONSTRAINT sopa_jury_site_fk FOREIGN KEY (academy_id, site_id) REFERENCES structure (academy_id, id),
    CONSTRAINT sopa_jury_year_fk FOREIGN KEY (academy_id, year_id) REFERENCES school_year (academy_id, id),
    CONSTRAINT sopa_jury_mat_fk FOREIGN KEY (academy_id, mat_id) REFERENCES person (academy_id, id),
    CONSTRAINT sopa_jury_named_by_fk FOREIGN KEY (academy_id, named_by) REFERENCES person (academy_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
