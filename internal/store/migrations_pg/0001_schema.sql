-- The Postgres schema: the SQLite migrations 0001 to 0011 as one, with
-- Postgres types. Text sorts byte by byte (COLLATE "C"), as in SQLite, so
-- draw numbers, dates and codes order the same on both engines whatever
-- the database's locale.

-- Draws from the IRCC feed (embedded snapshot, live feed) or a moderator.
CREATE TABLE draws (
	number         TEXT COLLATE "C" PRIMARY KEY,
	seq            INTEGER NOT NULL,
	date           TEXT COLLATE "C" NOT NULL,
	drawn_at       TEXT COLLATE "C" NOT NULL DEFAULT '',
	drawn_raw      TEXT NOT NULL DEFAULT '',
	name           TEXT NOT NULL,
	category       TEXT COLLATE "C" NOT NULL,
	version        INTEGER NOT NULL DEFAULT 0,
	kind           TEXT NOT NULL,
	size           INTEGER NOT NULL,
	crs            INTEGER NOT NULL,
	programs       TEXT NOT NULL DEFAULT '',
	tie_break_at   TEXT NOT NULL DEFAULT '',
	tie_raw        TEXT NOT NULL DEFAULT '',
	url            TEXT NOT NULL,
	dist_as_of     TEXT COLLATE "C" NOT NULL DEFAULT '',
	dist_as_of_raw TEXT NOT NULL DEFAULT '',
	dist_total     INTEGER NOT NULL DEFAULT 0,
	source         TEXT NOT NULL,
	updated_at     TEXT NOT NULL
);
CREATE INDEX draws_newest ON draws (date DESC, seq DESC, number DESC);
CREATE INDEX draws_category ON draws (category, date DESC, seq DESC, number DESC);
CREATE INDEX draws_version ON draws (category, version, date DESC, seq DESC, number DESC);

CREATE TABLE pool_bands (
	draw_number TEXT COLLATE "C" NOT NULL REFERENCES draws (number) ON DELETE CASCADE,
	lo          INTEGER NOT NULL,
	hi          INTEGER NOT NULL,
	candidates  INTEGER NOT NULL,
	PRIMARY KEY (draw_number, lo)
);

CREATE TABLE category_versions (
	key            TEXT COLLATE "C" NOT NULL,
	version        INTEGER NOT NULL,
	draw_name      TEXT NOT NULL DEFAULT '',
	name           TEXT NOT NULL,
	effective_from TEXT COLLATE "C" NOT NULL DEFAULT '',
	effective_to   TEXT COLLATE "C" NOT NULL DEFAULT '',
	min_months     INTEGER NOT NULL DEFAULT 0,
	window_years   INTEGER NOT NULL DEFAULT 0,
	requirements   TEXT NOT NULL DEFAULT '',
	source_url     TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (key, version)
);

CREATE TABLE category_noc (
	key        TEXT COLLATE "C" NOT NULL,
	version    INTEGER NOT NULL,
	noc_code   TEXT COLLATE "C" NOT NULL,
	title      TEXT NOT NULL,
	source_url TEXT NOT NULL DEFAULT '',
	verified   INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (key, version, noc_code),
	FOREIGN KEY (key, version) REFERENCES category_versions (key, version) ON DELETE CASCADE
);
CREATE INDEX category_noc_code ON category_noc (noc_code);

CREATE TABLE noc (
	code     TEXT COLLATE "C" PRIMARY KEY,
	title_en TEXT NOT NULL,
	title_fr TEXT NOT NULL DEFAULT '',
	teer     INTEGER NOT NULL
);
-- SQLite's noc_fts (FTS5) becomes a table of each unit group's words,
-- folded (lower case, no accents) by the store, searched by prefix and
-- ranked as FTS5 ranks (nocTextSQL).
CREATE TABLE noc_fts (
	code  TEXT COLLATE "C" NOT NULL,
	field INTEGER NOT NULL,            -- 1 English title, 2 French title
	pos   INTEGER NOT NULL,            -- the word's place in the title
	word  TEXT COLLATE "C" NOT NULL,
	PRIMARY KEY (word, code, field, pos)
);

CREATE TABLE pnp_draws (
	id          TEXT COLLATE "C" PRIMARY KEY,
	stream      TEXT NOT NULL,
	date        TEXT COLLATE "C" NOT NULL,
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
	key   TEXT COLLATE "C" PRIMARY KEY,
	value TEXT NOT NULL
);

CREATE TABLE subscriptions (
	id          BIGSERIAL PRIMARY KEY,
	platform    TEXT COLLATE "C" NOT NULL,
	destination TEXT COLLATE "C" NOT NULL,
	categories  TEXT COLLATE "C" NOT NULL DEFAULT '',
	max_crs     INTEGER NOT NULL DEFAULT 0,
	mention     TEXT NOT NULL DEFAULT '',
	priority    INTEGER NOT NULL DEFAULT 0,
	created_by  TEXT NOT NULL DEFAULT '',
	created_at  TEXT COLLATE "C" NOT NULL,
	dead_at     TEXT COLLATE "C" NOT NULL DEFAULT '',
	failures    INTEGER NOT NULL DEFAULT 0,
	last_error  TEXT NOT NULL DEFAULT '',
	UNIQUE (platform, destination, categories, max_crs)
);
CREATE INDEX subscriptions_destination ON subscriptions (platform, destination);

CREATE TABLE priority_destinations (
	platform    TEXT COLLATE "C" NOT NULL,
	destination TEXT COLLATE "C" NOT NULL,
	PRIMARY KEY (platform, destination)
);

CREATE TABLE round_names_fr (
	name_en TEXT COLLATE "C" PRIMARY KEY,
	name_fr TEXT NOT NULL
);

CREATE TABLE chat_settings (
	platform    TEXT COLLATE "C" NOT NULL,
	destination TEXT COLLATE "C" NOT NULL,
	lang        TEXT NOT NULL,
	PRIMARY KEY (platform, destination)
);

-- rowid: SQLite's implicit insertion order, which Announcements sorts by.
CREATE TABLE announcements (
	rowid        BIGSERIAL,
	preview_id   TEXT COLLATE "C" PRIMARY KEY,
	draw_number  TEXT COLLATE "C" NOT NULL,
	status       TEXT NOT NULL,
	destinations INTEGER NOT NULL DEFAULT 0,
	platform     TEXT NOT NULL DEFAULT '',
	user_id      TEXT NOT NULL DEFAULT '',
	at           TEXT COLLATE "C" NOT NULL
);
CREATE INDEX announcements_draw ON announcements (draw_number, at);

CREATE TABLE inbox (
	source      TEXT COLLATE "C" NOT NULL,
	id          BIGINT NOT NULL,
	received_at TEXT COLLATE "C" NOT NULL,
	body        BYTEA NOT NULL,
	answered_at TEXT COLLATE "C" NOT NULL DEFAULT '',
	PRIMARY KEY (source, id)
);

CREATE TABLE posts (
	id           BIGSERIAL PRIMARY KEY,
	draw_number  TEXT COLLATE "C" NOT NULL,
	kind         TEXT COLLATE "C" NOT NULL,
	revision     TEXT COLLATE "C" NOT NULL DEFAULT '',
	before       TEXT NOT NULL DEFAULT '',
	created_at   TEXT COLLATE "C" NOT NULL,
	first_id     BIGINT NOT NULL DEFAULT 0,
	last_id      BIGINT NOT NULL DEFAULT 0,
	queued       INTEGER NOT NULL DEFAULT 0,
	compacted_at TEXT COLLATE "C" NOT NULL DEFAULT '',
	UNIQUE (draw_number, kind, revision)
);

CREATE TABLE deliveries (
	id              BIGSERIAL PRIMARY KEY,
	post_id         BIGINT NOT NULL,
	subscription_id BIGINT NOT NULL,
	status          TEXT COLLATE "C" NOT NULL DEFAULT 'pending',
	platform        TEXT COLLATE "C" NOT NULL,
	priority_dest   INTEGER NOT NULL DEFAULT 0,
	priority        INTEGER NOT NULL DEFAULT 0,
	attempts        INTEGER NOT NULL DEFAULT 0,
	not_before      TEXT COLLATE "C" NOT NULL DEFAULT '',
	message_id      TEXT NOT NULL DEFAULT '',
	nonce           TEXT NOT NULL DEFAULT '',
	sent_at         TEXT COLLATE "C" NOT NULL DEFAULT '',
	last_error      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX deliveries_ready ON deliveries (platform, priority_dest DESC, priority DESC, id)
	WHERE status = 'pending' AND not_before = '';
CREATE INDEX deliveries_waiting ON deliveries (not_before) WHERE status = 'pending' AND not_before != '';
CREATE INDEX deliveries_sending ON deliveries (id) WHERE status = 'sending';
CREATE INDEX deliveries_post ON deliveries (post_id);

CREATE TABLE crs_sessions (
	platform   TEXT COLLATE "C" NOT NULL,
	user_id    TEXT COLLATE "C" NOT NULL,
	answers    TEXT NOT NULL,
	expires_at TEXT COLLATE "C" NOT NULL,
	PRIMARY KEY (platform, user_id)
);
CREATE INDEX crs_sessions_expiry ON crs_sessions (expires_at);

CREATE TABLE crs_profiles (
	platform TEXT COLLATE "C" NOT NULL,
	user_id  TEXT COLLATE "C" NOT NULL,
	profile  TEXT NOT NULL,
	score    INTEGER NOT NULL,
	saved_at TEXT COLLATE "C" NOT NULL,
	PRIMARY KEY (platform, user_id)
);

-- What the caches of every replica are keyed on: n moves with each commit
-- that changes draws or meta, ref with reference data. Triggers move them
-- in the writing transaction, so a replica that reads the row before its
-- query never keeps what it read as newer than it is.
CREATE TABLE store_version (
	one INTEGER PRIMARY KEY CHECK (one = 1),
	n   BIGINT NOT NULL,
	ref BIGINT NOT NULL
);
INSERT INTO store_version VALUES (1, 1, 1);
CREATE FUNCTION store_version_n() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN UPDATE store_version SET n = n + 1; RETURN NULL; END $$;
CREATE FUNCTION store_version_ref() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN UPDATE store_version SET ref = ref + 1; RETURN NULL; END $$;
CREATE TRIGGER draws_version AFTER INSERT OR UPDATE OR DELETE ON draws FOR EACH STATEMENT EXECUTE FUNCTION store_version_n();
CREATE TRIGGER pool_bands_version AFTER INSERT OR UPDATE OR DELETE ON pool_bands FOR EACH STATEMENT EXECUTE FUNCTION store_version_n();
CREATE TRIGGER meta_version AFTER INSERT OR UPDATE OR DELETE ON meta FOR EACH STATEMENT EXECUTE FUNCTION store_version_n();
CREATE TRIGGER category_versions_version AFTER INSERT OR UPDATE OR DELETE ON category_versions FOR EACH STATEMENT EXECUTE FUNCTION store_version_ref();
CREATE TRIGGER category_noc_version AFTER INSERT OR UPDATE OR DELETE ON category_noc FOR EACH STATEMENT EXECUTE FUNCTION store_version_ref();
CREATE TRIGGER noc_version AFTER INSERT OR UPDATE OR DELETE ON noc FOR EACH STATEMENT EXECUTE FUNCTION store_version_ref();
CREATE TRIGGER pnp_version AFTER INSERT OR UPDATE OR DELETE ON pnp_draws FOR EACH STATEMENT EXECUTE FUNCTION store_version_ref();
CREATE TRIGGER round_names_version AFTER INSERT OR UPDATE OR DELETE ON round_names_fr FOR EACH STATEMENT EXECUTE FUNCTION store_version_ref();
