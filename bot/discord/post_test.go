package discord

import (
	"errors"
	"strings"
	"testing"
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
	reply := h.bot.eng.Handle(ctx, commands.Request{Command: "cutoff", Args: "healthcare"})
	messages := "/api/v9/channels/" + fakediscord.ChannelID + "/messages"

	id, err := h.bot.Post(ctx, fakediscord.ChannelID, reply, "")
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
	if _, err := h.bot.Post(ctx, fakediscord.ChannelID, reply, "<@&777000000000000001>"); err != nil {
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
	hostile := commands.Reply{Title: "@everyone", Summary: "@here <@123> <@&456>"}
	if _, err := h.bot.Post(ctx, fakediscord.ChannelID, hostile, ""); err != nil {
		t.Fatal(err)
	}
	reqs = h.fake.Requests("POST", messages)
	if body := string(reqs[2].Body); !strings.Contains(body, `"allowed_mentions":{"parse":[]`) || strings.Contains(body, `"content"`) {
		t.Errorf("hostile post %s", body)
	}
}

func TestPostErrors(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	ctx := t.Context()
	reply := commands.Reply{Title: "Draw"}
	messages := "/api/v9/channels/" + fakediscord.ChannelID + "/messages"
	tests := []struct {
		name       string
		setup      func()
		channel    string
		role       string
		kind       Kind
		sentinel   error
		status     int
		code       int
		retryAfter time.Duration
	}{
		{"429", func() { h.fake.RateLimit("POST", messages, 1, 1500*time.Millisecond, false) }, fakediscord.ChannelID, "", RateLimited, ErrRateLimited, 429, 0, 1500 * time.Millisecond},
		{"global 429", func() { h.fake.RateLimit("POST", messages, 1, 20*time.Millisecond, true) }, fakediscord.ChannelID, "", RateLimited, ErrRateLimited, 429, 0, 20 * time.Millisecond},
		{"403 missing access", func() { h.fake.Fail("POST", messages, 1, 403, 50001, "Missing Access") }, fakediscord.ChannelID, "", Gone, ErrGone, 403, 50001, 0},
		{"404 unknown channel", func() { h.fake.Fail("POST", messages, 1, 404, 10003, "Unknown Channel") }, fakediscord.ChannelID, "", Gone, ErrGone, 404, 10003, 0},
		{"500", func() { h.fake.Fail("POST", messages, 1, 500, 0, "Internal Server Error") }, fakediscord.ChannelID, "", Transient, ErrTransient, 500, 0, 0},
		{"400", func() { h.fake.Fail("POST", messages, 1, 400, 50035, "Invalid Form Body") }, fakediscord.ChannelID, "", Rejected, ErrRejected, 400, 50035, 0},
		{"bad channel id", func() {}, "../../guilds/1", "", Rejected, ErrRejected, 0, 0, 0},
		{"everyone as role", func() {}, fakediscord.ChannelID, "@everyone", Rejected, ErrRejected, 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.setup()
			before := len(h.fake.Requests("POST", messages))
			_, err := h.bot.Post(ctx, tt.channel, reply, tt.role)
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
			if sent := len(h.fake.Requests("POST", messages)) - before; (tt.status == 0 && sent != 0) || (tt.status != 0 && sent != 1) {
				t.Errorf("%d requests sent: a rate limit must not be waited out inside Post", sent)
			}
		})
	}
	// After the scripted failures the channel works again.
	time.Sleep(1600 * time.Millisecond) // the 429 set the bucket's reset
	if _, err := h.bot.Post(ctx, fakediscord.ChannelID, reply, ""); err != nil {
		t.Fatalf("Post after errors: %v", err)
	}
}
