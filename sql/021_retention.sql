-- Retention of personal data (issue 15, docs/rgpd.md): how long each kind
-- of record is kept, per académie. The kinds, their defaults and what each
-- covers are the code's (modules/retention/retention_db.c,
-- retention_kinds[]); a row here is the académie's override of one
-- default, set by its admin (PUT /api/v1/admin/retention). No row: the
-- default. `tutoratctl purge` (daily, deploy/systemd/tutorat-purge.timer)
-- removes or anonymises what is past its retention.
CREATE TABLE retention_rule (
    academy_id SMALLINT UNSIGNED NOT NULL,
    kind VARCHAR(32) NOT NULL,
    days INT UNSIGNED NOT NULL,
    updated_by BIGINT NULL,
    updated_at DATETIME(3) NOT NULL,
    PRIMARY KEY (academy_id, kind),
    CONSTRAINT retention_rule_academy_fk FOREIGN KEY (academy_id) REFERENCES academy (id),
    CONSTRAINT retention_rule_updater_fk FOREIGN KEY (academy_id, updated_by) REFERENCES person (academy_id, id),
    CONSTRAINT retention_rule_days CHECK (days BETWEEN 1 AND 3660)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- sql/001 calls the audit trail append-only. It still is for the service:
-- no request updates or deletes a row of it. The one exception is
-- `tutoratctl purge`, which deletes the rows older than the académie's
-- retention of kind audit_log, and records what it removed (counts) in a
-- new row.
ALTER TABLE audit_log COMMENT = 'Append-only for the service; only tutoratctl purge deletes rows past the retention of kind audit_log (sql/021).';
