-- Personal draw alerts (Postgres): see migrations/0012_alerts.sql. A
-- personal alert is a subscriptions row with owner set (the person's
-- platform user ID) and priority -1; lang is the language of its posts.
ALTER TABLE subscriptions ADD COLUMN owner TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE subscriptions ADD COLUMN lang TEXT NOT NULL DEFAULT '';
CREATE INDEX subscriptions_owner ON subscriptions (platform, owner) WHERE owner <> '';
