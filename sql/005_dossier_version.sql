-- Every write to a trainee's dossier (follow-ups, traces, documents,
-- self-assessments, bilans, result, report, trio) increases the
-- enrolment's dossier_version in the same transaction: a reader that saw
-- version N knows nothing changed while it still reads N.
ALTER TABLE enrolment ADD COLUMN dossier_version BIGINT UNSIGNED NOT NULL DEFAULT 1;
