-- The columns a person chose for a list of the dashboards (issue 13,
-- docs/pilotage.md): one row per person and list key, the export's column
-- keys in the order chosen ("trainee,parcours,visits_done"). The list
-- screen uses them when its address names none.
CREATE TABLE pilotage_column_pref (
    academy_id SMALLINT UNSIGNED NOT NULL,
    person_id BIGINT NOT NULL,
    list_key VARCHAR(40) CHARACTER SET ascii NOT NULL,
    columns VARCHAR(500) CHARACTER SET ascii NOT NULL,
    updated_at DATETIME(3) NOT NULL,
    PRIMARY KEY (academy_id, person_id, list_key),
    CONSTRAINT pilotage_column_pref_person_fk FOREIGN KEY (academy_id, person_id) REFERENCES person (academy_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
