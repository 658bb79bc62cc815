package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"strings"
	"sync/atomic"
)

// IsPostgresURL reports whether a database setting names a Postgres
// database (postgres:// or postgresql://) rather than a SQLite file.
func IsPostgresURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// openPostgres opens a Postgres database through pgx. Any number of
// replicas may share it: nothing is locked at open, migrations take turns,
// and the caches follow a version row every replica's writes move.
//
// One writer connection per process keeps this process's writes in the
// order SQLite gives them; other replicas' writes interleave, and the
// statements that must not race with them say how they don't (claims skip
// locked rows; fan-outs and leases are single statements or keyed rows).
func (db *DB) openPostgres(ctx context.Context, dsn string) (*DB, error) {
	db.d = dialect{pg: true}
	w, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	w.SetMaxOpenConns(1)
	r, err := sql.Open("pgx", dsn)
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("store: %w", err)
	}
	r.SetMaxOpenConns(8)
	r.SetMaxIdleConns(8)
	db.w, db.r = w, r
	if err := w.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: postgres: %s", redactURL(err.Error(), dsn))
	}
	return db.ready(ctx)
}

// redactURL keeps the password of dsn out of an error message.
func redactURL(msg, dsn string) string {
	if u, err := url.Parse(dsn); err == nil {
		if pw, ok := u.User.Password(); ok && pw != "" {
			msg = strings.ReplaceAll(msg, pw, "***")
		}
	}
	return msg
}

// Locks that transactions take on Postgres so replicas take turns: a
// transaction-level advisory lock, released at commit or rollback, so it
// never outlives its transaction on a pooled connection.
const (
	lockMigrate   = 0x65656201 // applying migrations
	lockReference = 0x65656202 // replacing the reference data
	lockDraws     = 0x65656203 // saving draws and queueing their posts
)

// lockTx makes tx wait for, then hold until it ends, the lock named key
// (Postgres); SQLite's one writer already runs one transaction at a time.
func (db *DB) lockTx(ctx context.Context, tx *sql.Tx, key int64) error {
	if !db.d.pg {
		return nil
	}
	_, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, key)
	return err
}

// sync brings the cache counters (changes) up to the database's version
// row on Postgres, where other replicas write too: called before each
// cached read, so a value is never kept as read at a newer version than
// it was. On SQLite only this DB writes, and its commits move them.
func (db *DB) sync(ctx context.Context) {
	if !db.d.pg {
		return
	}
	var n, ref uint64
	if err := db.r.QueryRowContext(ctx, `SELECT n, ref FROM store_version`).Scan(&n, &ref); err != nil {
		// Unknown: a count no value was read at, so nothing cached is
		// trusted (the low bits count failures, the high the version).
		db.changes.n.Add(1)
		db.changes.ref.Add(1)
		return
	}
	raise(&db.changes.n, n<<versionShift)
	raise(&db.changes.ref, ref<<versionShift)
}

// versionShift leaves room below a version for sync's failure counts.
const versionShift = 16

// raise sets c to v unless it is already at or past it.
func raise(c *atomic.Uint64, v uint64) {
	for {
		old := c.Load()
		if old >= v || c.CompareAndSwap(old, v) {
			return
		}
	}
}
