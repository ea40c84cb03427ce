-- Reference data shared by the dossiers of an académie (the calendar of its
-- years, its structures, its conversion tables, its people's names) has a
-- version too: every write to it increases academy_state.reference_version,
-- so that answers rendered from it (the trainee's timeline) are never
-- served stale.
CREATE TABLE academy_state (
    academy_id SMALLINT UNSIGNED NOT NULL,
    reference_version BIGINT UNSIGNED NOT NULL DEFAULT 1,
    PRIMARY KEY (academy_id),
    CONSTRAINT academy_state_academy_fk FOREIGN KEY (academy_id) REFERENCES academy (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO academy_state (academy_id, reference_version) SELECT id, 1 FROM academy;
