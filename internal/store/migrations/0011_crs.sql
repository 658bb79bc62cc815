-- crs: answers to the guided questions while someone is answering them,
-- one row per person on a platform (the console is platform ''), kept
-- until expires_at so a restart loses nothing and an abandoned one goes;
-- and the profiles people chose to keep (crs save) until they forget them.
CREATE TABLE crs_sessions (
	platform   TEXT NOT NULL,
	user_id    TEXT NOT NULL,
	answers    TEXT NOT NULL,  -- the engine's JSON
	expires_at TEXT NOT NULL,  -- RFC 3339 UTC
	PRIMARY KEY (platform, user_id)
);
CREATE INDEX crs_sessions_expiry ON crs_sessions (expires_at);

CREATE TABLE crs_profiles (
	platform TEXT NOT NULL,
	user_id  TEXT NOT NULL,
	profile  TEXT NOT NULL,     -- the one-line form
	score    INTEGER NOT NULL,  -- the total when saved
	saved_at TEXT NOT NULL,     -- RFC 3339 UTC
	PRIMARY KEY (platform, user_id)
);
