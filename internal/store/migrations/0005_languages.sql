-- What a correction changed (the old values, "crs=469;size=2850"), so its
-- post can say "CRS 469 → 471".
ALTER TABLE deliveries ADD COLUMN before TEXT NOT NULL DEFAULT '';

-- The language a chat's managers chose for its answers and posts.
CREATE TABLE chat_settings (
	platform    TEXT NOT NULL,
	destination TEXT NOT NULL,
	lang        TEXT NOT NULL,
	PRIMARY KEY (platform, destination)
);
