package discord

import (
	"context"
	"errors"
	"fmt"
	"github.com/eebot/eebot/internal/reply"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/eebot/eebot/bot/discord/fakediscord"
	"github.com/eebot/eebot/commands"
)

type sentMessage struct {
	Content         string           `json:"content"`
	Embeds          []map[string]any `json:"embeds"`
	AllowedMentions *allowedMentions `json:"allowed_mentions"`
}

func TestPost(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil) // Post needs no gateway: Run is not started
	ctx := t.Context()
	rep := h.bot.eng.Handle(ctx, commands.Request{Command: "cutoff", Args: "healthcare"})
	messages := "/api/v9/channels/" + fakediscord.ChannelID + "/messages"

	id, err := h.bot.Post(ctx, fakediscord.ChannelID, rep, "", "")
	if err != nil || id == "" {
		t.Fatalf("Post = %q, %v", id, err)
	}
	var m sentMessage
	reqs := h.fake.Requests("POST", messages)
	if err := reqs[0].JSON(&m); err != nil {
		t.Fatal(err)
	}
	if m.Content != "" || len(m.Embeds) != 1 || !strings.Contains(m.Embeds[0]["title"].(string), "#422") {
		t.Errorf("message %s", reqs[0].Body)
	}
	if !strings.Contains(string(reqs[0].Body), `"allowed_mentions":{"parse":[]`) {
		t.Errorf("allowed_mentions: %s", reqs[0].Body)
	}

	// With a role: that role only, never everyone.
	if _, err := h.bot.Post(ctx, fakediscord.ChannelID, rep, "<@&777000000000000001>", ""); err != nil {
		t.Fatal(err)
	}
	reqs = h.fake.Requests("POST", messages)
	m = sentMessage{}
	reqs[1].JSON(&m)
	if m.Content != "<@&777000000000000001>" || m.AllowedMentions == nil || len(m.AllowedMentions.Parse) != 0 ||
		len(m.AllowedMentions.Roles) != 1 || m.AllowedMentions.Roles[0] != "777000000000000001" {
		t.Errorf("role post %s", reqs[1].Body)
	}

	// Hostile text in the reply stays inert.
	hostile := reply.Reply{Title: "@everyone", Summary: "@here <@123> <@&456>"}
	if _, err := h.bot.Post(ctx, fakediscord.ChannelID, hostile, "", ""); err != nil {
		t.Fatal(err)
	}
	reqs = h.fake.Requests("POST", messages)
	if body := string(reqs[2].Body); !strings.Contains(body, `"allowed_mentions":{"parse":[]`) || strings.Contains(body, `"content"`) {
		t.Errorf("hostile post %s", body)
	}
}

// The outbox sender's view of an error (internal/broadcast/sender.go): it
// tests MigratedTo, then RetryAfter, then Permanent, with errors.As.
type (
	senderRetryAfter interface{ RetryAfter() time.Duration }
	senderPermanent  interface{ Permanent() bool }
)

// TestPostErrors runs in a synctest bubble: the 1.5 s a 429 leaves a bucket
// exhausted passes on the bubble's clock.
func TestPostErrors(t *testing.T) {
	t.Parallel()
	synctest.Test(t, testPostErrors)
}

func testPostErrors(t *testing.T) {
	h := newMemHarness(t, nil)
	ctx := t.Context()
	rep := reply.Reply{Title: "Draw"}
	channel := func(i int) string { return fmt.Sprintf("3000000000000001%02d", i) }
	tests := []struct {
		name       string
		setup      func(messages string)
		role       string
		kind       Kind
		sentinel   error
		status     int
		code       int
		retryAfter time.Duration
	}{
		{"429", func(m string) { h.fake.RateLimit("POST", m, 1, 1500*time.Millisecond, false) }, "", RateLimited, ErrRateLimited, 429, 0, 1500 * time.Millisecond},
		{"global 429", func(m string) { h.fake.RateLimit("POST", m, 1, 20*time.Millisecond, true) }, "", RateLimited, ErrRateLimited, 429, 0, 20 * time.Millisecond},
		{"403 missing access", func(m string) { h.fake.Fail("POST", m, 1, 403, 50001, "Missing Access") }, "", Gone, ErrGone, 403, 50001, 0},
		{"404 unknown channel", func(m string) { h.fake.Fail("POST", m, 1, 404, 10003, "Unknown Channel") }, "", Gone, ErrGone, 404, 10003, 0},
		{"500", func(m string) { h.fake.Fail("POST", m, 1, 500, 0, "Internal Server Error") }, "", Transient, ErrTransient, 500, 0, 0},
		{"400", func(m string) { h.fake.Fail("POST", m, 1, 400, 50035, "Invalid Form Body") }, "", Rejected, ErrRejected, 400, 50035, 0},
		{"everyone as role", func(string) {}, "@everyone", Rejected, ErrRejected, 0, 0, 0},
	}
	// Cases run in turn, not as subtests (a bubble cannot run subtests);
	// each failure names its case.
	for i, tt := range tests {
		func() {
			t := named{t, tt.name}
			ch := channel(i)
			messages := "/api/v9/channels/" + ch + "/messages"
			tt.setup(messages)
			_, err := h.bot.Post(ctx, ch, rep, tt.role, "")
			var se *SendError
			if !errors.As(err, &se) {
				t.Fatalf("Post = %v, want a *SendError", err)
			}
			if se.Kind != tt.kind || !errors.Is(err, tt.sentinel) || se.Status != tt.status || se.Code != tt.code || se.RetryAfter != tt.retryAfter {
				t.Errorf("got %+v (%v)", *se, err)
			}
			for _, other := range []error{ErrRateLimited, ErrGone, ErrTransient, ErrRejected} {
				if other != tt.sentinel && errors.Is(err, other) {
					t.Errorf("%v also matches %v", err, other)
				}
			}
			if sent := len(h.fake.Requests("POST", messages)); (tt.status == 0 && sent != 0) || (tt.status != 0 && sent != 1) {
				t.Errorf("%d requests sent: a rate limit must not be waited out inside Post", sent)
			}
			// What the outbox sender sees.
			var ra senderRetryAfter
			var pm senderPermanent
			hasRA := errors.As(err, &ra)
			if want := tt.kind == RateLimited; hasRA != want || (want && ra.RetryAfter() != tt.retryAfter) {
				t.Errorf("RetryAfter visible %v (want %v)", hasRA, want)
			}
			if !errors.As(err, &pm) || pm.Permanent() != (tt.kind == Gone) {
				t.Errorf("Permanent() wrong for %v", err)
			}
		}()
	}
	// A bad channel id.
	if _, err := h.bot.Post(ctx, "../../guilds/1", rep, "", ""); !errors.Is(err, ErrRejected) || len(h.fake.Requests("POST", "/api/v9/guilds")) != 0 {
		t.Errorf("bad channel id: Post = %v", err)
	}

	// The 429 left the channel's bucket exhausted for 1.5 s: the next Post
	// reports that at once, sending nothing, instead of sleeping it out.
	ch := channel(0)
	before := len(h.fake.Requests("POST", "/api/v9/channels/"+ch))
	_, err := h.bot.Post(ctx, ch, rep, "", "")
	var ra senderRetryAfter
	if !errors.Is(err, ErrRateLimited) || !errors.As(err, &ra) || ra.RetryAfter() <= 0 || ra.RetryAfter() > 1500*time.Millisecond {
		t.Errorf("Post into an exhausted bucket = %v", err)
	}
	if n := len(h.fake.Requests("POST", "/api/v9/channels/"+ch)) - before; n != 0 {
		t.Errorf("%d requests sent into an exhausted bucket", n)
	}
	// Once the wait is over, every channel works again.
	time.Sleep(ra.RetryAfter() + 50*time.Millisecond)
	for i := range tests {
		if _, err := h.bot.Post(ctx, channel(i), rep, "", ""); err != nil {
			t.Fatalf("Post after errors: %v", err)
		}
	}
}

// named prefixes a test's failures with a case name.
type named struct {
	*testing.T
	name string
}

func (n named) Errorf(format string, args ...any) {
	n.T.Helper()
	n.T.Errorf("%s: %s", n.name, fmt.Sprintf(format, args...))
}

func (n named) Fatalf(format string, args ...any) {
	n.T.Helper()
	n.T.Fatalf("%s: %s", n.name, fmt.Sprintf(format, args...))
}

func TestPostNonce(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(c *Config) { c.PostRate = -1 })
	ctx := t.Context()
	rep := h.bot.eng.Handle(ctx, commands.Request{Command: "cutoff", Args: "healthcare"})
	const ch = "300000000000000021"
	nonce := "0123456789abcdef01234567" // the outbox's 24 hex characters

	id1, err := h.bot.Post(ctx, ch, rep, "", nonce)
	if err != nil {
		t.Fatal(err)
	}
	// A retry of the same delivery (say the answer was lost) posts nothing new.
	id2, err := h.bot.Post(ctx, ch, rep, "", nonce)
	if err != nil || id2 != id1 {
		t.Fatalf("retry = %q, %v; want %q", id2, err, id1)
	}
	if n := len(h.fake.Messages(ch)); n != 1 {
		t.Fatalf("%d messages after a retry with the same nonce", n)
	}
	var body struct {
		Nonce        string `json:"nonce"`
		EnforceNonce bool   `json:"enforce_nonce"`
	}
	if err := h.fake.Messages(ch)[0].JSON(&body); err != nil || body.Nonce != nonce || !body.EnforceNonce {
		t.Errorf("body nonce %+v, %v", body, err)
	}
	// Another delivery (another nonce) is another message; so is the same
	// nonce in another channel.
	if _, err := h.bot.Post(ctx, ch, rep, "", "fedcba9876543210fedcba98"); err != nil {
		t.Fatal(err)
	}
	if _, err := h.bot.Post(ctx, "300000000000000022", rep, "", nonce); err != nil {
		t.Fatal(err)
	}
	if got := h.fake.MessageCounts(); got[ch] != 2 || got["300000000000000022"] != 1 {
		t.Errorf("counts %v", got)
	}
	// No nonce: no enforce_nonce, and every call posts.
	h.bot.Post(ctx, "300000000000000023", rep, "", "")
	h.bot.Post(ctx, "300000000000000023", rep, "", "")
	msgs := h.fake.Messages("300000000000000023")
	if len(msgs) != 2 || strings.Contains(string(msgs[0].Body), "nonce") {
		t.Errorf("without nonce: %d messages, %s", len(msgs), msgs[0].Body)
	}
	// A nonce over Discord's 25 characters is hashed to 25, the same each time.
	long := strings.Repeat("n", 40)
	a, _ := h.bot.Post(ctx, "300000000000000024", rep, "", long)
	b, _ := h.bot.Post(ctx, "300000000000000024", rep, "", long)
	msgs = h.fake.Messages("300000000000000024")
	msgs[0].JSON(&body)
	if a != b || len(msgs) != 1 || len(body.Nonce) != 25 {
		t.Errorf("long nonce: %q %q, %d messages, nonce %q", a, b, len(msgs), body.Nonce)
	}
	// Mention: that role only.
	if _, err := h.bot.Post(ctx, "300000000000000025", rep, "777000000000000001", "n1"); err != nil {
		t.Fatal(err)
	}
	var m sentMessage
	h.fake.Messages("300000000000000025")[0].JSON(&m)
	if m.Content != "<@&777000000000000001>" || m.AllowedMentions == nil || len(m.AllowedMentions.Parse) != 0 ||
		!slices.Equal(m.AllowedMentions.Roles, []string{"777000000000000001"}) {
		t.Errorf("mention post %+v", m)
	}

	// A channel that refuses the bot: Permanent, for the sender to count.
	h.fake.RefuseChannel("300000000000000026", 403)
	_, err = h.bot.Post(ctx, "300000000000000026", rep, "", nonce)
	var pm senderPermanent
	if !errors.As(err, &pm) || !pm.Permanent() {
		t.Errorf("403: %v", err)
	}
	var ra senderRetryAfter
	if errors.As(err, &ra) {
		t.Errorf("403 must not look like a rate limit to the sender: %v", err)
	}
	h.fake.RefuseChannel("300000000000000027", 404)
	if _, err = h.bot.Post(ctx, "300000000000000027", rep, "", nonce); !errors.As(err, &pm) || !pm.Permanent() {
		t.Errorf("404: %v", err)
	}
	// A 429: RetryAfter, not Permanent.
	h.fake.RateLimitChannel("300000000000000028", 1, 250*time.Millisecond)
	_, err = h.bot.Post(ctx, "300000000000000028", rep, "", nonce)
	if !errors.As(err, &ra) || ra.RetryAfter() != 250*time.Millisecond || !errors.As(err, &pm) || pm.Permanent() {
		t.Errorf("429: %v", err)
	}
	if n := len(h.fake.Messages("300000000000000028")); n != 0 {
		t.Errorf("429 created %d messages", n)
	}
}

func TestPostPacing(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(c *Config) { c.PostRate = 100 })
	ctx := t.Context()
	start := time.Now()
	for i := range 11 {
		if _, err := h.bot.Post(ctx, fmt.Sprintf("3000000000000003%02d", i), reply.Reply{Title: "x"}, "", ""); err != nil {
			t.Fatal(err)
		}
	}
	// 11 posts at 100/s: 10 intervals of 10 ms at least.
	if d := time.Since(start); d < 100*time.Millisecond {
		t.Errorf("11 posts took %v at 100/s", d)
	}
	p := newPacer(1)
	p.wait(ctx)
	cctx, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	if err := p.wait(cctx); err == nil {
		t.Error("wait ignored its context")
	}
	if newPacer(-1) != nil || newPacer(0).interval != 20*time.Millisecond {
		t.Error("pacer defaults")
	}
}
