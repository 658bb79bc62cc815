// Package storetest opens in-memory stores seeded from the embedded data, for
// tests and benchmarks of every layer.
//
// Seeding parses the feed and writes a few thousand rows, which costs seconds
// under the race detector, so it is done once per test process: the first
// use seeds a template database and serializes it, and every Store after
// that deserializes a private copy of the template into its new in-memory
// connection. Each store is still independent of every other. SeedMemory
// and SeedFile hand the same copy to code that opens its own store.
package storetest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"modernc.org/sqlite"

	"github.com/eebot/eebot/data"
	"github.com/eebot/eebot/internal/dataset"
	"github.com/eebot/eebot/internal/pgtest"
	"github.com/eebot/eebot/internal/store"
)

// Now is the clock tests use: noon UTC on the day the embedded snapshot was saved.
func Now() time.Time { return time.Date(2026, 8, 20, 12, 0, 0, 0, time.UTC) }

// Store returns an in-memory store seeded from the embedded data (a
// Postgres one in the Postgres run of a package's tests: pgtest.Rerun).
func Store(tb testing.TB) *store.DB {
	tb.Helper()
	if pgtest.OnPostgres() {
		return Postgres(tb, 1)
	}
	return SQLite(tb)
}

// SQLite returns an in-memory SQLite store seeded from the embedded data,
// whichever engine the tests run on (to compare the two).
func SQLite(tb testing.TB) *store.DB {
	tb.Helper()
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	image, err := template1()
	if err != nil {
		tb.Fatal(err)
	}
	db, err := openImage(ctx, image, log)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	// A no-op when the copy arrived (the embedded files' checksum is stored
	// in it); a full seed if it did not, so the store is seeded either way.
	if err := dataset.Seed(ctx, db, data.Files, log); err != nil {
		tb.Fatal(err)
	}
	return db
}

// templates holds the serialized seeded database of each feed scale,
// built on first use.
var templates struct {
	mu sync.Mutex
	at map[int]*template
}

type template struct {
	once  sync.Once
	image []byte
	err   error
}

// imageAt returns the serialized database seeded from Files(scale),
// building it on first use.
func imageAt(scale int) ([]byte, error) {
	templates.mu.Lock()
	if templates.at == nil {
		templates.at = map[int]*template{}
	}
	t := templates.at[scale]
	if t == nil {
		t = &template{}
		templates.at[scale] = t
	}
	templates.mu.Unlock()
	t.once.Do(func() {
		fsys := fs.FS(data.Files)
		if scale != 1 {
			if fsys, t.err = Files(scale); t.err != nil {
				return
			}
		}
		t.image, t.err = buildTemplate(fsys)
	})
	return t.image, t.err
}

// The embedded data's template.
func template1() ([]byte, error) { return imageAt(1) }

// buildTemplate seeds a database file the way the bot does (store.Open and
// dataset.Seed), switches it from WAL to a rollback journal so an in-memory
// connection can take its bytes, and serializes it.
func buildTemplate(fsys fs.FS) ([]byte, error) {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "storetest")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "template.db")
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	db, err := store.Open(ctx, path, log)
	if err != nil {
		return nil, err
	}
	err = dataset.Seed(ctx, db, fsys, log)
	if err = errors.Join(err, db.Close()); err != nil {
		return nil, err
	}
	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		return nil, err
	}
	defer raw.Close()
	conn, err := raw.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `PRAGMA journal_mode=DELETE`); err != nil {
		return nil, err
	}
	var image []byte
	err = conn.Raw(func(dc any) error {
		s, ok := dc.(interface{ Serialize() ([]byte, error) })
		if !ok {
			return fmt.Errorf("storetest: driver connection %T cannot serialize", dc)
		}
		image, err = s.Serialize()
		return err
	})
	if err != nil {
		return nil, err
	}
	return image, nil
}

// restore hands the template to in-memory connections as the sqlite driver
// opens them. store.Open(":memory:") opens its one connection synchronously,
// in the caller's goroutine, for its migrations, so holding openMu across
// the call makes that connection the one that takes the copy.
var restore struct {
	openMu sync.Mutex // one openImage at a time
	mu     sync.Mutex
	next   []byte // taken (set to nil) by the next in-memory connection
	every  []byte // copied into every in-memory connection (SeedMemory)
}

// The driver reads its hooks without a lock, so the hook is registered
// before any test can open a connection.
func init() { sqlite.RegisterConnectionHook(restoreHook) }

func restoreHook(conn sqlite.ExecQuerierContext, dsn string) error {
	if !strings.HasPrefix(dsn, "file::memory:") {
		return nil
	}
	restore.mu.Lock()
	image := restore.next
	restore.next = nil
	if image == nil {
		image = restore.every
	}
	restore.mu.Unlock()
	if image == nil {
		return nil
	}
	d, ok := conn.(interface{ Deserialize([]byte) error })
	if !ok {
		return fmt.Errorf("storetest: driver connection %T cannot deserialize", conn)
	}
	return d.Deserialize(image) // copies image; the template stays untouched
}

// openImage opens an in-memory store holding a copy of image.
func openImage(ctx context.Context, image []byte, log *slog.Logger) (*store.DB, error) {
	restore.openMu.Lock()
	defer restore.openMu.Unlock()
	restore.mu.Lock()
	restore.next = image
	restore.mu.Unlock()
	defer func() {
		restore.mu.Lock()
		restore.next = nil
		restore.mu.Unlock()
	}()
	return store.Open(ctx, ":memory:", log)
}

// SeedMemory makes every in-memory database opened through the sqlite
// driver, until tb ends, start as a copy of the seeded database: for tests
// of code that opens and seeds its own store (main's run with DB_PATH
// ":memory:"), whose dataset.Seed then finds the embedded data loaded. It
// affects the whole process, so tb must not run in parallel with tests that
// open in-memory databases expecting them empty.
func SeedMemory(tb testing.TB) {
	tb.Helper()
	image, err := template1()
	if err != nil {
		tb.Fatal(err)
	}
	restore.mu.Lock()
	defer restore.mu.Unlock()
	if restore.every != nil {
		tb.Fatal("storetest: SeedMemory is already in effect")
	}
	restore.every = image
	tb.Cleanup(func() {
		restore.mu.Lock()
		restore.every = nil
		restore.mu.Unlock()
	})
}

// SeedFile writes a seeded database file at path, as store.Open and
// dataset.Seed would leave it, for tests of code that opens a database file
// itself; its dataset.Seed then finds the embedded data loaded.
func SeedFile(tb testing.TB, path string) {
	tb.Helper()
	image, err := template1()
	if err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(path, image, 0o600); err != nil {
		tb.Fatal(err)
	}
}

// Damage writes random bytes over the second half of the database file at
// path, the same bytes every time: a file SQLite opens but cannot fully read.
func Damage(tb testing.TB, path string) {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	r := rand.New(rand.NewPCG(10, 10))
	for i := len(b) / 2; i < len(b); i++ {
		b[i] = byte(r.Uint32())
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		tb.Fatal(err)
	}
}
