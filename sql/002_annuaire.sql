-- The directory of an académie: school years with their calendar, the
-- structures (départements, circonscriptions, pôles, schools, INSPÉ sites,
-- disciplines) and role assignments with their scope.

CREATE TABLE school_year (
    academy_id SMALLINT UNSIGNED NOT NULL,
    id BIGINT NOT NULL,
    label VARCHAR(9) NOT NULL,
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    current BOOLEAN NOT NULL DEFAULT FALSE,
    version INT UNSIGNED NOT NULL DEFAULT 1,
    PRIMARY KEY (academy_id, id),
    UNIQUE KEY school_year_label (academy_id, label),
    CONSTRAINT school_year_academy_fk FOREIGN KEY (academy_id) REFERENCES academy (id),
    CONSTRAINT school_year_dates CHECK (starts_on < ends_on)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE year_event (
    academy_id SMALLINT UNSIGNED NOT NULL,
    id BIGINT NOT NULL,
    year_id BIGINT NOT NULL,
    kind ENUM('autumn_holidays', 'pole_meeting_1', 'pole_meeting_2', 'pole_meeting_3',
              'sopa_1', 'sopa_2', 'sopa_3', 'sopa_4', 'bilans_due', 'other') NOT NULL,
    label VARCHAR(200) NOT NULL,
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    PRIMARY KEY (academy_id, id),
    KEY year_event_year (academy_id, year_id, starts_on),
    CONSTRAINT year_event_year_fk FOREIGN KEY (academy_id, year_id) REFERENCES school_year (academy_id, id),
    CONSTRAINT year_event_dates CHECK (starts_on <= ends_on)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE structure (
    academy_id SMALLINT UNSIGNED NOT NULL,
    id BIGINT NOT NULL,
    kind ENUM('departement', 'circonscription', 'pole', 'school', 'inspe_site', 'discipline') NOT NULL,
    code VARCHAR(32) NULL,
    name VARCHAR(200) NOT NULL,
    parent_id BIGINT NULL,
    version INT UNSIGNED NOT NULL DEFAULT 1,
    PRIMARY KEY (academy_id, id),
    UNIQUE KEY structure_code (academy_id, kind, code),
    KEY structure_parent (academy_id, parent_id),
    KEY structure_name (academy_id, kind, name),
    CONSTRAINT structure_academy_fk FOREIGN KEY (academy_id) REFERENCES academy (id),
    CONSTRAINT structure_parent_fk FOREIGN KEY (academy_id, parent_id) REFERENCES structure (academy_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A pôle de formation groups circonscriptions of one département.
CREATE TABLE pole_circonscription (
    academy_id SMALLINT UNSIGNED NOT NULL,
    pole_id BIGINT NOT NULL,
    circonscription_id BIGINT NOT NULL,
    PRIMARY KEY (academy_id, pole_id, circonscription_id),
    CONSTRAINT pole_circ_pole_fk FOREIGN KEY (academy_id, pole_id) REFERENCES structure (academy_id, id),
    CONSTRAINT pole_circ_circ_fk FOREIGN KEY (academy_id, circonscription_id) REFERENCES structure (academy_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A role held within a scope. source = 'ldap': mapped from the directory's
-- groups at each login (scope académie); 'local': assigned by an admin.
CREATE TABLE role_assignment (
    academy_id SMALLINT UNSIGNED NOT NULL,
    id BIGINT NOT NULL,
    person_id BIGINT NOT NULL,
    role VARCHAR(32) NOT NULL,
    scope_kind ENUM('academy', 'departement', 'circonscription', 'pole', 'school', 'inspe_site', 'discipline') NOT NULL,
    scope_id BIGINT NULL,
    source ENUM('ldap', 'local') NOT NULL,
    created_at DATETIME(3) NOT NULL,
    PRIMARY KEY (academy_id, id),
    UNIQUE KEY role_assignment_unique (academy_id, person_id, role, scope_kind, scope_id, source),
    KEY role_assignment_scope (academy_id, scope_kind, scope_id),
    CONSTRAINT role_assignment_person_fk FOREIGN KEY (academy_id, person_id) REFERENCES person (academy_id, id),
    CONSTRAINT role_assignment_scope_fk FOREIGN KEY (academy_id, scope_id) REFERENCES structure (academy_id, id),
    CONSTRAINT role_assignment_scope_kind CHECK ((scope_kind = 'academy') = (scope_id IS NULL))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
