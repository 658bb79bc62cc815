// Package store keeps the bot's data in SQLite (modernc.org/sqlite, no cgo):
// one writer connection, a pool of readers, schema from embedded migrations.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

//go:embed migrations/*.sql
var migrations embed.FS

// DB is the SQLite implementation of domain.Store.
type DB struct {
	w   *sql.DB // the one writer; _txlock=immediate so read-then-write never hits SQLITE_BUSY
	r   *sql.DB // readers; the same handle as w for :memory:
	log *slog.Logger
	// queued is fired after each commit that queued deliveries (outbox.go).
	queued signal
	now    func() time.Time // stamps rows; the same clock as the rest of the bot
	// lock keeps a second process off a database file (lock.go); nil for
	// :memory:, which no one else can open.
	lock         *os.File
	checkTimeout time.Duration // bounds the check of a file at open (check.go)
	// rd are the readers' statements, prepared at Open (stmts.go).
	rd *reads
	// changes counts the commits that change draws, meta or reference
	// data, for the caches built on them (stmts.go).
	changes changes
	// resultCache keeps small results of Draws and LatestDraws until the
	// next write (WithoutResultCache).
	resultCache bool
}

// cacheSize is each file connection's PRAGMA cache_size: 256 KiB of pages
// (SQLite's default is 2 MiB). The allocator under this SQLite
// (modernc.org/memory) keeps what SQLite frees for reuse instead of
// returning it to the OS, so a cache's memory stays resident once filled:
// seeding a new database filled the writer's, and a burst of questions
// every reader's, about 2 MB more resident each time. The file is a few MB
// and a miss is read from the OS's page cache. (A :memory: database lives
// in its page cache: it is not bounded.)
const cacheSize = -256

// Option configures a DB.
type Option func(*DB)

// WithClock sets the clock that stamps rows (tests pin it).
func WithClock(now func() time.Time) Option { return func(db *DB) { db.now = now } }

// WithoutResultCache makes every Draws and LatestDraws read the database,
// for benchmarks of the queries themselves.
func WithoutResultCache() Option { return func(db *DB) { db.resultCache = false } }

// Open opens (creating if needed) the database at path, or a private
// in-memory database for ":memory:", and applies pending migrations.
//
// A file is held, until Close, by this DB alone: Open refuses it (ErrInUse)
// while another DB, in this process or another, has it open. Open also
// refuses a file it could not write (ErrReadOnly) and one SQLite's
// quick_check finds damaged (ErrCorrupt), before writing anything into it.
func Open(ctx context.Context, path string, log *slog.Logger, opts ...Option) (*DB, error) {
	if log == nil {
		log = slog.Default()
	}
	if path == "" {
		return nil, errors.New("store: empty database path")
	}
	pragmas := "_pragma=busy_timeout(5000)&_pragma=foreign_keys(1)&_txlock=immediate"
	db := &DB{log: log, now: time.Now, checkTimeout: defaultCheckTimeout, resultCache: true}
	for _, o := range opts {
		o(db)
	}
	if path == ":memory:" {
		// Every connection to :memory: is a separate database, so use one.
		w, err := sql.Open("sqlite", "file::memory:?"+pragmas)
		if err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
		w.SetMaxOpenConns(1)
		w.SetConnMaxLifetime(0)
		w.SetConnMaxIdleTime(0)
		db.w, db.r = w, w
	} else {
		lock, err := db.guardFile(ctx, path)
		if err != nil {
			return nil, err
		}
		db.lock = lock
		u := "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + pragmas +
			"&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)" + fmt.Sprintf("&_pragma=cache_size(%d)", cacheSize)
		w, err := sql.Open("sqlite", u)
		if err != nil {
			release(lock)
			return nil, fmt.Errorf("store: %w", err)
		}
		w.SetMaxOpenConns(1)
		r, err := sql.Open("sqlite", u+"&_pragma=query_only(1)")
		if err != nil {
			w.Close()
			release(lock)
			return nil, fmt.Errorf("store: %w", err)
		}
		r.SetMaxOpenConns(4)
		db.w, db.r = w, r
	}
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	rd, err := prepareReads(ctx, db.r)
	if err != nil {
		db.Close()
		return nil, err
	}
	db.rd = rd
	return db, nil
}

// Close closes both pools, then lets the file go to the next process.
func (db *DB) Close() error {
	var err error
	if db.rd != nil {
		err = db.rd.close()
	}
	err = errors.Join(err, db.w.Close())
	if db.r != db.w {
		err = errors.Join(err, db.r.Close())
	}
	if db.lock != nil {
		err = errors.Join(err, release(db.lock))
	}
	return err
}

// migrate applies the embedded migrations not yet recorded, each in its own
// transaction, in file-name order.
func (db *DB) migrate(ctx context.Context) error {
	if _, err := db.w.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY)`); err != nil {
		return fmt.Errorf("store: migrations table: %w", err)
	}
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		base := strings.TrimPrefix(name, "migrations/")
		v, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil {
			return fmt.Errorf("store: migration %s: bad version prefix", base)
		}
		var n int
		if err := db.w.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = $1`, v).Scan(&n); err != nil {
			return fmt.Errorf("store: %w", err)
		}
		if n > 0 {
			continue
		}
		body, err := migrations.ReadFile(name)
		if err != nil {
			return err
		}
		err = db.tx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, string(body)); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version) VALUES ($1)`, v)
			return err
		})
		if err != nil {
			return fmt.Errorf("store: migration %s: %w", base, err)
		}
		db.log.Debug("applied migration", "file", base)
	}
	return nil
}

// tx runs fn in a write transaction, committing only when it returns nil.
func (db *DB) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}
