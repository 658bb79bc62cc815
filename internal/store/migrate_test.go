package store

import (
	"context"
	"database/sql"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/eebot/eebot/internal/domain"
)

// TestMigrateOutbox: a database whose outbox was written before 0010 keeps
// every delivery through the migration: status, attempts, nonce and
// message, grouped into posts, with the claim's keys filled in; what was
// pending is claimed in the old order, what was sent is not queued again.
func TestMigrateOutbox(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := t.TempDir() + "/old.db"
	raw, err := sql.Open("sqlite", "file:"+path+"?_pragma=foreign_keys(1)")
	if err != nil {
		t.Fatal(err)
	}
	// The schema as it was before 0010, as migrate would have left it.
	names, _ := fs.Glob(migrations, "migrations/*.sql")
	sort.Strings(names)
	if _, err := raw.Exec(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		v, _ := strconv.Atoi(strings.SplitN(strings.TrimPrefix(name, "migrations/"), "_", 2)[0])
		if v >= 10 {
			continue
		}
		body, _ := migrations.ReadFile(name)
		if _, err := raw.Exec(string(body)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		raw.Exec(`INSERT INTO schema_migrations (version) VALUES ($1)`, v)
	}
	for _, q := range []string{
		`INSERT INTO draws (number, seq, date, name, category, kind, size, crs, url, source, updated_at)
			VALUES ('437', 437, '2026-08-19', 'x', 'cec', 'program', 3000, 510, 'u', 'feed', '2026-08-19T12:00:00Z')`,
		`INSERT INTO subscriptions (id, platform, destination, priority, created_at) VALUES
			(1, 'discord', 'a', 0, 'x'), (2, 'discord', 'vip', 0, 'x'), (3, 'telegram', 't', 2, 'x')`,
		`INSERT INTO priority_destinations VALUES ('discord', 'vip')`,
		`INSERT INTO deliveries (id, subscription_id, draw_number, kind, revision, status, attempts, not_before, message_id, nonce, created_at, sent_at, before) VALUES
			(10, 1, '437', 'new', '', 'sent', 1, '', 'm1', 'n10', '2026-08-19T12:00:00Z', '2026-08-19T12:00:01Z', ''),
			(11, 2, '437', 'new', '', 'sending', 1, '', '', 'n11', '2026-08-19T12:00:00Z', '', ''),
			(12, 3, '437', 'new', '', 'pending', 2, '2026-08-19T13:00:00Z', '', 'n12', '2026-08-19T12:00:00Z', '2026-08-19T12:00:05Z', ''),
			(13, 1, '437', 'correction', '2026-08-19T14:00:00Z', 'pending', 0, '', '', 'n13', '2026-08-19T14:00:00Z', '', 'crs=509')`,
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()

	db, err := Open(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var posts int
	db.w.QueryRow(`SELECT count(*) FROM posts`).Scan(&posts)
	if c, _ := db.OutboxCounts(ctx); posts != 2 || c["sent"] != 1 || c["sending"] != 1 || c["pending"] != 2 {
		t.Fatalf("after the migration: %d posts, outbox %v", posts, c)
	}
	if n, _ := db.RecoverSending(ctx); n != 1 {
		t.Fatalf("recovered %d", n)
	}
	now := time.Date(2026, 8, 20, 0, 0, 0, 0, time.UTC)
	ds, err := db.ClaimDeliveries(ctx, domain.Discord, 10, now)
	if err != nil || len(ds) != 2 || ds[0].ID != 11 || ds[0].Nonce != "n11" || ds[0].Attempts != 2 ||
		ds[1].ID != 13 || ds[1].Kind != domain.PostCorrection || ds[1].Before != "crs=509" {
		t.Fatalf("discord claim = %+v, %v", ds, err)
	}
	ds, err = db.ClaimDeliveries(ctx, domain.Telegram, 10, now)
	if err != nil || len(ds) != 1 || ds[0].ID != 12 || !ds[0].MaybeSent || ds[0].Nonce != "n12" || ds[0].Number != "437" {
		t.Fatalf("telegram claim = %+v, %v", ds, err)
	}
	// The new-draw post was made: it is not queued again.
	err = db.tx(ctx, func(tx *sql.Tx) error {
		d, _ := db.Draw(ctx, "437")
		n, err := enqueue(ctx, tx, db.d, d, domain.PostNew, "", "2026-08-20T00:00:00Z")
		if n != 0 {
			t.Errorf("queued %d new-draw posts again", n)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
