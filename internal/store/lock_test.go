package store_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/store"
	"github.com/eebot/eebot/internal/store/storetest"
)

// oneLine fails unless err is one line that names path and says each of want.
func oneLine(t *testing.T, err error, path string, want ...string) {
	t.Helper()
	msg := err.Error()
	if strings.ContainsAny(msg, "\r\n") {
		t.Errorf("the error is not one line: %q", msg)
	}
	for _, w := range append([]string{path}, want...) {
		if !strings.Contains(msg, w) {
			t.Errorf("the error does not say %q: %s", w, msg)
		}
	}
}

// A second instance on the same database file must not start: its
// start-up recovery would re-queue the posts the first one has claimed, and
// both would send them.
func TestOpenRefusesSecondInstance(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "bot.db")
	storetest.SeedFile(t, path)
	first, err := store.Open(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	if _, _, err := first.Subscribe(ctx, domain.Subscription{Platform: domain.Telegram, Destination: "-100"}); err != nil {
		t.Fatal(err)
	}
	if _, err := first.Announce(ctx, "437"); err != nil {
		t.Fatal(err)
	}
	claimed, err := first.ClaimDeliveries(ctx, domain.Telegram, 10, time.Now())
	if err != nil || len(claimed) != 1 {
		t.Fatalf("claimed %d, %v", len(claimed), err)
	}

	second, err := store.Open(ctx, path, nil)
	if err == nil {
		n, _ := second.RecoverSending(ctx)
		second.Close()
		t.Fatalf("a second Open of the file succeeded, and its recovery re-queued %d post(s) the first had claimed", n)
	}
	if !errors.Is(err, store.ErrInUse) {
		t.Errorf("err = %v, want ErrInUse", err)
	}
	oneLine(t, err, path, "another eebot", "stop")
	// Another name for the same file is the same file.
	link := filepath.Join(t.TempDir(), "link.db")
	if err := os.Symlink(path, link); err != nil {
		t.Fatal(err)
	}
	if db, err := store.Open(ctx, link, nil); !errors.Is(err, store.ErrInUse) {
		if err == nil {
			db.Close()
		}
		t.Errorf("open through a symbolic link: %v, want ErrInUse", err)
	}
	if counts, _ := first.OutboxCounts(ctx); counts["sending"] != 1 {
		t.Errorf("the first instance's claim was touched: %v", counts)
	}

	// Once the first has stopped, the file is free again.
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	third, err := store.Open(ctx, path, nil)
	if err != nil {
		t.Fatalf("open after the first closed: %v", err)
	}
	third.Close()
}

// Two in-memory databases are two databases: no lock between them.
func TestOpenMemoryTwice(t *testing.T) {
	ctx := context.Background()
	for range 2 {
		db, err := store.Open(ctx, ":memory:", nil)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
	}
}
