-- Draws from the IRCC feed (embedded snapshot, live feed) or a moderator.
CREATE TABLE draws (
	number         TEXT PRIMARY KEY,          -- "437", "91a"
	seq            INTEGER NOT NULL,          -- numeric part, for ordering
	date           TEXT NOT NULL,             -- YYYY-MM-DD
	drawn_at       TEXT NOT NULL DEFAULT '',  -- RFC 3339 UTC, '' when unparsable
	drawn_raw      TEXT NOT NULL DEFAULT '',
	name           TEXT NOT NULL,             -- raw drawName
	category       TEXT NOT NULL,
	version        INTEGER NOT NULL DEFAULT 0,
	kind           TEXT NOT NULL,
	size           INTEGER NOT NULL,
	crs            INTEGER NOT NULL,
	programs       TEXT NOT NULL DEFAULT '',
	tie_break_at   TEXT NOT NULL DEFAULT '',
	tie_raw        TEXT NOT NULL DEFAULT '',
	url            TEXT NOT NULL,
	dist_as_of     TEXT NOT NULL DEFAULT '',
	dist_as_of_raw TEXT NOT NULL DEFAULT '',
	dist_total     INTEGER NOT NULL DEFAULT 0, -- 0: no distribution published
	source         TEXT NOT NULL,
	updated_at     TEXT NOT NULL
);
CREATE INDEX draws_newest ON draws (date DESC, seq DESC, number DESC);
CREATE INDEX draws_category ON draws (category, date DESC, seq DESC, number DESC);

-- Non-overlapping pool bands (IRCC's dd3/dd9 subtotals are not stored).
CREATE TABLE pool_bands (
	draw_number TEXT NOT NULL REFERENCES draws (number) ON DELETE CASCADE,
	lo          INTEGER NOT NULL,
	hi          INTEGER NOT NULL,
	candidates  INTEGER NOT NULL,
	PRIMARY KEY (draw_number, lo)
);

CREATE TABLE category_versions (
	key            TEXT NOT NULL,
	version        INTEGER NOT NULL,
	draw_name      TEXT NOT NULL DEFAULT '',
	name           TEXT NOT NULL,
	effective_from TEXT NOT NULL DEFAULT '',
	effective_to   TEXT NOT NULL DEFAULT '',
	min_months     INTEGER NOT NULL DEFAULT 0,
	window_years   INTEGER NOT NULL DEFAULT 0,
	requirements   TEXT NOT NULL DEFAULT '',
	source_url     TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (key, version)
);

CREATE TABLE category_noc (
	key        TEXT NOT NULL,
	version    INTEGER NOT NULL,
	noc_code   TEXT NOT NULL,
	title      TEXT NOT NULL,
	source_url TEXT NOT NULL DEFAULT '',
	verified   INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (key, version, noc_code),
	FOREIGN KEY (key, version) REFERENCES category_versions (key, version) ON DELETE CASCADE
);
CREATE INDEX category_noc_code ON category_noc (noc_code);

CREATE TABLE noc (
	code     TEXT PRIMARY KEY,
	title_en TEXT NOT NULL,
	title_fr TEXT NOT NULL DEFAULT '',
	teer     INTEGER NOT NULL
);
CREATE VIRTUAL TABLE noc_fts USING fts5 (
	code UNINDEXED, title_en, title_fr,
	tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TABLE pnp_draws (
	id          TEXT PRIMARY KEY,
	stream      TEXT NOT NULL,
	date        TEXT NOT NULL,
	invitations INTEGER NOT NULL,
	score_min   INTEGER NOT NULL DEFAULT 0,
	score_max   INTEGER NOT NULL DEFAULT 0,
	score_rule  TEXT NOT NULL DEFAULT '',
	type        TEXT NOT NULL DEFAULT '',
	region      TEXT NOT NULL DEFAULT '',
	occupations TEXT NOT NULL DEFAULT '',
	notes       TEXT NOT NULL DEFAULT ''
);

CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
