package store

import (
	"context"
	"strings"
	"testing"
)

// An unreachable Postgres is one clear error that never shows the URL's
// password.
func TestPostgresErrorHidesPassword(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, "postgres://eebot:s3cret-pw@127.0.0.1:1/eebot?sslmode=disable&connect_timeout=2", nil)
	if err == nil {
		db.Close()
		t.Fatal("opened a database on port 1")
	}
	if msg := err.Error(); strings.Contains(msg, "s3cret-pw") || !strings.HasPrefix(msg, "store: postgres: ") {
		t.Fatalf("error %q", msg)
	}
}
