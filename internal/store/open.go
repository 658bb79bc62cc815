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

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver
)

// migrations holds each engine's schema changes: migrations/ for SQLite,
// migrations_pg/ for Postgres, numbered alike from 0012 on (Postgres
// starts from one schema equal to SQLite's 0001 to 0011).
//
//go:embed migrations/*.sql migrations_pg/*.sql
var migrations embed.FS

// DB is the implementation of domain.Store, on SQLite or Postgres.
type DB struct {
	w   *sql.DB // the one writer; _txlock=immediate so read-then-write never hits SQLITE_BUSY
	r   *sql.DB // readers; the same handle as w for :memory:
	log *slog.Logger
	// d is the engine's SQL where it differs (dialect.go).
	d dialect
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
	// holder names this process in the outbox's claims, and claimLease is
	// how long a claim holds before another replica may take it back
	// (WithHolder, WithClaimLease).
	holder     string
	claimLease time.Duration
}

// DefaultClaimLease is how long a claimed delivery stays this replica's
// before another may take it back: far longer than a batch takes to post
// (a claim is at most a few hundred posts, under a minute at the
// platforms' rates), so a live replica's claims are never taken.
const DefaultClaimLease = 5 * time.Minute

// WithHolder names this process in its claims (the replica id): a replica
// restarted under the same name takes back its own claims at once.
func WithHolder(id string) Option { return func(db *DB) { db.holder = id } }

// WithClaimLease sets how long a claim holds (DefaultClaimLease).
func WithClaimLease(d time.Duration) Option { return func(db *DB) { db.claimLease = d } }

// defaultHolder names a process that was given no replica id.
func defaultHolder() string {
	host, _ := os.Hostname()
	return fmt.Sprintf("%s-%d", host, os.Getpid())
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
	db := &DB{log: log, now: time.Now, checkTimeout: defaultCheckTimeout, resultCache: true,
		holder: defaultHolder(), claimLease: DefaultClaimLease}
	for _, o := range opts {
		o(db)
	}
	if IsPostgresURL(path) {
		return db.openPostgres(ctx, path)
	}
	pragmas := "_pragma=busy_timeout(5000)&_pragma=foreign_keys(1)&_txlock=immediate"
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
	return db.ready(ctx)
}

// ready applies the migrations and prepares the readers' statements.
func (db *DB) ready(ctx context.Context) (*DB, error) {
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	rd, err := prepareReads(ctx, db.r, db.d)
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
// transaction, in file-name order. On Postgres, replicas starting together
// take turns (lockTx), and the second finds the work done.
func (db *DB) migrate(ctx context.Context) error {
	err := db.tx(ctx, func(tx *sql.Tx) error {
		if err := db.lockTx(ctx, tx, lockMigrate); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY)`)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: migrations table: %w", err)
	}
	dir := "migrations"
	if db.d.pg {
		dir = "migrations_pg"
	}
	names, err := fs.Glob(migrations, dir+"/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		base := strings.TrimPrefix(name, dir+"/")
		v, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil {
			return fmt.Errorf("store: migration %s: bad version prefix", base)
		}
		body, err := migrations.ReadFile(name)
		if err != nil {
			return err
		}
		applied := false
		err = db.tx(ctx, func(tx *sql.Tx) error {
			if err := db.lockTx(ctx, tx, lockMigrate); err != nil {
				return err
			}
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = $1`, v).Scan(&n); err != nil || n > 0 {
				return err
			}
			applied = true
			if _, err := tx.ExecContext(ctx, string(body)); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version) VALUES ($1)`, v)
			return err
		})
		if err != nil {
			return fmt.Errorf("store: migration %s: %w", base, err)
		}
		if applied {
			db.log.Debug("applied migration", "file", base)
		}
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
