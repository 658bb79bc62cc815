package main

import (
	"bytes"
	"context"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/eebot/eebot/bot/telegram/faketelegram"
	"github.com/eebot/eebot/internal/store/storetest"
)

// A second bot started on the same database while the first runs exits 1
// with one line, before it reaches any platform: it would re-send the posts
// the first has claimed, and the two would take turns at Telegram's
// getUpdates. Once the first has stopped, the database is free.
func TestRunRefusesSecondInstance(t *testing.T) {
	t.Parallel()
	e := newE2E(t)
	stop := e.start()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := e.tg.Wait(ctx, func(v faketelegram.View) bool { return v.Polling() > 0 }); err != nil {
		t.Fatalf("the first bot is not polling Telegram: %v\n%s", err, e.logs.String())
	}

	other := faketelegram.New() // the second bot's Telegram, to see it untouched
	defer other.Close()
	env2 := maps.Clone(e.env)
	env2["TELEGRAM_BOT_TOKEN"], env2["TELEGRAM_API_ENDPOINT"] = other.Token(), other.Endpoint()
	var out, errb bytes.Buffer
	code := run(ctx, nil, strings.NewReader(""), &out, &errb, env(env2))
	want := "eebot: database in use: " + e.env["DB_PATH"] + " is open in another eebot process"
	if code != 1 || out.Len() != 0 || !strings.HasPrefix(errb.String(), want) || strings.Count(errb.String(), "\n") != 1 {
		t.Errorf("second start: exit %d, stdout %q, stderr %q; want exit 1 and one line starting %q", code, out.String(), errb.String(), want)
	}
	if n := len(other.Calls("")); n > 0 {
		t.Errorf("the second bot made %d Telegram calls", n)
	}

	if code := stop(); code != 0 {
		t.Fatalf("the first bot: exit %d\n%s", code, e.logs.String())
	}
	stop = e.start()
	e.nextPoll() // the next start runs
	if code := stop(); code != 0 {
		t.Errorf("start after the first stopped: exit %d\n%s", code, e.logs.String())
	}
}

// A damaged database stops the bot at start with one line naming the file
// and what to do, instead of answers like "database disk image is
// malformed" while it goes on writing into the file.
func TestRunRefusesDamagedDatabase(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "eebot.db")
	storetest.SeedFile(t, path)
	storetest.Damage(t, path)
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"ask", "cutoff"}, strings.NewReader(""), &out, &errb, env(map[string]string{"DB_PATH": path}))
	want := "eebot: database damaged: " + path + " fails SQLite's check"
	if code != 1 || out.Len() != 0 || !strings.HasPrefix(errb.String(), want) || strings.Count(errb.String(), "\n") != 1 ||
		!strings.Contains(errb.String(), "restore it from a backup, or delete it") {
		t.Errorf("exit %d, stdout %q, stderr %q; want exit 1 and one line starting %q", code, out.String(), errb.String(), want)
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(after, before) {
		t.Error("the damaged file was written to")
	}
}
