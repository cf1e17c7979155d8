CREATE TABLE campaign_bands (
    consultation_id bigint NOT NULL,
    key             bigint NOT NULL,
    response_id     bigint NOT NULL REFERENCES responses (id) ON DELETE CASCADE
);
INSERT INTO campaign_bands (consultation_id, key, response_id)
SELECT g.consultation_id, k # g.consultation_id, g.response_id
FROM response_signatures g, unnest(g.bands) k;
CREATE INDEX campaign_bands_key_idx ON campaign_bands (consultation_id, key);
CREATE INDEX campaign_bands_response_idx ON campaign_bands (response_id);

DROP INDEX response_signatures_bands_idx;
ALTER TABLE response_signatures DROP COLUMN bands;
