-- Who claimed a delivery being sent, and until when the claim holds:
-- with several replicas on one Postgres, a dead replica's claims are taken
-- back once their lease ends, never while it may still be posting them.
ALTER TABLE deliveries ADD COLUMN claimed_by TEXT NOT NULL DEFAULT '';
ALTER TABLE deliveries ADD COLUMN lease_until TEXT NOT NULL DEFAULT '';
