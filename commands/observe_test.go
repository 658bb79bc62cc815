package commands_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/eebot/eebot/commands"
	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/store/storetest"
)

// The Observer hears of every answer once, with the command's key (never
// typed text) and the outcome, whichever entry point answered.
func TestObserver(t *testing.T) {
	t.Parallel()
	type seen struct{ platform, command, outcome string }
	var (
		mu  sync.Mutex
		got []seen
	)
	eng := commands.New(storetest.Store(t), commands.WithClock(storetest.Now), commands.WithObserver(func(p, c, o string, took time.Duration) {
		if took < 0 {
			t.Errorf("negative latency %v", took)
		}
		mu.Lock()
		got = append(got, seen{p, c, o})
		mu.Unlock()
	}))
	ctx := context.Background()
	tg := commands.Caller{Platform: domain.Telegram, Destination: "1", Private: true}
	eng.Command(ctx, "cutoff", "healthcare", 0, tg)
	eng.Command(ctx, "cutoff", "astrology", 0, tg)
	eng.Command(ctx, "frobnicate-secret-text", "", 0, tg)
	eng.Ask(ctx, "last healthcare cutoff", commands.Caller{}) // routed to Command: once
	eng.Ask(ctx, "hello", commands.Caller{})
	eng.Command(ctx, "draw", "add", 0, tg)
	want := []seen{
		{"telegram", "cutoff", "ok"},
		{"telegram", "cutoff", "invalid"},
		{"telegram", "unknown", "help"},
		{"console", "cutoff", "ok"},
		{"console", "start", "ok"},
		{"telegram", "draw add", "invalid"},
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != len(want) {
		t.Fatalf("observed %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("answer %d observed as %v, want %v", i, got[i], want[i])
		}
	}
}
