-- Destinations the operator configured to be served first (PRIORITY_DESTINATIONS).
CREATE TABLE priority_destinations (
	platform    TEXT NOT NULL,
	destination TEXT NOT NULL,
	PRIMARY KEY (platform, destination)
);
