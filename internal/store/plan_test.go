package store

import (
	"context"
	"strings"
	"testing"
)

// TestOutboxPlans: the outbox's hot statements read what they need through
// an index, whatever the outbox holds: no sort (a temp B-tree) and no scan
// of the deliveries table. Their cost is what the outbox benchmarks
// measure; this keeps a query rewrite from making it grow with the queue.
func TestOutboxPlans(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := Open(ctx, ":memory:", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for name, c := range map[string]struct {
		sql  string
		args []any
		want []string // each in some line of the plan
	}{
		"promote":    {promoteSQL, []any{"2026-08-20T12:00:00Z"}, []string{"SEARCH deliveries USING INDEX deliveries_waiting"}},
		"claim":      {claimSQL(dialect{}), []any{"telegram", 128}, []string{"SEARCH d USING INDEX deliveries_ready (platform=?)", "SEARCH p USING INTEGER PRIMARY KEY"}},
		"fan-out":    {fanOutSQL + `s.max_crs = 0 ORDER BY s.id`, []any{1}, []string{"SCAN s"}},
		"plain":      {fanOutPlainSQL + `s.max_crs = 0 ORDER BY s.id`, []any{1}, []string{"SCAN s"}},
		"correction": {fanOutSQL + correctionFilter + ` ORDER BY s.id`, []any{1, "437"}, []string{"SEARCH x USING INTEGER PRIMARY KEY (rowid>? AND rowid<?)"}},
		"mark sent":  {markSentSQL(dialect{}), []any{`[{"i":1,"m":"x"}]`, "2026-08-20T12:00:00Z"}, []string{"SEARCH deliveries USING INTEGER PRIMARY KEY (rowid=?)"}},
		"recover":    {`UPDATE deliveries SET status='pending' WHERE status='sending'`, nil, []string{"SCAN deliveries USING INDEX deliveries_sending"}},
	} {
		rows, err := db.w.QueryContext(ctx, "EXPLAIN QUERY PLAN "+c.sql, c.args...)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		all := strings.Join(plan, "\n")
		t.Logf("%s:\n%s", name, all)
		if strings.Contains(all, "TEMP B-TREE") || strings.Contains(all, "SCAN deliveries\n") || strings.HasSuffix(all, "SCAN deliveries") ||
			strings.Contains(all, "SCAN d\n") || strings.Contains(all, "SCAN x") {
			t.Errorf("%s sorts or reads the whole outbox:\n%s", name, all)
		}
		for _, w := range c.want {
			if !strings.Contains(all, w) {
				t.Errorf("%s: plan lacks %q:\n%s", name, w, all)
			}
		}
	}
}

// The fan-out's look at the outbox before its insert reads one row.
func TestFanOutMaxIDPlan(t *testing.T) {
	t.Parallel()
	db, err := Open(context.Background(), ":memory:", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{fanOutLastSQL, `SELECT coalesce(max(id), 0) FROM deliveries`} {
		rows, err := db.w.Query("EXPLAIN QUERY PLAN " + q)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var a, b, c int
			var d string
			rows.Scan(&a, &b, &c, &d)
			if strings.HasPrefix(d, "SCAN deliveries") {
				t.Errorf("%s: %s", q, d)
			}
		}
		rows.Close()
	}
}
