-- Réseau de tuteurs (issue 12; modules/reseau/, docs/reseau.md): the
-- académie's departmental calls for volunteers, the tutors who volunteer,
-- the collectives composed from them (members, one pilot), the charter each
-- member accepts, the collective's meetings (in person, 2 hours, November
-- to April), date polls, attendance, the session canvas and the fiche
-- synthèse of each meeting (published into the académie's library by the
-- pilot), the académie's resources. What is said in a collective (canvas,
-- unpublished synthesis) is read by its members alone.

-- Communes (reference data: INSEE code, coordinates in degrees).
CREATE TABLE reseau_commune (
    academy_id SMALLINT UNSIGNED NOT NULL,
    id BIGINT NOT NULL,
    insee CHAR(5) NOT NULL,
    name VARCHAR(120) NOT NULL,
    departement_id BIGINT NOT NULL,
    latitude DECIMAL(8,5) NOT NULL,
    longitude DECIMAL(8,5) NOT NULL,
    PRIMARY KEY (academy_id, id),
    UNIQUE KEY reseau_commune_insee (academy_id, insee),
    KEY reseau_commune_dep (academy_id, departement_id, name),
    CONSTRAINT reseau_commune_dep_fk FOREIGN KEY (academy_id, departement_id) REFERENCES structure (academy_id, id),
    CONSTRAINT reseau_commune_lat CHECK (latitude BETWEEN -90 AND 90),
    CONSTRAINT reseau_commune_lon CHECK (longitude BETWEEN -180 AND 180)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A departmental call for volunteers (appel d'offre départemental).
CREATE TABLE reseau_call (
    academy_id SMALLINT UNSIGNED NOT NULL,
    id BIGINT NOT NULL,
    year_id BIGINT NOT NULL,
    departement_id BIGINT NOT NULL,
    title VARCHAR(200) NOT NULL,
    opens_on DATE NOT NULL,
    closes_on DATE NOT NULL,
    state ENUM('open', 'closed') NOT NULL DEFAULT 'open',
    created_by BIGINT NOT NULL,
    created_at DATETIME(3) NOT NULL,
    version INT UNSIGNED NOT NULL DEFAULT 1,
    PRIMARY KEY (academy_id, id),
    KEY reseau_call_year (academy_id, year_id, departement_id),
    CONSTRAINT reseau_call_year_fk FOREIGN KEY (academy_id, year_id) REFERENCES school_year (academy_id, id),
    CONSTRAINT reseau_call_dep_fk FOREIGN KEY (academy_id, departement_id) REFERENCES structure (academy_id, id),
    CONSTRAINT reseau_call_creator_fk FOREIGN KEY (academy_id, created_by) REFERENCES person (academy_id, id),
    CONSTRAINT reseau_call_dates CHECK (opens_on <= closes_on)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A tutor's answer to a call.
CREATE TABLE reseau_volunteer (
    academy_id SMALLINT UNSIGNED NOT NULL,
    id BIGINT NOT NULL,
    call_id BIGINT NOT NULL,
    person_id BIGINT NOT NULL,
    degree ENUM('1d', '2d') NOT NULL,
    seniority ENUM('neo', 'experienced') NOT NULL,
    commune_id BIGINT NOT NULL,
    school_id BIGINT NULL,
    wants_pilot BOOLEAN NOT NULL DEFAULT FALSE,
    qualifications SET('CAFFA', 'CAFIPEMF', 'PFA', 'PEMF', 'master_formateur') NOT NULL DEFAULT '',
    created_at DATETIME(3) NOT NULL,
    PRIMARY KEY (academy_id, id),
    UNIQUE KEY reseau_volunteer_once (academy_id, call_id, person_id),
    KEY reseau_volunteer_person (academy_id, person_id),
    CONSTRAINT reseau_volunteer_call_fk FOREIGN KEY (academy_id, call_id) REFERENCES reseau_call (academy_id, id),
    CONSTRAINT reseau_volunteer_person_fk FOREIGN KEY (academy_id, person_id) REFERENCES person (academy_id, id),
    CONSTRAINT reseau_volunteer_commune_fk FOREIGN KEY (academy_id, commune_id) REFERENCES reseau_commune (academy_id, id),
    CONSTRAINT reseau_volunteer_school_fk FOREIGN KEY (academy_id, school_id) REFERENCES structure (academy_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A collective of a call: draft until the académie validates it.
CREATE TABLE reseau_collective (
    academy_id SMALLINT UNSIGNED NOT NULL,
    id BIGINT NOT NULL,
    call_id BIGINT NOT NULL,
    name VARCHAR(120) NOT NULL,
    state ENUM('draft', 'validated') NOT NULL DEFAULT 'draft',
    mix_score TINYINT UNSIGNED NOT NULL DEFAULT 0,
    created_by BIGINT NOT NULL,
    created_at DATETIME(3) NOT NULL,
    validated_by BIGINT NULL,
    validated_at DATETIME(3) NULL,
    PRIMARY KEY (academy_id, id),
    KEY reseau_collective_call (academy_id, call_id),
    CONSTRAINT reseau_collective_call_fk FOREIGN KEY (academy_id, call_id) REFERENCES reseau_call (academy_id, id),
    CONSTRAINT reseau_collective_creator_fk FOREIGN KEY (academy_id, created_by) REFERENCES person (academy_id, id),
    CONSTRAINT reseau_collective_validator_fk FOREIGN KEY (academy_id, validated_by) REFERENCES person (academy_id, id),
    CONSTRAINT reseau_collective_mix CHECK (mix_score <= 100)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A member of a collective (a volunteer of its call, in one collective of
-- the call at most); the pilot is the member flagged; the charter's
-- acceptance is dated.
CREATE TABLE reseau_member (
    academy_id SMALLINT UNSIGNED NOT NULL,
    id BIGINT NOT NULL,
    collective_id BIGINT NOT NULL,
    call_id BIGINT NOT NULL,
    volunteer_id BIGINT NOT NULL,
    person_id BIGINT NOT NULL,
    pilot BOOLEAN NOT NULL DEFAULT FALSE,
    charter_accepted_at DATETIME(3) NULL,
    PRIMARY KEY (academy_id, id),
    UNIQUE KEY reseau_member_once (academy_id, call_id, volunteer_id),
    KEY reseau_member_collective (academy_id, collective_id),
    KEY reseau_member_person (academy_id, person_id),
    CONSTRAINT reseau_member_collective_fk FOREIGN KEY (academy_id, collective_id) REFERENCES reseau_collective (academy_id, id),
    CONSTRAINT reseau_member_volunteer_fk FOREIGN KEY (academy_id, volunteer_id) REFERENCES reseau_volunteer (academy_id, id),
    CONSTRAINT reseau_member_person_fk FOREIGN KEY (academy_id, person_id) REFERENCES person (academy_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A meeting of a collective (in person: a place, always).
CREATE TABLE reseau_meeting (
    academy_id SMALLINT UNSIGNED NOT NULL,
    id BIGINT NOT NULL,
    collective_id BIGINT NOT NULL,
    starts_at DATETIME NOT NULL,
    ends_at DATETIME NOT NULL,
    place VARCHAR(200) NOT NULL,
    attendance_at DATETIME(3) NULL, -- when the pilot recorded who was there
    created_by BIGINT NOT NULL,
    created_at DATETIME(3) NOT NULL,
    PRIMARY KEY (academy_id, id),
    KEY reseau_meeting_collective (academy_id, collective_id, starts_at),
    CONSTRAINT reseau_meeting_collective_fk FOREIGN KEY (academy_id, collective_id) REFERENCES reseau_collective (academy_id, id),
    CONSTRAINT reseau_meeting_creator_fk FOREIGN KEY (academy_id, created_by) REFERENCES person (academy_id, id),
    CONSTRAINT reseau_meeting_place CHECK (place <> ''),
    CONSTRAINT reseau_meeting_dates CHECK (starts_at < ends_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The members present at a meeting.
CREATE TABLE reseau_attendance (
    academy_id SMALLINT UNSIGNED NOT NULL,
    id BIGINT NOT NULL,
    meeting_id BIGINT NOT NULL,
    person_id BIGINT NOT NULL,
    PRIMARY KEY (academy_id, id),
    UNIQUE KEY reseau_attendance_once (academy_id, meeting_id, person_id),
    CONSTRAINT reseau_attendance_meeting_fk FOREIGN KEY (academy_id, meeting_id) REFERENCES reseau_meeting (academy_id, id),
    CONSTRAINT reseau_attendance_person_fk FOREIGN KEY (academy_id, person_id) REFERENCES person (academy_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The session canvas of a meeting (one per meeting, made with it).
CREATE TABLE reseau_canvas (
    academy_id SMALLINT UNSIGNED NOT NULL,
    id BIGINT NOT NULL,
    meeting_id BIGINT NOT NULL,
    presenter_id BIGINT NULL,
    fallback_case_url VARCHAR(500) NULL,
    problem TEXT NULL,
    questions TEXT NULL,
    resonance TEXT NULL,
    presenter_solution TEXT NULL,
    others_solutions TEXT NULL,
    discussion TEXT NULL,
    generalisation TEXT NULL,
    debrief TEXT NULL,
    updated_by BIGINT NULL,
    updated_at DATETIME(3) NULL,
    version INT UNSIGNED NOT NULL DEFAULT 1,
    PRIMARY KEY (academy_id, id),
    UNIQUE KEY reseau_canvas_meeting (academy_id, meeting_id),
    CONSTRAINT reseau_canvas_meeting_fk FOREIGN KEY (academy_id, meeting_id) REFERENCES reseau_meeting (academy_id, id),
    CONSTRAINT reseau_canvas_presenter_fk FOREIGN KEY (academy_id, presenter_id) REFERENCES person (academy_id, id),
    CONSTRAINT reseau_canvas_updater_fk FOREIGN KEY (academy_id, updated_by) REFERENCES person (academy_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The fiche synthèse of a meeting (one per meeting, made with it): the
-- collective's own until the pilot publishes it, frozen from then on.
CREATE TABLE reseau_synthesis (
    academy_id SMALLINT UNSIGNED NOT NULL,
    id BIGINT NOT NULL,
    meeting_id BIGINT NOT NULL,
    problem TEXT NULL,
    answers TEXT NULL,
    state ENUM('draft', 'published') NOT NULL DEFAULT 'draft',
    updated_by BIGINT NULL,
    updated_at DATETIME(3) NULL,
    published_by BIGINT NULL,
    published_at DATETIME(3) NULL,
    version INT UNSIGNED NOT NULL DEFAULT 1,
    PRIMARY KEY (academy_id, id),
    UNIQUE KEY reseau_synthesis_meeting (academy_id, meeting_id),
    KEY reseau_synthesis_state (academy_id, state, published_at),
    CONSTRAINT reseau_synthesis_meeting_fk FOREIGN KEY (academy_id, meeting_id) REFERENCES reseau_meeting (academy_id, id),
    CONSTRAINT reseau_synthesis_updater_fk FOREIGN KEY (academy_id, updated_by) REFERENCES person (academy_id, id),
    CONSTRAINT reseau_synthesis_publisher_fk FOREIGN KEY (academy_id, published_by) REFERENCES person (academy_id, id),
    CONSTRAINT reseau_synthesis_published CHECK ((state = 'published') = (published_at IS NOT NULL))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A poll of dates among the members; confirmed into a meeting.
CREATE TABLE reseau_poll (
    academy_id SMALLINT UNSIGNED NOT NULL,
    id BIGINT NOT NULL,
    collective_id BIGINT NOT NULL,
    state ENUM('open', 'confirmed') NOT NULL DEFAULT 'open',
    meeting_id BIGINT NULL,
    created_by BIGINT NOT NULL,
    created_at DATETIME(3) NOT NULL,
    PRIMARY KEY (academy_id, id),
    KEY reseau_poll_collective (academy_id, collective_id),
    CONSTRAINT reseau_poll_collective_fk FOREIGN KEY (academy_id, collective_id) REFERENCES reseau_collective (academy_id, id),
    CONSTRAINT reseau_poll_meeting_fk FOREIGN KEY (academy_id, meeting_id) REFERENCES reseau_meeting (academy_id, id),
    CONSTRAINT reseau_poll_creator_fk FOREIGN KEY (academy_id, created_by) REFERENCES person (academy_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE reseau_poll_option (
    academy_id SMALLINT UNSIGNED NOT NULL,
    id BIGINT NOT NULL,
    poll_id BIGINT NOT NULL,
    starts_at DATETIME NOT NULL,
    ends_at DATETIME NOT NULL,
    place VARCHAR(200) NOT NULL,
    PRIMARY KEY (academy_id, id),
    KEY reseau_poll_option_poll (academy_id, poll_id, starts_at),
    CONSTRAINT reseau_poll_option_poll_fk FOREIGN KEY (academy_id, poll_id) REFERENCES reseau_poll (academy_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE reseau_poll_answer (
    academy_id SMALLINT UNSIGNED NOT NULL,
    id BIGINT NOT NULL,
    option_id BIGINT NOT NULL,
    person_id BIGINT NOT NULL,
    available BOOLEAN NOT NULL,
    answered_at DATETIME(3) NOT NULL,
    PRIMARY KEY (academy_id, id),
    UNIQUE KEY reseau_poll_answer_once (academy_id, option_id, person_id),
    CONSTRAINT reseau_poll_answer_option_fk FOREIGN KEY (academy_id, option_id) REFERENCES reseau_poll_option (academy_id, id),
    CONSTRAINT reseau_poll_answer_person_fk FOREIGN KEY (academy_id, person_id) REFERENCES person (academy_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The académie's resources for the collectives (links), in order.
CREATE TABLE reseau_resource (
    academy_id SMALLINT UNSIGNED NOT NULL,
    id BIGINT NOT NULL,
    position SMALLINT UNSIGNED NOT NULL,
    title VARCHAR(200) NOT NULL,
    url VARCHAR(500) NOT NULL,
    description VARCHAR(1000) NOT NULL DEFAULT '',
    kind ENUM('magistere', 'neopass', 'model', 'other') NOT NULL,
    PRIMARY KEY (academy_id, id),
    KEY reseau_resource_position (academy_id, position)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
