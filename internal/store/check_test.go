package store_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/store"
	"github.com/eebot/eebot/internal/store/storetest"
)

func hashFile(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

// A damaged file is refused at open, with what to do, and left as it was:
// nothing is written into it.
func TestOpenRefusesDamagedFile(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "bot.db")
	storetest.SeedFile(t, path)
	storetest.Damage(t, path)
	before := hashFile(t, path)
	db, err := store.Open(ctx, path, nil)
	if err == nil {
		_, _, serr := db.Subscribe(ctx, domain.Subscription{Platform: domain.Telegram, Destination: "-100"})
		db.Close()
		t.Fatalf("a damaged file opened (a subscription written into it: %v)", serr)
	}
	if !errors.Is(err, store.ErrCorrupt) {
		t.Errorf("err = %v, want ErrCorrupt", err)
	}
	oneLine(t, err, path, "damaged", "restore", "delete")
	if hashFile(t, path) != before {
		t.Error("the damaged file was written to")
	}
	if b, err := os.ReadFile(path + "-wal"); err == nil && len(b) > 0 {
		t.Errorf("a write-ahead log of %d bytes was left next to the damaged file", len(b))
	}
	// The same file, whole, opens.
	storetest.SeedFile(t, path)
	db, err = store.Open(ctx, path, nil)
	if err != nil {
		t.Fatalf("the undamaged file: %v", err)
	}
	db.Close()
}

// Bytes that are not a database at all are refused the same way.
func TestOpenRefusesNotADatabase(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "bot.db")
	junk := bytes.Repeat([]byte("not a database "), 1000)
	if err := os.WriteFile(path, junk, 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(context.Background(), path, nil)
	if err == nil {
		db.Close()
		t.Fatal("a file of junk opened as a database")
	}
	if !errors.Is(err, store.ErrCorrupt) {
		t.Errorf("err = %v, want ErrCorrupt", err)
	}
	oneLine(t, err, path, "restore", "delete")
	if b, _ := os.ReadFile(path); !bytes.Equal(b, junk) {
		t.Error("the file was written to")
	}
}

// The check has a deadline: a file it could not finish checking in time is
// neither opened nor written.
func TestOpenCheckIsBounded(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "bot.db")
	storetest.SeedFile(t, path)
	before := hashFile(t, path)
	db, err := store.Open(ctx, path, nil, store.WithCheckTimeout(time.Nanosecond))
	if err == nil {
		db.Close()
		t.Fatal("opened without finishing the check")
	}
	oneLine(t, err, path, "took longer than 1ns", "quick_check")
	if hashFile(t, path) != before {
		t.Error("the file was written to")
	}
	// A new file has nothing to check.
	db, err = store.Open(ctx, filepath.Join(t.TempDir(), "new.db"), nil, store.WithCheckTimeout(time.Nanosecond))
	if err != nil {
		t.Fatalf("a new file: %v", err)
	}
	db.Close()
}

// A file left by a crash, with committed rows still in its -wal, passes the
// check, and those rows are there.
func TestOpenAfterCrash(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "bot.db")
	storetest.SeedFile(t, path)
	db, err := store.Open(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, _, err := db.Subscribe(ctx, domain.Subscription{Platform: domain.Telegram, Destination: "-100"}); err != nil {
		t.Fatal(err)
	}
	// The files as a crash now would leave them (a copy, as the lock would
	// keep a second Open off the original).
	crashed := filepath.Join(t.TempDir(), "bot.db")
	for _, suffix := range []string{"", "-wal", "-shm"} {
		b, err := os.ReadFile(path + suffix)
		if err != nil {
			t.Fatal(err)
		}
		if suffix == "-wal" && len(b) == 0 {
			t.Fatal("the write went straight into the database; this test needs it in the -wal")
		}
		if err := os.WriteFile(crashed+suffix, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	again, err := store.Open(ctx, crashed, nil)
	if err != nil {
		t.Fatalf("open after a crash: %v", err)
	}
	defer again.Close()
	if subs, err := again.Subscriptions(ctx, domain.Telegram, "-100"); err != nil || len(subs) != 1 {
		t.Errorf("the committed subscription: %v, %v", subs, err)
	}
}
