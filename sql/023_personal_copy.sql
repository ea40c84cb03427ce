-- A person's own copy of their data (RGPD art. 15 and 20, issue 15): asked
-- from their space, prepared in the background by `tutoratctl copies`,
-- downloaded once through a link whose token is stored hashed. The ZIP
-- lives in `content` only between ready and its download or expiry; both
-- set it back to NULL.
CREATE TABLE personal_copy (
    academy_id SMALLINT UNSIGNED NOT NULL,
    id BIGINT NOT NULL,
    person_id BIGINT NOT NULL,
    status ENUM('pending', 'ready', 'downloaded', 'expired', 'failed') NOT NULL,
    requested_at DATETIME(3) NOT NULL,
    ready_at DATETIME(3) NULL,
    expires_at DATETIME(3) NULL,
    downloaded_at DATETIME(3) NULL,
    size_bytes INT UNSIGNED NULL,
    -- SHA-256 of the download link's token; NULL: no link given, or used.
    token_hash BINARY(32) NULL,
    content LONGBLOB NULL,
    -- The person while the copy is pending, else NULL: the unique key
    -- allows one pending copy per person (NULLs do not collide).
    pending_of BIGINT AS (IF(status = 'pending', person_id, NULL)) PERSISTENT,
    PRIMARY KEY (academy_id, id),
    UNIQUE KEY personal_copy_one_pending (academy_id, pending_of),
    KEY personal_copy_person (academy_id, person_id, requested_at),
    KEY personal_copy_status (academy_id, status, requested_at),
    CONSTRAINT personal_copy_person_fk FOREIGN KEY (academy_id, person_id) REFERENCES person (academy_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
