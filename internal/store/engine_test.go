package store

import (
	"testing"

	"github.com/eebot/eebot/internal/pgtest"
)

// memoryOrPostgres is an empty database for in-package tests: in memory,
// or an empty Postgres database in the Postgres run (pgtest.Rerun).
func memoryOrPostgres(t testing.TB) string {
	if pgtest.OnPostgres() {
		return pgtest.Database(t)
	}
	return ":memory:"
}
