package discord

import (
	"net/http"
	"strings"
	"testing"

	"github.com/eebot/eebot/bot/discord/fakediscord"
	"github.com/eebot/eebot/internal/broadcast"
	"github.com/eebot/eebot/internal/reply"
)

// A failed call's error, which the sender logs and keeps in the outbox
// (and /subscriptions shows for a dead alert), names the API the bot was
// configured with, not discord.com, and never holds the bot token, even
// when the answer echoes the Authorization header.
func TestPostErrorText(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	ctx := t.Context()
	rep := reply.Reply{Title: "Draw"}
	messages := "/api/v9/channels/" + fakediscord.ChannelID + "/messages"
	h.fake.Script("POST", messages, 1, fakediscord.Response{Status: http.StatusBadRequest, Header: http.Header{"Content-Type": {"application/json"}},
		Body: `{"message":"Invalid Form Body","code":50035,"echo":{"Authorization":"Bot ` + fakediscord.Token + `"}}`})
	o := h.bot.Post(ctx, fakediscord.ChannelID, rep, "", "")
	if o.Kind != broadcast.Transient || o.Err == nil {
		t.Fatalf("Post = %+v", o)
	}
	if s := o.Err.Error(); strings.Contains(s, fakediscord.Token) || !strings.Contains(s, "HTTP 400") || !strings.Contains(s, "Authorization") {
		t.Errorf("echoed header: %s", s)
	}

	h.fake.Close() // every call now fails before any answer
	o = h.bot.Post(ctx, fakediscord.ChannelID, rep, "", "")
	if o.Kind != broadcast.Transient || o.Err == nil {
		t.Fatalf("Post = %+v", o)
	}
	host := strings.TrimPrefix(h.fake.URL, "http://")
	if s := o.Err.Error(); strings.Contains(s, "discord.com") || !strings.Contains(s, host+"/api/v9/channels/") {
		t.Errorf("network error names %s, want %s", s, host)
	}
}
