package store

import "database/sql"

// Reader is the store's read pool, for tests that read every table.
func Reader(db *DB) *sql.DB { return db.r }
