-- The parcours d'individualisation (issue 10; seed 000 §6.2, annexes 2
-- and 3): a contract on one enrolment, its content in versions, the
-- parties each version names and their signatures, then the points de
-- situation and the bilan. Nothing here is ever rewritten once signed: a
-- change is a new version (the previous one superseded, its signatures
-- void); points and bilans are new rows, a bilan's correction a new
-- revision.

CREATE TABLE contract (
    academy_id SMALLINT UNSIGNED NOT NULL,
    id BIGINT NOT NULL,
    enrolment_id BIGINT NOT NULL,
    annex TINYINT UNSIGNED NOT NULL,
    opened_by BIGINT NOT NULL,
    opened_at DATETIME(3) NOT NULL,
    PRIMARY KEY (academy_id, id),
    KEY contract_enrolment (academy_id, enrolment_id),
    CONSTRAINT contract_annex CHECK (annex IN (2, 3)),
    CONSTRAINT contract_enrolment_fk FOREIGN KEY (academy_id, enrolment_id) REFERENCES enrolment (academy_id, id),
    CONSTRAINT contract_opened_by_fk FOREIGN KEY (academy_id, opened_by) REFERENCES person (academy_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A version: the canonical JSON of its frozen content (header resolved
-- from the enrolment, its trio and the annuaire; the five domains; the
-- start date; the parties) and that text's SHA-256 (hex). `version`
-- counts the edits of a version nobody has signed yet (If-Match);
-- `superseded_at` is set when a newer version replaces it.
CREATE TABLE contract_version (
    academy_id SMALLINT UNSIGNED NOT NULL,
    id BIGINT NOT NULL,
    contract_id BIGINT NOT NULL,
    number SMALLINT UNSIGNED NOT NULL,
    content LONGTEXT COLLATE utf8mb4_bin NOT NULL,
    content_sha256 CHAR(64) CHARACTER SET ascii NOT NULL,
    created_by BIGINT NOT NULL,
    created_at DATETIME(3) NOT NULL,
    updated_by BIGINT NOT NULL,
    updated_at DATETIME(3) NOT NULL,
    superseded_at DATETIME(3) NULL,
    version INT UNSIGNED NOT NULL DEFAULT 1,
    PRIMARY KEY (academy_id, id),
    UNIQUE KEY contract_version_number (academy_id, contract_id, number),
    CONSTRAINT contract_version_contract_fk FOREIGN KEY (academy_id, contract_id) REFERENCES contract (academy_id, id),
    CONSTRAINT contract_version_created_by_fk FOREIGN KEY (academy_id, created_by) REFERENCES person (academy_id, id),
    CONSTRAINT contract_version_updated_by_fk FOREIGN KEY (academy_id, updated_by) REFERENCES person (academy_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Who must sign a version, as the annex names them (annex 2: IEN, tuteur
-- DSDEN, tuteur universitaire, trainee; annex 3: IA-IPR or IEN, chef
-- d'établissement, tuteur académique, tuteur Inspé, responsable de
-- parcours, trainee), in the annex's order.
CREATE TABLE contract_party (
    academy_id SMALLINT UNSIGNED NOT NULL,
    id BIGINT NOT NULL,
    version_id BIGINT NOT NULL,
    role ENUM('ien', 'inspecteur', 'tuteur_dsden', 'tuteur_universitaire', 'chef_etablissement',
              'tuteur_academique', 'tuteur_inspe', 'responsable_parcours', 'trainee') NOT NULL,
    position TINYINT UNSIGNED NOT NULL,
    person_id BIGINT NOT NULL,
    PRIMARY KEY (academy_id, id),
    UNIQUE KEY contract_party_role (academy_id, version_id, role),
    KEY contract_party_person (academy_id, person_id),
    CONSTRAINT contract_party_version_fk FOREIGN KEY (academy_id, version_id) REFERENCES contract_version (academy_id, id),
    CONSTRAINT contract_party_person_fk FOREIGN KEY (academy_id, person_id) REFERENCES person (academy_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A signature: the signed-in person, confirmed by their password (a bind
-- to the académie's directory), the time, and the SHA-256 of the exact
-- content approved. One per person and version.
CREATE TABLE contract_signature (
    academy_id SMALLINT UNSIGNED NOT NULL,
    id BIGINT NOT NULL,
    version_id BIGINT NOT NULL,
    person_id BIGINT NOT NULL,
    signed_at DATETIME(3) NOT NULL,
    content_sha256 CHAR(64) CHARACTER SET ascii NOT NULL,
    PRIMARY KEY (academy_id, id),
    UNIQUE KEY contract_signature_once (academy_id, version_id, person_id),
    CONSTRAINT contract_signature_version_fk FOREIGN KEY (academy_id, version_id) REFERENCES contract_version (academy_id, id),
    CONSTRAINT contract_signature_person_fk FOREIGN KEY (academy_id, person_id) REFERENCES person (academy_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The points de situation: dated entries, never changed.
CREATE TABLE contract_point (
    academy_id SMALLINT UNSIGNED NOT NULL,
    id BIGINT NOT NULL,
    contract_id BIGINT NOT NULL,
    held_on DATE NOT NULL,
    body TEXT NOT NULL,
    author_id BIGINT NOT NULL,
    created_at DATETIME(3) NOT NULL,
    PRIMARY KEY (academy_id, id),
    KEY contract_point_contract (academy_id, contract_id, held_on),
    CONSTRAINT contract_point_contract_fk FOREIGN KEY (academy_id, contract_id) REFERENCES contract (academy_id, id),
    CONSTRAINT contract_point_author_fk FOREIGN KEY (academy_id, author_id) REFERENCES person (academy_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The bilan (end of April, meeting N°3): the outcome per domain (a JSON
-- object keyed by domain) and the decision. A correction is a new
-- revision; the newest one counts.
CREATE TABLE contract_bilan (
    academy_id SMALLINT UNSIGNED NOT NULL,
    id BIGINT NOT NULL,
    contract_id BIGINT NOT NULL,
    revision SMALLINT UNSIGNED NOT NULL,
    held_on DATE NOT NULL,
    outcomes TEXT COLLATE utf8mb4_bin NOT NULL,
    decision ENUM('end', 'continue', 'titularisation') NOT NULL,
    author_id BIGINT NOT NULL,
    created_at DATETIME(3) NOT NULL,
    PRIMARY KEY (academy_id, id),
    UNIQUE KEY contract_bilan_revision (academy_id, contract_id, revision),
    CONSTRAINT contract_bilan_contract_fk FOREIGN KEY (academy_id, contract_id) REFERENCES contract (academy_id, id),
    CONSTRAINT contract_bilan_author_fk FOREIGN KEY (academy_id, author_id) REFERENCES person (academy_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
