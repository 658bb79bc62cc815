-- Who claimed a delivery being sent, and until when the claim holds: a
-- dead replica's claims are taken back once their lease ends, never while
-- it may still be posting them.
ALTER TABLE deliveries ADD COLUMN claimed_by TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE deliveries ADD COLUMN lease_until TEXT COLLATE "C" NOT NULL DEFAULT '';
