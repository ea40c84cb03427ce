-- Reads of sensitive records, every module's (RGPD: "who read my file").
-- One row per read of a case, a bilan, a self-assessment, a trace, a
-- document or a SOPA report by someone other than its subject: who read,
-- whose record, which record, when. Never what it said. Rows past the
-- académie's retention are removed by `tutoratctl purge`.
CREATE TABLE read_log (
    academy_id SMALLINT UNSIGNED NOT NULL,
    id BIGINT NOT NULL,
    subject_id BIGINT NOT NULL,
    reader_id BIGINT NOT NULL,
    record_type VARCHAR(32) NOT NULL,
    record_id BIGINT NOT NULL,
    read_at DATETIME(3) NOT NULL,
    PRIMARY KEY (academy_id, id),
    KEY read_log_subject (academy_id, subject_id, read_at),
    KEY read_log_at (academy_id, read_at),
    CONSTRAINT read_log_subject_fk FOREIGN KEY (academy_id, subject_id) REFERENCES person (academy_id, id),
    CONSTRAINT read_log_reader_fk FOREIGN KEY (academy_id, reader_id) REFERENCES person (academy_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
