package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"modernc.org/sqlite"
)

// Open refuses a database file this process cannot write, or one SQLite
// finds damaged, with one line naming the file and what to do, before
// anything is written into it.
var (
	ErrCorrupt  = errors.New("database damaged")
	ErrReadOnly = errors.New("database read-only")
)

// defaultCheckTimeout bounds quick_check at open. It reads every page once:
// 10 ms for the seeded 0.9 MB file, 0.12 s for 37 MB (20,000 subscriptions,
// 160,000 posts); a file that takes longer is likely on a failing disk.
const defaultCheckTimeout = 10 * time.Second

// WithCheckTimeout bounds the integrity check Open runs on a database file.
func WithCheckTimeout(d time.Duration) Option { return func(db *DB) { db.checkTimeout = d } }

// guardFile runs the checks Open makes before it lets SQLite write into the
// file at path, and returns the held lock.
func (db *DB) guardFile(ctx context.Context, path string) (*os.File, error) {
	if err := writable(path); err != nil {
		return nil, err
	}
	lock, err := acquire(path)
	if err != nil {
		return nil, err
	}
	if err := db.check(ctx, path); err != nil {
		release(lock)
		return nil, err
	}
	return lock, nil
}

// writable refuses, in words, a file or directory SQLite could not write
// (it reports that as "unable to open database file" or "attempt to write a
// readonly database" at some later statement). SQLite writes the file and
// creates its -wal and -shm companions in the same directory.
func writable(path string) error {
	dir := filepath.Dir(path)
	if err := canWrite(dir); err != nil {
		return fmt.Errorf("%w: cannot write in %s, the directory of %s where SQLite keeps its -wal and -shm files (%v); make it writable by this user, or point -db elsewhere",
			ErrReadOnly, dir, path, cause(err))
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := canWrite(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("%w: cannot write %s (%v); make it writable by this user, or point -db elsewhere", ErrReadOnly, p, cause(err))
		}
	}
	return nil
}

func isReadOnly(err error) bool {
	return errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.EROFS)
}

// cause is the system's reason without the path the message already names.
func cause(err error) error {
	if pe, ok := errors.AsType[*fs.PathError](err); ok {
		return pe.Err
	}
	return err
}

// check runs SQLite's quick_check over the file, bounded by checkTimeout,
// through a read-only connection that sets no pragma: a damaged file is
// refused before anything, even the switch to WAL, is written into it.
// quick_check reads every page and checks the b-trees (not that indexes
// match their tables, which would take far longer).
func (db *DB) check(ctx context.Context, path string) error {
	if fi, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) || err == nil && fi.Size() == 0 {
		return nil // a new database
	}
	cctx, cancel := context.WithTimeout(ctx, db.checkTimeout)
	defer cancel()
	start := time.Now()
	c, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		return fmt.Errorf("store: check %s: %w", path, err)
	}
	defer c.Close()
	var first string
	err = c.QueryRowContext(cctx, `PRAGMA quick_check(1)`).Scan(&first)
	switch {
	case err == nil && first == "ok":
		db.log.Debug("database checked", "path", path, "took", time.Since(start).Round(time.Millisecond))
		return nil
	case err == nil:
		return damaged(path, first)
	case ctx.Err() != nil:
		return ctx.Err()
	case cctx.Err() != nil:
		return fmt.Errorf("store: checking %s (SQLite quick_check) took longer than %s, so it was not opened and nothing was written to it; check the disk, or run sqlite3 %s 'PRAGMA quick_check' by hand",
			path, db.checkTimeout, path)
	}
	if se, ok := errors.AsType[*sqlite.Error](err); ok && (se.Code()&0xff == sqliteCorrupt || se.Code()&0xff == sqliteNotADB) {
		return damaged(path, se.Error())
	}
	return fmt.Errorf("store: check %s: %w", path, err)
}

// SQLite's primary result codes for a damaged file.
const (
	sqliteCorrupt = 11
	sqliteNotADB  = 26
)

func damaged(path, detail string) error {
	detail = strings.Join(strings.Fields(detail), " ")
	if r := []rune(detail); len(r) > 160 {
		detail = string(r[:160]) + "…"
	}
	return fmt.Errorf("%w: %s fails SQLite's check (%s) and was left untouched; restore it from a backup, or delete it and any -wal and -shm file next to it, and a fresh one is made from the embedded data (its subscriptions and chat settings are then lost)",
		ErrCorrupt, path, detail)
}
