package discord

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/eebot/eebot/bot/discord/fakediscord"
)

// stopBudget is how long a stop may take in any state (the platform's part
// of the process's 2 s).
const stopBudget = 1500 * time.Millisecond

// TestStopTimes: a stop returns within stopBudget whatever Discord is
// doing: a gateway lookup that never answers, a gateway that never says
// HELLO, an interaction answer that never completes. The tests run in
// synctest bubbles, so the times are exact.
func TestStopTimes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		setup func(h *harness, ctx context.Context)
	}{
		{"gateway lookup hung", func(h *harness, ctx context.Context) {
			h.fake.Script("GET", "/api/v9/gateway", 1, fakediscord.Response{Hang: true})
			h.run()
			if _, err := h.fake.AwaitRequests(ctx, "GET", "/api/v9/gateway", 1); err != nil {
				h.t.Fatal(err)
			}
		}},
		{"no HELLO", func(h *harness, ctx context.Context) {
			h.fake.SilenceGateway()
			h.run()
			if _, err := h.fake.AwaitGateway(ctx, "connect", 1); err != nil {
				h.t.Fatal(err)
			}
		}},
		{"answer in flight", func(h *harness, ctx context.Context) {
			h.start()
			id := fakediscord.NextID()
			h.fake.Script("POST", "/api/v9/interactions/"+id+"/", 1, fakediscord.Response{Hang: true})
			if _, err := h.fake.Push(slash("cutoff", str("category", "healthcare"))); err != nil {
				h.t.Fatal(err)
			}
			in := slash("pool")
			in.ID = id
			if _, err := h.fake.Push(in); err != nil {
				h.t.Fatal(err)
			}
			if _, err := h.fake.AwaitRequests(ctx, "POST", "/api/v9/interactions/"+id+"/", 1); err != nil {
				h.t.Fatal(err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				h := newMemHarness(t, nil)
				ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
				defer cancel()
				tc.setup(h, ctx)
				synctest.Wait()
				start := time.Now()
				if err := h.stop(); err != nil {
					t.Fatalf("Run = %v", err)
				}
				if took := time.Since(start); took > stopBudget {
					t.Errorf("the stop took %v, want at most %v", took, stopBudget)
				}
			})
		})
	}
}
