package store

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// leaseLayout stamps lease expiries: RFC 3339 in UTC with a fixed number
// of fraction digits, so that comparing two stamps as text (in SQL, on
// either engine) compares the times.
const leaseLayout = "2006-01-02T15:04:05.000000000Z"

// AcquireLease takes the lease name for holder, or renews it, until ttl
// from now: it succeeds when nobody holds it, when its holder let it
// expire, or when holder holds it already. Either way it reports who holds
// the lease after the attempt and until when: held is true when that is
// holder.
//
// It is one statement (an upsert that keeps the row when someone else
// holds it unexpired), so two replicas racing for a free lease cannot both
// win, on SQLite or Postgres.
//
// "Now" is this process's clock (WithClock), not the database server's:
// the replicas' clocks must agree to well under ttl (NTP does), or one
// could take a lease that its holder still counts as its own.
func (db *DB) AcquireLease(ctx context.Context, name, holder string, ttl time.Duration) (held bool, leader string, until time.Time, err error) {
	if name == "" || holder == "" {
		return false, "", time.Time{}, errors.New("store: acquire lease: empty name or holder")
	}
	if ttl <= 0 {
		return false, "", time.Time{}, errors.New("store: acquire lease: ttl must be positive")
	}
	now := db.now().UTC()
	var expires string
	// The SET expressions all see the row as it was, so both CASEs decide
	// on the same holder and expiry.
	err = db.w.QueryRowContext(ctx, `INSERT INTO leases (name, holder, expires_at) VALUES ($1, $2, $3)
		ON CONFLICT (name) DO UPDATE SET
			holder = CASE WHEN leases.holder = excluded.holder OR leases.expires_at <= $4
				THEN excluded.holder ELSE leases.holder END,
			expires_at = CASE WHEN leases.holder = excluded.holder OR leases.expires_at <= $4
				THEN excluded.expires_at ELSE leases.expires_at END
		RETURNING holder, expires_at`,
		name, holder, now.Add(ttl).Format(leaseLayout), now.Format(leaseLayout)).Scan(&leader, &expires)
	if err != nil {
		return false, "", time.Time{}, fmt.Errorf("store: acquire lease %s: %w", name, err)
	}
	until, err = time.Parse(leaseLayout, expires)
	if err != nil {
		return false, "", time.Time{}, fmt.Errorf("store: acquire lease %s: expiry %q: %w", name, expires, err)
	}
	return leader == holder, leader, until, nil
}

// ReleaseLease gives up the lease name if holder holds it, so another
// replica may take it at once instead of waiting for it to expire. It is
// a no-op when someone else holds it.
func (db *DB) ReleaseLease(ctx context.Context, name, holder string) error {
	if _, err := db.w.ExecContext(ctx, `DELETE FROM leases WHERE name = $1 AND holder = $2`, name, holder); err != nil {
		return fmt.Errorf("store: release lease %s: %w", name, err)
	}
	return nil
}
