package store_test

import (
	"os"
	"testing"

	"github.com/eebot/eebot/internal/pgtest"
)

// TestMain runs the package's tests on SQLite, then again on Postgres when
// TEST_DATABASE_URL names a server: one suite, both engines.
func TestMain(m *testing.M) { os.Exit(pgtest.Rerun(m)) }
