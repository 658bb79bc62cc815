package main

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/eebot/eebot/internal/config"
	"github.com/eebot/eebot/internal/store/storetest"
	"github.com/eebot/eebot/internal/testlog"
)

// /readyz fails each of its checks in turn, saying which in its JSON and
// with 503, and `eebot healthcheck` follows it: 0 when ready, 1 with one
// line naming what failed, 1 when nothing answers or HTTP_ADDR is unset.
func TestReadyzChecks(t *testing.T) {
	db := storetest.Store(t)
	addr := freeAddr(t)
	cfg := config.Config{HTTPAddr: addr, PollInterval: time.Second}
	o := newOps(cfg, db, slog.New(slog.NewTextHandler(&testlog.Buffer{}, nil)))
	o.newServer(db)
	var platformErr atomic.Pointer[error]
	o.ready("telegram", func() error {
		if e := platformErr.Load(); e != nil {
			return *e
		}
		return nil
	})
	if err := o.listen(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	wait := o.serve(ctx)
	defer func() { cancel(); wait() }()
	env := map[string]string{"HTTP_ADDR": addr}

	type readiness struct {
		Status string            `json:"status"`
		Failed []string          `json:"failed"`
		Checks map[string]string `json:"checks"`
	}
	check := func(name string, wantFailed []string, wantText string) {
		t.Helper()
		code, body := get(t, "http://"+addr+"/readyz")
		var rd readiness
		if err := json.Unmarshal([]byte(body), &rd); err != nil {
			t.Fatalf("%s: /readyz is not JSON: %s", name, body)
		}
		wantCode, wantStatus := http.StatusOK, "ready"
		if len(wantFailed) > 0 {
			wantCode, wantStatus = http.StatusServiceUnavailable, "not ready"
		}
		if code != wantCode || rd.Status != wantStatus || !slices.Equal(rd.Failed, wantFailed) || len(rd.Checks) != 3 {
			t.Errorf("%s: /readyz %d %s; want %d failing %v", name, code, body, wantCode, wantFailed)
		}
		for _, f := range wantFailed {
			if !strings.Contains(rd.Checks[f], wantText) {
				t.Errorf("%s: check %s says %q, want %q", name, f, rd.Checks[f], wantText)
			}
		}
		hc, out := healthcheckExit(env)
		if hc != 0 && len(wantFailed) == 0 || hc != 1 && len(wantFailed) > 0 {
			t.Errorf("%s: healthcheck exit %d %q", name, hc, out)
		}
		if len(wantFailed) > 0 && (!strings.Contains(out, "503 Service Unavailable: "+wantFailed[0]+": ") || strings.Count(out, "\n") != 1) {
			t.Errorf("%s: healthcheck said %q", name, out)
		}
	}
	check("all well", nil, "")

	o.feed.polled(time.Now().Add(-5*time.Minute), 2*time.Second)
	check("feed late", []string{"feed"}, "last feed poll 5m0s ago, want within 1m4s")
	o.feed.polled(time.Now(), 2*time.Second)
	check("feed back", nil, "")

	e := errors.New("getUpdates failing: 502 Bad Gateway")
	platformErr.Store(&e)
	check("platform down", []string{"telegram"}, "getUpdates failing")
	platformErr.Store(nil)

	db.Close()
	check("database closed", []string{"database"}, "database is closed")

	if code, out := healthcheckExit(map[string]string{"HTTP_ADDR": freeAddr(t)}); code != 1 || !strings.Contains(out, "connection refused") {
		t.Errorf("nothing listening: exit %d %q", code, out)
	}
	if code, out := healthcheckExit(map[string]string{}); code != 1 || out != "eebot: healthcheck: config: HTTP_ADDR is not set, so there is no /readyz to probe\n" {
		t.Errorf("no HTTP_ADDR: exit %d %q", code, out)
	}
	if code, out := healthcheckExit(map[string]string{"HTTP_ADDR": "8080"}); code != 1 || !strings.Contains(out, "HTTP_ADDR") {
		t.Errorf("bad HTTP_ADDR: exit %d %q, want 1 (Docker reserves 2)", code, out)
	}
}

// Before the first poll ends the feed check waits twice the interval from
// the start; after, twice the wait the poller chose (a back-off too); a
// minute more either way, for the poll itself.
func TestFeedWatch(t *testing.T) {
	t0 := time.Date(2026, 8, 20, 12, 0, 0, 0, time.UTC)
	f := &feedWatch{started: t0}
	if err := f.check(t0.Add(10*time.Minute+59*time.Second), 5*time.Minute); err != nil {
		t.Error(err)
	}
	if err := f.check(t0.Add(11*time.Minute+time.Second), 5*time.Minute); err == nil {
		t.Error("no poll for 11 min with a 5 min interval: ready")
	}
	f.polled(t0.Add(12*time.Minute), time.Hour) // rejected feed: backing off
	if err := f.check(t0.Add(130*time.Minute), 5*time.Minute); err != nil {
		t.Errorf("within twice a back-off: %v", err)
	}
	if err := f.check(t0.Add(134*time.Minute), 5*time.Minute); err == nil {
		t.Error("more than twice the back-off: ready")
	}
}

// The new settings are checked at start, each with one line.
func TestConfigServing(t *testing.T) {
	t.Parallel()
	key := strings.Repeat("ab", 32)
	tests := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"LOG_FORMAT": "xml"}, `LOG_FORMAT "xml": use text or json`},
		{map[string]string{"HTTP_ADDR": "8080"}, `HTTP_ADDR "8080": use host:port`},
		{map[string]string{"DISCORD_MODE": "webhook"}, `DISCORD_MODE "webhook": use gateway or http`},
		{map[string]string{"DISCORD_MODE": "http", "DISCORD_BOT_TOKEN": "x.y.z-token", "DISCORD_PUBLIC_KEY": key}, "DISCORD_MODE=http needs HTTP_ADDR"},
		{map[string]string{"DISCORD_MODE": "http", "DISCORD_BOT_TOKEN": "x.y.z-token", "HTTP_ADDR": ":0", "DISCORD_PUBLIC_KEY": "abc"}, "DISCORD_PUBLIC_KEY must be"},
		{map[string]string{"DISCORD_MODE": "http", "HTTP_ADDR": ":0", "DISCORD_PUBLIC_KEY": key}, "DISCORD_MODE=http needs DISCORD_BOT_TOKEN"},
		{map[string]string{"TELEGRAM_BOT_TOKEN": "1:abcdefgh", "TELEGRAM_WEBHOOK_URL": "https://bot.example/telegram/webhook", "TELEGRAM_WEBHOOK_SECRET": "abc"}, "TELEGRAM_WEBHOOK_URL needs HTTP_ADDR"},
		{map[string]string{"TELEGRAM_BOT_TOKEN": "1:abcdefgh", "TELEGRAM_WEBHOOK_URL": "https://bot.example/telegram/webhook", "HTTP_ADDR": ":0"}, "TELEGRAM_WEBHOOK_SECRET must be set"},
		{map[string]string{"TELEGRAM_BOT_TOKEN": "1:abcdefgh", "TELEGRAM_WEBHOOK_URL": "https://bot.example/telegram/webhook", "HTTP_ADDR": ":0", "TELEGRAM_WEBHOOK_SECRET": "a b"}, "TELEGRAM_WEBHOOK_SECRET must be set"},
		{map[string]string{"TELEGRAM_BOT_TOKEN": "1:abcdefgh", "TELEGRAM_WEBHOOK_URL": "ftp://x", "HTTP_ADDR": ":0", "TELEGRAM_WEBHOOK_SECRET": "abc"}, "TELEGRAM_WEBHOOK_URL \"ftp://x\" is not an http(s) URL"},
		{map[string]string{"TELEGRAM_WEBHOOK_URL": "https://bot.example/telegram/webhook"}, "TELEGRAM_WEBHOOK_URL needs TELEGRAM_BOT_TOKEN"},
	}
	for _, tc := range tests {
		_, _, err := config.Load(nil, func(k string) string { return tc.env[k] }, &strings.Builder{})
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%v: %v, want one line with %q", tc.env, err, tc.want)
		}
	}
	ok := map[string]string{"DISCORD_MODE": "http", "DISCORD_BOT_TOKEN": "x.y.z-token", "HTTP_ADDR": ":8080", "DISCORD_PUBLIC_KEY": key,
		"TELEGRAM_BOT_TOKEN": "1:abcdefgh", "TELEGRAM_WEBHOOK_URL": "https://bot.example/telegram/webhook", "TELEGRAM_WEBHOOK_SECRET": "abc_DEF-123",
		"LOG_FORMAT": "json"}
	c, _, err := config.Load(nil, func(k string) string { return ok[k] }, &strings.Builder{})
	if err != nil {
		t.Fatal(err)
	}
	if u, _ := c.ProbeURL(); u != "http://127.0.0.1:8080/readyz" {
		t.Errorf("probe URL %s", u)
	}
}
