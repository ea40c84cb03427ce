-- Core schema: académies, people, sessions, login throttling, audit trail.
-- Every table's primary key begins with academy_id and every foreign key
-- includes it, so no row can reference another académie's row.

CREATE TABLE academy (
    id SMALLINT UNSIGNED NOT NULL AUTO_INCREMENT,
    code VARCHAR(32) NOT NULL,
    name VARCHAR(128) NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY academy_code (code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE person (
    academy_id SMALLINT UNSIGNED NOT NULL,
    id BIGINT NOT NULL,
    username VARCHAR(64) NOT NULL,
    display_name VARCHAR(200) NOT NULL,
    given_name VARCHAR(100) NULL,
    family_name VARCHAR(100) NULL,
    email VARCHAR(254) NULL,
    ldap_dn VARCHAR(512) NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at DATETIME(3) NOT NULL,
    updated_at DATETIME(3) NOT NULL,
    last_login_at DATETIME(3) NULL,
    version INT UNSIGNED NOT NULL DEFAULT 1,
    PRIMARY KEY (academy_id, id),
    UNIQUE KEY person_username (academy_id, username),
    KEY person_name (academy_id, display_name),
    CONSTRAINT person_academy_fk FOREIGN KEY (academy_id) REFERENCES academy (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE session (
    academy_id SMALLINT UNSIGNED NOT NULL,
    id BIGINT NOT NULL,
    person_id BIGINT NOT NULL,
    secret_hash BINARY(32) NOT NULL,
    created_at DATETIME(3) NOT NULL,
    expires_at DATETIME(3) NOT NULL,
    revoked_at DATETIME(3) NULL,
    client_addr VARCHAR(64) NULL,
    PRIMARY KEY (academy_id, id),
    UNIQUE KEY session_secret (academy_id, secret_hash),
    KEY session_person (academy_id, person_id),
    CONSTRAINT session_person_fk FOREIGN KEY (academy_id, person_id) REFERENCES person (academy_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Failed logins, per account (known or not) and per client address, shared
-- by every tutoratd instance.
CREATE TABLE login_throttle (
    academy_id SMALLINT UNSIGNED NOT NULL,
    kind ENUM('account', 'address') NOT NULL,
    subject VARCHAR(128) NOT NULL,
    window_start DATETIME NOT NULL,
    failures INT UNSIGNED NOT NULL,
    blocked_until DATETIME NULL,
    PRIMARY KEY (academy_id, kind, subject),
    CONSTRAINT login_throttle_academy_fk FOREIGN KEY (academy_id) REFERENCES academy (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Append-only: the service never updates or deletes a row here.
CREATE TABLE audit_log (
    academy_id SMALLINT UNSIGNED NOT NULL,
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    at DATETIME(6) NOT NULL,
    request_id VARCHAR(40) NOT NULL,
    actor_id BIGINT NULL,
    action VARCHAR(64) NOT NULL,
    object_type VARCHAR(64) NOT NULL,
    object_id BIGINT NULL,
    client_addr VARCHAR(64) NULL,
    detail TEXT NULL,
    PRIMARY KEY (academy_id, id),
    KEY audit_id (id),
    KEY audit_object (academy_id, object_type, object_id),
    CONSTRAINT audit_academy_fk FOREIGN KEY (academy_id) REFERENCES academy (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
