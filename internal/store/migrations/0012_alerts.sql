-- Personal draw alerts: a subscription whose destination is a person's
-- private chat (Telegram) or DM channel (Discord), set up by that person.
-- owner is their platform user ID ('' for a channel or group's
-- subscription): /alerts lists by it and /forget deletes by it. lang is
-- the language they set the alert up in, for its posts; a language chosen
-- for their private chat (language fr) comes first, as for a channel. Personal alerts have priority -1,
-- below every channel's, so a fan-out serves channels and groups first.
ALTER TABLE subscriptions ADD COLUMN owner TEXT NOT NULL DEFAULT '';
ALTER TABLE subscriptions ADD COLUMN lang TEXT NOT NULL DEFAULT '';
CREATE INDEX subscriptions_owner ON subscriptions (platform, owner) WHERE owner != '';
