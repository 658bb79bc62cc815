package discord

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/eebot/eebot/bot/discord/fakediscord"
)

func TestDroppedConnectionResumes(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	h.start()
	if c := h.call(slash("cutoff", str("category", "healthcare"))); c.Type != 4 {
		t.Fatal(c.Raw)
	}
	h.fake.DropConnection()
	// An interaction dispatched while the bot is away is replayed on RESUME.
	missed := fakediscord.Interaction{ID: fakediscord.NextID(), Name: "cutoff", Options: []fakediscord.Option{str("category", "stem")}}
	if _, err := h.fake.Push(missed); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	resumes, err := h.fake.AwaitGateway(ctx, "resume", 1)
	if err != nil {
		t.Fatalf("no RESUME: %v\nlogs:\n%s", err, h.logs)
	}
	if r := resumes[0]; r.SessionID != "fake-session-1" || r.Seq < 2 || r.Token != "Bot "+fakediscord.Token {
		t.Errorf("resume %+v", r)
	}
	if c := h.callback(missed.ID); c.Type != 4 {
		t.Fatalf("missed interaction: %s", c.Raw)
	}
	if c := h.call(slash("cutoff", str("category", "healthcare"))); c.Type != 4 {
		t.Fatal(c.Raw)
	}
	if n := len(h.fake.GatewayEvents()); n == 0 {
		t.Fatal("no gateway events")
	}
	identifies, _ := h.fake.AwaitGateway(ctx, "identify", 1)
	if len(identifies) != 1 {
		t.Errorf("%d IDENTIFYs: a drop must resume, not re-identify", len(identifies))
	}
	if err := h.stop(); err != nil {
		t.Fatalf("Run after a resumed drop: %v", err)
	}
	if !strings.Contains(h.logs.String(), "resumed") {
		t.Errorf("no resume log line:\n%s", h.logs)
	}
}

func TestNonFatalCloseResumes(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	h.start()
	h.fake.CloseGateway(4000) // unknown error: reconnect allowed
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	if _, err := h.fake.AwaitGateway(ctx, "resume", 1); err != nil {
		t.Fatalf("no RESUME after 4000: %v", err)
	}
	if c := h.call(slash("pool")); c.Type != 4 {
		t.Fatal(c.Raw)
	}
}

func TestFatalCloseAfterReadyStops(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		h := newMemHarness(t, nil)
		h.start()
		// The token is revoked: Discord closes the session with 4004 and
		// answers every later IDENTIFY or RESUME the same way.
		h.fake.RejectSessions(4004)
		h.fake.CloseGateway(4004)
		err := h.wait(15 * time.Second)
		if !errors.Is(err, ErrFatal) {
			t.Fatalf("Run = %v, want ErrFatal", err)
		}
		var ce *CloseError
		if !errors.As(err, &ce) || ce.Code != 4004 {
			t.Fatalf("Run = %v, want a CloseError with code 4004", err)
		}
		if !strings.Contains(h.logs.String(), "code 4004") || !strings.Contains(h.logs.String(), "not reconnecting") {
			t.Errorf("no clear log line:\n%s", h.logs)
		}
		// One attempt to resume, then stop: no reconnect loop, however long
		// one waits (on the bubble's clock, every retry timer would fire).
		time.Sleep(10 * time.Minute)
		synctest.Wait()
		if n := len(gatewayEvents(h, "connect")); n != 2 {
			t.Errorf("%d gateway connections, want 2 (initial + one resume attempt)", n)
		}
		if h.fake.Connections() != 0 {
			t.Errorf("%d connections still open", h.fake.Connections())
		}
	})
}

func TestFatalCloseCodesAtStartup(t *testing.T) {
	t.Parallel()
	for _, code := range []int{4004, 4010, 4011, 4012, 4013, 4014} {
		t.Run(fmt.Sprint(code), func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, nil)
			h.fake.RejectSessions(code)
			h.run()
			err := h.wait(10 * time.Second)
			var ce *CloseError
			if !errors.Is(err, ErrFatal) || !errors.As(err, &ce) || ce.Code != code {
				t.Fatalf("Run = %v, want ErrFatal with code %d", err, code)
			}
			if n := len(h.fake.Requests("PUT", "/api/v9/applications/")); n != 0 {
				t.Errorf("%d registrations after a refused IDENTIFY", n)
			}
		})
	}
}

func TestBadTokenStops(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(c *Config) { c.Token = "wrong-token" })
	h.run()
	err := h.wait(10 * time.Second)
	if !errors.Is(err, ErrFatal) {
		t.Fatalf("Run = %v, want ErrFatal", err)
	}
	if strings.Contains(h.logs.String(), "wrong-token") || strings.Contains(err.Error(), "wrong-token") {
		t.Fatalf("token leaked: %v\n%s", err, h.logs)
	}
}

func TestShutdownIsClean(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		h := newMemHarness(t, nil)
		h.start()
		start := time.Now()
		if err := h.stop(); err != nil {
			t.Fatalf("Run = %v, want nil on cancel", err)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("shutdown took %v", d)
		}
		ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
		defer cancel()
		if _, err := h.fake.AwaitGateway(ctx, "disconnect", 1); err != nil {
			t.Fatal("gateway connection left open")
		}
		// No reconnect after shutdown, however long one waits (on the
		// bubble's clock: every timer the bot left would have fired).
		time.Sleep(10 * time.Minute)
		synctest.Wait()
		if n := h.fake.Connections(); n != 0 {
			t.Errorf("%d connections after shutdown", n)
		}
		if n := len(gatewayEvents(h, "connect")); n != 1 {
			t.Errorf("%d gateway connections, want 1", n)
		}
	})
}

// gatewayEvents returns the fake's gateway events of one kind.
func gatewayEvents(h *harness, kind string) []fakediscord.GatewayEvent {
	var out []fakediscord.GatewayEvent
	for _, e := range h.fake.GatewayEvents() {
		if e.Kind == kind {
			out = append(out, e)
		}
	}
	return out
}

func TestRunTwiceConcurrentlyFails(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	h.start()
	if err := h.bot.Run(t.Context()); err == nil || errors.Is(err, ErrFatal) {
		t.Fatalf("second concurrent Run = %v", err)
	}
}

func TestRateLimitedCallbackIsRetried(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		h := newMemHarness(t, nil)
		h.start()
		id := fakediscord.NextID()
		prefix := "/api/v9/interactions/" + id + "/"
		h.fake.RateLimit("POST", prefix, 1, 150*time.Millisecond, false)
		c := h.call(fakediscord.Interaction{ID: id, Name: "cutoff", Options: []fakediscord.Option{str("category", "healthcare")}})
		if !strings.Contains(c.embed(t).Title, "CRS 475") {
			t.Fatal(c.Raw)
		}
		reqs := h.fake.Requests("POST", prefix)
		if len(reqs) != 2 || reqs[0].Status != 429 || reqs[1].Status != 204 {
			t.Fatalf("want a 429 then one 204, got %d requests", len(reqs))
		}
		if gap := reqs[1].At.Sub(reqs[0].At); gap < 140*time.Millisecond {
			t.Errorf("retried after %v, before retry_after", gap)
		}
		// Nothing more, ever: the answer is delivered once.
		time.Sleep(time.Minute)
		synctest.Wait()
		if n := len(h.fake.Requests("POST", prefix)); n != 2 {
			t.Errorf("delivered %d times", n)
		}
	})
}

func TestSilentConnectionIsReplaced(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	h.bot.idle = 400 * time.Millisecond
	h.start()
	// A half-open connection: nothing more arrives. The idle deadline fails
	// the read and the bot resumes on a new connection.
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	if _, err := h.fake.AwaitGateway(ctx, "resume", 1); err != nil {
		t.Fatalf("no RESUME after silence: %v\nlogs:\n%s", err, h.logs)
	}
}
