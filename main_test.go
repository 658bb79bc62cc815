package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eebot/eebot/internal/config"
	"github.com/eebot/eebot/internal/poll"
	"github.com/eebot/eebot/internal/store/storetest"
	"github.com/eebot/eebot/internal/testlog"
)

// env is the environment a test run sees: never the live feed.
func env(m map[string]string) func(string) string {
	return func(k string) string {
		if k == "NO_POLL" && m[k] == "" && m["IRCC_FEED_URL"] == "" {
			return "1"
		}
		return m[k]
	}
}

func TestRunAsk(t *testing.T) {
	// run seeds the in-memory database it opens; start it seeded, so each
	// case skips that (TestRunConsole covers seeding a fresh database).
	storetest.SeedMemory(t)
	tests := []struct {
		args   []string
		env    map[string]string
		code   int
		stdout string
		stderr string
	}{
		{[]string{"ask", "last", "healthcare", "cutoff"}, map[string]string{"DB_PATH": ":memory:"}, 0, "Healthcare: CRS 475", ""},
		{[]string{"-lang", "fr", "ask", "cutoff healthcare"}, map[string]string{"DB_PATH": ":memory:"}, 0, "Santé\u00a0: SCG 475", ""},
		{[]string{"ask", "cutoff healthcare"}, map[string]string{"DB_PATH": ":memory:", "LANG": "fr_CA.UTF-8"}, 0, "Santé\u00a0: SCG 475", ""},
		{[]string{"-db", ":memory:", "ask", "is 33109 eligible"}, nil, 0, "❌ NOC 33109 is not on a current category list", ""},
		{[]string{"ask", "eligible abc"}, map[string]string{"DB_PATH": ":memory:"}, 2, "No NOC 2021 unit group matches “abc”", ""},
		{[]string{"ask"}, map[string]string{"DB_PATH": ":memory:"}, 2, "", "ask needs a question"},
		{[]string{"frobnicate"}, map[string]string{"DB_PATH": ":memory:"}, 2, "", `unknown command "frobnicate"`},
		{nil, map[string]string{"LOG_LEVEL": "loud"}, 2, "", "eebot: config: LOG_LEVEL \"loud\": use debug, info, warn or error\n"},
		{nil, map[string]string{"TELEGRAM_API_ENDPOINT": "https://example.org/bot"}, 2, "", "must contain two %s"},
		{nil, map[string]string{"DISCORD_API_URL": "discord"}, 2, "", "is not an http(s) URL"},
		{nil, map[string]string{"TELEGRAM_BOT_TOKEN": "secret token"}, 2, "", "contains whitespace"},
		{nil, map[string]string{"POLL_INTERVAL": "fast"}, 2, "", "POLL_INTERVAL"},
		{nil, map[string]string{"POST_GRACE": "soon"}, 2, "", "POST_GRACE \"soon\": use a duration of at least 1s"},
		{[]string{"ask", "cutoff healthcare"}, map[string]string{"DB_PATH": ":memory:", "OUTBOX_RETENTION": "45d"}, 0, "Healthcare: CRS 475", ""},
		{[]string{"-outbox-retention", "2160h", "ask", "cutoff healthcare"}, map[string]string{"DB_PATH": ":memory:"}, 0, "Healthcare: CRS 475", ""},
		{nil, map[string]string{"OUTBOX_RETENTION": "3d"}, 2, "", "OUTBOX_RETENTION \"3d\": use a number of days of at least 7, e.g. 30d"},
		{nil, map[string]string{"OUTBOX_RETENTION": "forever"}, 2, "", "OUTBOX_RETENTION \"forever\""},
		{nil, map[string]string{"BOT_ADMINS": "slack:1"}, 2, "", "BOT_ADMINS entry \"slack:1\": use discord:<id> or telegram:<id>"},
		{nil, map[string]string{"POST_TEMPLATE": "/nonexistent.tmpl"}, 2, "", "POST_TEMPLATE"},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			t.Chdir(t.TempDir())
			var out bytes.Buffer
			var errb testlog.Buffer // the log, written from several goroutines
			code := run(context.Background(), tc.args, strings.NewReader(""), &out, &errb, env(tc.env))
			if code != tc.code || !strings.Contains(out.String(), tc.stdout) || !strings.Contains(errb.String(), tc.stderr) {
				t.Errorf("code %d\nstdout: %s\nstderr: %s", code, out.String(), errb.String())
			}
			if strings.Contains(errb.String(), "secret") {
				t.Error("a token reached the log")
			}
			if tc.code == 2 && tc.stdout == "" && strings.Count(strings.TrimSpace(errb.String()), "\n") > 0 {
				t.Errorf("configuration error is not one line: %q", errb.String())
			}
		})
	}
}

// With no token the bot answers stdin on stdout, from a database file in the
// data directory that a second start reuses.
func TestRunConsole(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	for i := 0; i < 2; i++ {
		var out bytes.Buffer
		var errb testlog.Buffer // the banner, and the log from several goroutines
		code := run(context.Background(), nil, strings.NewReader("last french draw\n"), &out, &errb, env(map[string]string{"DATA_DIR": dir}))
		if code != 0 || !strings.Contains(out.String(), "French-language: CRS 382") {
			t.Fatalf("code %d\n%s\n%s", code, out.String(), errb.String())
		}
	}
	if m, _ := filepath.Glob(filepath.Join(dir, "eebot.db*")); len(m) == 0 {
		t.Error("no database file in the data directory")
	}
}

// A replica named by REPLICA_ID says so to IRCC, in a header value
// whatever the name holds; an unnamed one sends the default.
func TestUserAgentNamesReplica(t *testing.T) {
	for _, c := range []struct {
		id   string
		set  bool
		want string
	}{
		{"host-1", false, poll.DefaultUserAgent},
		{"r1", true, "eebot (Express Entry chat bot; polls every few minutes; replica r1)"},
		{"a(b)\nc", true, "eebot (Express Entry chat bot; polls every few minutes; replica a_b__c)"},
	} {
		if got := userAgent(config.Config{ReplicaID: c.id, ReplicaIDSet: c.set}); got != c.want {
			t.Errorf("%q: %q, want %q", c.id, got, c.want)
		}
	}
}
