package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// ErrInUse is Open's refusal of a database file another DB has open, in
// this process or another: two would each send the outbox's posts.
var ErrInUse = errors.New("database in use")

// errLocked is lockFile's answer when another open file holds the lock.
var errLocked = errors.New("locked")

// acquire takes the exclusive lock on the lock file next to the database,
// held until release (in Close), so one process at a time uses the file.
// The lock is the kernel's: it goes with the process, however it ends, so a
// crash leaves nothing to clean up. It is a file of its own because SQLite
// holds its own locks on the database, which must not be disturbed.
func acquire(path string) (*os.File, error) {
	name := lockName(path)
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o644)
	if isReadOnly(err) {
		return nil, fmt.Errorf("%w: cannot write %s (%v), the lock that keeps a second instance off %s; make it and its directory writable by this user",
			ErrReadOnly, name, cause(err), path)
	}
	if err != nil {
		return nil, fmt.Errorf("store: lock: %w", err)
	}
	if err := lockFile(f); err != nil {
		f.Close()
		if !errors.Is(err, errLocked) {
			return nil, fmt.Errorf("store: lock %s: %w", name, err)
		}
		holder := ""
		if b, _ := os.ReadFile(name); len(b) > 0 {
			if pid, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil {
				holder = fmt.Sprintf(" (pid %d)", pid)
			}
		}
		return nil, fmt.Errorf("%w: %s is open in another eebot process%s, which holds %s; stop that one first, or give this one its own database (-db)",
			ErrInUse, path, holder, name)
	}
	// Who holds it, for the next one's refusal; informative only.
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return f, nil
}

// lockName is the lock file of the database at path. SQLite follows a
// symbolic link to the database to name its -wal file; so does the lock, so
// two names for one database share one lock.
func lockName(path string) string {
	if p, err := filepath.EvalSymlinks(path); err == nil {
		path = p
	}
	return path + ".lock"
}

// release empties the lock file (no stale pid) and lets the lock go.
func release(f *os.File) error {
	f.Truncate(0)
	return f.Close()
}
