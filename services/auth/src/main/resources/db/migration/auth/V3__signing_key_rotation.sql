-- Key rotation: a key is published (JWKS) from created_at, signs from activates_at (a documented
-- wait later, so every verifier's cache has it first), and leaves the JWKS at retires_at (after
-- the last token it signed has expired). `sealed` keys hold their private half encrypted with
-- AES-256-GCM under the key-encryption key (nonce || ciphertext); unsealed ones were stored by
-- a version without one, and are sealed at the next start that has a key-encryption key.
ALTER TABLE signing_keys ADD COLUMN activates_at timestamptz;
UPDATE signing_keys SET activates_at = created_at;
ALTER TABLE signing_keys ALTER COLUMN activates_at SET NOT NULL;
ALTER TABLE signing_keys ALTER COLUMN activates_at SET DEFAULT now();
ALTER TABLE signing_keys ADD COLUMN retires_at timestamptz;
ALTER TABLE signing_keys ADD COLUMN sealed boolean NOT NULL DEFAULT false;
