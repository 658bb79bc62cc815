-- The official French name of each round type, by its English drawName
-- (data/ircc/draw_names_fr.csv), for French answers and posts.
CREATE TABLE round_names_fr (
	name_en TEXT PRIMARY KEY,
	name_fr TEXT NOT NULL
);
