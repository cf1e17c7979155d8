-- Campaign detection's LSH band keys move from campaign_bands (one row per
-- response and band: sixteen heap rows, sixteen entries in each of two
-- B-trees and sixteen foreign-key checks per response) into one bigint[]
-- column of the response's signature row with a GIN index (#15). Storing
-- them was most of the whole-consultation pass: at 200,000 responses the
-- band rows took 107 s and 1.5 GB of WAL against 27 s and 0.5 GB as an
-- array (measured on this machine under load).
--
-- Each stored key is the band key XOR the consultation id, so the same
-- template in two consultations has different keys and a lookup never
-- walks another consultation's copies. NULL: a response too short to be
-- matched (it is signed, never banded).
ALTER TABLE response_signatures ADD COLUMN bands bigint[];

UPDATE response_signatures g SET bands = b.keys
FROM (SELECT response_id, array_agg(key # consultation_id) AS keys
      FROM campaign_bands GROUP BY response_id) b
WHERE b.response_id = g.response_id;

-- fastupdate off: a pending list would be scanned whole by every lookup
-- of the webform's one-response detection until a vacuum merged it.
CREATE INDEX response_signatures_bands_idx ON response_signatures USING gin (bands) WITH (fastupdate = off);

DROP TABLE campaign_bands;
