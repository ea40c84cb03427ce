-- Rules of the tutorat module that are the académie's own data (issue 8).
--
-- The school day of a year: a follow-up time starts between these hours
-- (the académie's admin sets them per year; 08:00-18:00 unless told).
ALTER TABLE school_year
    ADD COLUMN day_starts_at TIME NOT NULL DEFAULT '08:00:00',
    ADD COLUMN day_ends_at TIME NOT NULL DEFAULT '18:00:00',
    ADD CONSTRAINT school_year_day CHECK (day_starts_at < day_ends_at);

-- Two more dates of the calendar: the end of the first term (the M2B point
-- d'étape is held before it; without it, the term ends on 31 December) and
-- the date by which the M2B visite d'aide et de conseil is expected.
ALTER TABLE year_event MODIFY kind ENUM('autumn_holidays', 'pole_meeting_1', 'pole_meeting_2',
    'pole_meeting_3', 'sopa_1', 'sopa_2', 'sopa_3', 'sopa_4', 'bilans_due', 'first_term_end',
    'visite_conseil_due', 'other') NOT NULL;

-- Which bilans each parcours requires, per académie (seed 001: no bilan
-- intermédiaire for M2B). tutorat_seed() fills it for a new académie.
CREATE TABLE parcours_bilan (
    academy_id SMALLINT UNSIGNED NOT NULL,
    parcours ENUM('M2A', 'DU', 'M2B') NOT NULL,
    kind ENUM('intermediaire', 'final') NOT NULL,
    PRIMARY KEY (academy_id, parcours, kind),
    CONSTRAINT parcours_bilan_academy_fk FOREIGN KEY (academy_id) REFERENCES academy (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO parcours_bilan (academy_id, parcours, kind)
SELECT a.id, p.parcours, k.kind FROM academy a
CROSS JOIN (SELECT 'M2A' AS parcours UNION ALL SELECT 'DU' UNION ALL SELECT 'M2B') p
CROSS JOIN (SELECT 'intermediaire' AS kind UNION ALL SELECT 'final') k
WHERE NOT (p.parcours = 'M2B' AND k.kind = 'intermediaire');
