package discord

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/eebot/eebot/bot/discord/fakediscord"
	"github.com/eebot/eebot/commands"
	"github.com/eebot/eebot/internal/broadcast"
	"github.com/eebot/eebot/internal/memnet"
	"github.com/eebot/eebot/internal/reply"
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
	rep := h.bot.eng.Command(ctx, "cutoff", "healthcare", 0, commands.Caller{})
	messages := "/api/v9/channels/" + fakediscord.ChannelID + "/messages"

	if o := h.bot.Post(ctx, fakediscord.ChannelID, rep, "", ""); o.Kind != broadcast.Delivered || o.MessageID == "" {
		t.Fatalf("Post = %+v", o)
	}
	var m sentMessage
	reqs := h.fake.Requests("POST", messages)
	if err := reqs[0].JSON(&m); err != nil {
		t.Fatal(err)
	}
	if m.Content != "" || len(m.Embeds) != 1 || !strings.Contains(m.Embeds[0]["title"].(string), "CRS 475") {
		t.Errorf("message %s", reqs[0].Body)
	}
	if !strings.Contains(string(reqs[0].Body), `"allowed_mentions":{"parse":[]`) {
		t.Errorf("allowed_mentions: %s", reqs[0].Body)
	}

	// With a role: that role only, never everyone.
	if o := h.bot.Post(ctx, fakediscord.ChannelID, rep, "<@&777000000000000001>", ""); o.Kind != broadcast.Delivered {
		t.Fatal(o.Err)
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
	if o := h.bot.Post(ctx, fakediscord.ChannelID, hostile, "", ""); o.Kind != broadcast.Delivered {
		t.Fatal(o.Err)
	}
	reqs = h.fake.Requests("POST", messages)
	if body := string(reqs[2].Body); !strings.Contains(body, `"allowed_mentions":{"parse":[]`) || strings.Contains(body, `"content"`) {
		t.Errorf("hostile post %s", body)
	}
}

// A post is rendered and marshalled once for all the channels it goes to,
// and anew when its content changes (a correction), never served from
// before the change.
func TestPostRendersOncePerPost(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	ctx := t.Context()
	post := reply.Reply{Title: "Draw #437", Summary: "CRS 471", Lang: "en"}
	corrected := post
	corrected.Summary = "CRS 469"
	for i, s := range []struct {
		channel string
		r       reply.Reply
		want    string
	}{{fakediscord.ChannelID, post, "CRS 471"}, {"800000000000000001", post, "CRS 471"}, {"800000000000000002", corrected, "CRS 469"}, {"800000000000000003", post, "CRS 471"}} {
		if o := h.bot.Post(ctx, s.channel, s.r, "", fmt.Sprint("nonce-", i)); o.Kind != broadcast.Delivered {
			t.Fatalf("Post: %+v", o)
		}
		reqs := h.fake.Requests("POST", "/api/v9/channels/"+s.channel+"/messages")
		var m sentMessage
		if err := reqs[len(reqs)-1].JSON(&m); err != nil {
			t.Fatal(err)
		}
		if len(m.Embeds) != 1 || !strings.Contains(fmt.Sprint(m.Embeds[0]["description"]), s.want) {
			t.Errorf("channel %s got %s, want %s", s.channel, reqs[len(reqs)-1].Body, s.want)
		}
	}
	if n := h.bot.posts.Len(); n != 2 {
		t.Errorf("%d renderings for 2 posts", n)
	}
}

// TestPostErrors: what the outbox sender is told about each failure, and
// the classified error behind it. It runs in a synctest bubble: the 1.5 s
// a 429 leaves a bucket exhausted passes on the bubble's clock.
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
		outcome    broadcast.Kind
		kind       errKind
		status     int
		code       int
		retryAfter time.Duration
	}{
		{"429", func(m string) { h.fake.RateLimit("POST", m, 1, 1500*time.Millisecond, false) }, "", broadcast.RateLimited, kindRateLimited, 429, 0, 1500 * time.Millisecond},
		{"global 429", func(m string) { h.fake.RateLimit("POST", m, 1, 20*time.Millisecond, true) }, "", broadcast.RateLimited, kindRateLimited, 429, 0, 20 * time.Millisecond},
		{"403 missing access", func(m string) { h.fake.Fail("POST", m, 1, 403, 50001, "Missing Access") }, "", broadcast.Gone, kindGone, 403, 50001, 0},
		{"404 unknown channel", func(m string) { h.fake.Fail("POST", m, 1, 404, 10003, "Unknown Channel") }, "", broadcast.Gone, kindGone, 404, 10003, 0},
		{"500", func(m string) { h.fake.Fail("POST", m, 1, 500, 0, "Internal Server Error") }, "", broadcast.Ambiguous, kindAmbiguous, 500, 0, 0},
		// A refused message is a bug to fix, not a reason to drop the channel.
		{"400", func(m string) { h.fake.Fail("POST", m, 1, 400, 50035, "Invalid Form Body") }, "", broadcast.Transient, kindRejected, 400, 50035, 0},
	}
	// Cases run in turn, not as subtests (a bubble cannot run subtests);
	// each failure names its case.
	for i, tt := range tests {
		func() {
			t := named{t, tt.name}
			ch := channel(i)
			messages := "/api/v9/channels/" + ch + "/messages"
			tt.setup(messages)
			o := h.bot.Post(ctx, ch, rep, tt.role, "")
			if o.Kind != tt.outcome || o.RetryAfter != tt.retryAfter || o.MovedTo != "" || o.MessageID != "" {
				t.Errorf("Post = %+v, want %v", o, tt.outcome)
			}
			var se *sendError
			if !errors.As(o.Err, &se) {
				t.Fatalf("Post = %+v, want a *sendError", o)
			}
			if se.kind != tt.kind || se.status != tt.status || se.code != tt.code || se.retryAfter != tt.retryAfter {
				t.Errorf("got %+v (%v)", *se, se)
			}
			if sent := len(h.fake.Requests("POST", messages)); (tt.status == 0 && sent != 0) || (tt.status != 0 && sent != 1) {
				t.Errorf("%d requests sent: a rate limit must not be waited out inside Post", sent)
			}
		}()
	}
	// A bad channel id.
	if o := h.bot.Post(ctx, "../../guilds/1", rep, "", ""); o.Kind != broadcast.Transient || len(h.fake.Requests("POST", "/api/v9/guilds")) != 0 {
		t.Errorf("bad channel id: Post = %+v", o)
	} else if se := (*sendError)(nil); !errors.As(o.Err, &se) || se.kind != kindRejected {
		t.Errorf("bad channel id: %+v", o)
	}

	// The 429 left the channel's bucket exhausted for 1.5 s: the next Post
	// reports that at once, sending nothing, instead of sleeping it out.
	ch := channel(0)
	before := len(h.fake.Requests("POST", "/api/v9/channels/"+ch))
	o := h.bot.Post(ctx, ch, rep, "", "")
	if o.Kind != broadcast.RateLimited || o.RetryAfter <= 0 || o.RetryAfter > 1500*time.Millisecond {
		t.Errorf("Post into an exhausted bucket = %+v", o)
	}
	if n := len(h.fake.Requests("POST", "/api/v9/channels/"+ch)) - before; n != 0 {
		t.Errorf("%d requests sent into an exhausted bucket", n)
	}
	// Once the wait is over, every channel works again.
	time.Sleep(o.RetryAfter + 50*time.Millisecond)
	for i := range tests {
		if o := h.bot.Post(ctx, channel(i), rep, "", ""); o.Kind != broadcast.Delivered {
			t.Fatalf("Post after errors: %+v", o)
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
	rep := h.bot.eng.Command(ctx, "cutoff", "healthcare", 0, commands.Caller{})
	const ch = "300000000000000021"
	nonce := "0123456789abcdef01234567" // the outbox's 24 hex characters

	o1 := h.bot.Post(ctx, ch, rep, "", nonce)
	if o1.Kind != broadcast.Delivered {
		t.Fatal(o1.Err)
	}
	// A retry of the same delivery (say the answer was lost) posts nothing new.
	if o2 := h.bot.Post(ctx, ch, rep, "", nonce); o2.Kind != broadcast.Delivered || o2.MessageID != o1.MessageID {
		t.Fatalf("retry = %+v; want %q", o2, o1.MessageID)
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
	if o := h.bot.Post(ctx, ch, rep, "", "fedcba9876543210fedcba98"); o.Kind != broadcast.Delivered {
		t.Fatal(o.Err)
	}
	if o := h.bot.Post(ctx, "300000000000000022", rep, "", nonce); o.Kind != broadcast.Delivered {
		t.Fatal(o.Err)
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
	a := h.bot.Post(ctx, "300000000000000024", rep, "", long).MessageID
	b := h.bot.Post(ctx, "300000000000000024", rep, "", long).MessageID
	msgs = h.fake.Messages("300000000000000024")
	msgs[0].JSON(&body)
	if a != b || len(msgs) != 1 || len(body.Nonce) != 25 {
		t.Errorf("long nonce: %q %q, %d messages, nonce %q", a, b, len(msgs), body.Nonce)
	}
	// Mention: that role only.
	if o := h.bot.Post(ctx, "300000000000000025", rep, "777000000000000001", "n1"); o.Kind != broadcast.Delivered {
		t.Fatal(o.Err)
	}
	var m sentMessage
	h.fake.Messages("300000000000000025")[0].JSON(&m)
	if m.Content != "<@&777000000000000001>" || m.AllowedMentions == nil || len(m.AllowedMentions.Parse) != 0 ||
		!slices.Equal(m.AllowedMentions.Roles, []string{"777000000000000001"}) {
		t.Errorf("mention post %+v", m)
	}

	// A channel that refuses the bot: Gone, for the sender to count.
	h.fake.RefuseChannel("300000000000000026", 403)
	if o := h.bot.Post(ctx, "300000000000000026", rep, "", nonce); o.Kind != broadcast.Gone || o.RetryAfter != 0 {
		t.Errorf("403 must be Gone, not a rate limit: %+v", o)
	}
	h.fake.RefuseChannel("300000000000000027", 404)
	if o := h.bot.Post(ctx, "300000000000000027", rep, "", nonce); o.Kind != broadcast.Gone {
		t.Errorf("404: %+v", o)
	}
	// A 429: RateLimited with Discord's wait, not Gone.
	h.fake.RateLimitChannel("300000000000000028", 1, 250*time.Millisecond)
	if o := h.bot.Post(ctx, "300000000000000028", rep, "", nonce); o.Kind != broadcast.RateLimited || o.RetryAfter != 250*time.Millisecond {
		t.Errorf("429: %+v", o)
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
		if o := h.bot.Post(ctx, fmt.Sprintf("3000000000000003%02d", i), reply.Reply{Title: "x"}, "", ""); o.Kind != broadcast.Delivered {
			t.Fatal(o.Err)
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

// TestPostLostAnswer: an answer that leaves the post possibly created (a
// 5xx after Discord took the message, a call that times out after it was
// written) is Ambiguous after one request, never repeated by discordgo; the
// sender's retry carries the same nonce, so Discord answers it with the
// message already made. A connection refused before anything was written
// is Transient. It runs in a synctest bubble: the client's 20 s timeout
// passes on the bubble's clock.
func TestPostLostAnswer(t *testing.T) {
	t.Parallel()
	synctest.Test(t, testPostLostAnswer)
}

func testPostLostAnswer(t *testing.T) {
	h := newMemHarness(t, nil)
	ctx := t.Context()
	rep := reply.Reply{Title: "Draw"}
	for i, tc := range []struct {
		name   string
		status int // what the fake answers after creating the message; 0 = nothing
		nonce  string
	}{
		{"502", 502, "0123456789abcdef01234567"},
		{"502 without nonce", 502, ""},
		{"500", 500, "0123456789abcdef01234568"},
		{"timeout", 0, "0123456789abcdef01234569"},
	} {
		t := named{t, tc.name}
		ch := fmt.Sprintf("3000000000000002%02d", i)
		h.fake.FailAfterCreate(ch, 1, tc.status)
		o := h.bot.Post(ctx, ch, rep, "", tc.nonce)
		if o.Kind != broadcast.Ambiguous || o.Err == nil || o.MessageID != "" {
			t.Errorf("Post = %+v, want %v", o, broadcast.Ambiguous)
		}
		var se *sendError
		if !errors.As(o.Err, &se) || se.kind != kindAmbiguous {
			t.Errorf("err = %#v", o.Err)
		}
		synctest.Wait() // the fake records a request once its handler is done
		if n, m := len(h.fake.Requests("POST", messagesPath(ch))), len(h.fake.Messages(ch)); n != 1 || m != 1 {
			t.Errorf("%d requests, %d messages; want 1 of each", n, m)
		}
	}
	// The sender's one retry of the first: the same nonce, no new message.
	ch := "300000000000000200"
	if o := h.bot.Post(ctx, ch, rep, "", "0123456789abcdef01234567"); o.Kind != broadcast.Delivered || len(h.fake.Messages(ch)) != 1 {
		t.Errorf("retry = %+v, %d messages", o, len(h.fake.Messages(ch)))
	}

	// Nothing was written: a clear failure, safe to retry.
	l := memnet.Listen("closed.test")
	l.Close()
	b, err := New(Config{Token: fakediscord.Token, APIURL: "http://closed.test/api/v9/",
		HTTPClient: &http.Client{Transport: &http.Transport{DialContext: l.Dial}}}, h.bot.eng)
	if err != nil {
		t.Fatal(err)
	}
	if o := b.Post(ctx, ch, rep, "", "n"); o.Kind != broadcast.Transient {
		t.Errorf("connection refused: %+v, want %v", o, broadcast.Transient)
	}
}

func messagesPath(channelID string) string { return "/api/v9/channels/" + channelID + "/messages" }
