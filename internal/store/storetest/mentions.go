package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
)

// Mentions reads every row of every table of a database (SQLite or
// Postgres) and returns
// "table: row" for each row where some column holds needle (a person's
// user ID, say): what /forget must leave empty.
func Mentions(tb testing.TB, db *sql.DB, needle string) []string {
	tb.Helper()
	ctx := context.Background()
	rows, err := db.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
	if err != nil { // Postgres
		rows, err = db.QueryContext(ctx, `SELECT table_name FROM information_schema.tables
			WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`)
	}
	if err != nil {
		tb.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			tb.Fatal(err)
		}
		tables = append(tables, name)
	}
	rows.Close()
	if len(tables) < 10 {
		tb.Fatalf("only %d tables: %v", len(tables), tables)
	}
	var found []string
	for _, table := range tables {
		rows, err := db.QueryContext(ctx, `SELECT * FROM "`+table+`"`)
		if err != nil {
			tb.Fatalf("%s: %v", table, err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				tb.Fatalf("%s: %v", table, err)
			}
			var line []string
			hit := false
			for i, v := range vals {
				s := fmt.Sprint(v)
				if b, ok := v.([]byte); ok {
					s = string(b)
				}
				hit = hit || strings.Contains(s, needle)
				line = append(line, cols[i]+"="+s)
			}
			if hit {
				found = append(found, table+": "+strings.Join(line, " "))
			}
		}
		if err := rows.Err(); err != nil {
			tb.Fatalf("%s: %v", table, err)
		}
		rows.Close()
	}
	return found
}
