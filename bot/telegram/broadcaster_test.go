package telegram

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/eebot/eebot/bot/telegram/faketelegram"
	"github.com/eebot/eebot/internal/broadcast"
	"github.com/eebot/eebot/internal/reply"
)

var _ broadcast.Poster = (*Broadcaster)(nil)

func TestBroadcaster(t *testing.T) {
	h := start(t, nil, func(c *Config) { c.Limits.MaxRetries = 1 })
	p := h.bot.Broadcaster()
	ctx := ctxT(t)
	o := p.Post(ctx, strconv.FormatInt(group.ID, 10), note(1), "123", "nonce")
	if o.Kind != broadcast.Delivered || o.MessageID == "" || len(h.srv.Sent(group.ID)) != 1 {
		t.Fatalf("Post: %+v", o)
	}
	h.srv.Block(bob.ID, "")
	o = p.Post(ctx, strconv.FormatInt(bob.ID, 10), note(2), "", "")
	if o.Kind != broadcast.Gone || !errors.Is(o.Err, errBlocked) {
		t.Errorf("blocked: %+v", o)
	}
	h.srv.Script("sendMessage", alice.ID, 5, faketelegram.TooMany(7))
	o = p.Post(ctx, strconv.FormatInt(alice.ID, 10), note(3), "", "")
	if o.Kind != broadcast.RateLimited || o.RetryAfter != 70*time.Millisecond {
		t.Errorf("flooded: %+v", o)
	}
	if o := p.Post(ctx, "general", note(4), "", ""); o.Kind != broadcast.Gone {
		t.Errorf("bad destination: %+v", o)
	}
}

// TestBroadcasterErrors: what the sender learns from each failure.
func TestBroadcasterErrors(t *testing.T) {
	h := start(t, nil, func(c *Config) { c.Limits.MaxRetries = 1 })
	p := h.bot.Broadcaster()
	ctx := ctxT(t)
	for i, tc := range []struct {
		name  string
		fault faketelegram.Fault
		want  broadcast.Kind
	}{
		{"429", faketelegram.TooMany(3), broadcast.RateLimited},
		{"403 kicked", faketelegram.Kicked, broadcast.Gone},
		{"403 not started", faketelegram.NotStarted, broadcast.Gone},
		{"403 channel", faketelegram.Fault{Code: 403, Description: "Forbidden: bot is not a member of the channel chat"}, broadcast.Gone},
		{"400 chat not found", faketelegram.Fault{Code: 400, Description: "Bad Request: chat not found"}, broadcast.Gone},
		{"400 rights", faketelegram.Fault{Code: 400, Description: "Bad Request: need administrator rights in the channel chat"}, broadcast.Gone},
		// The message, not the chat, was refused: retried, the chat kept.
		{"400 message", faketelegram.Fault{Code: 400, Description: "Bad Request: can't parse entities"}, broadcast.Transient},
		// Telegram got the request: it may have posted the message.
		{"500", faketelegram.Fault{Code: 500}, broadcast.Ambiguous},
	} {
		t.Run(tc.name, func(t *testing.T) {
			chat := int64(7000 + i)
			h.srv.Script("sendMessage", chat, 3, tc.fault)
			o := p.Post(ctx, strconv.FormatInt(chat, 10), note(1), "", "")
			if o.Kind != tc.want || o.Err == nil {
				t.Errorf("%+v, want %v", o, tc.want)
			}
			if got := o.RetryAfter > 0; got != (tc.want == broadcast.RateLimited) {
				t.Errorf("RetryAfter %v: %+v", o.RetryAfter, o)
			}
			if o.MovedTo != "" {
				t.Errorf("MovedTo: %+v", o)
			}
		})
	}
}

// TestBroadcasterMigration: with OnMigrate, a post to a migrated group
// reaches the supergroup and OnMigrate is told, again on every post to the
// old ID; without it, the sender is told Moved and nothing is sent.
func TestBroadcasterMigration(t *testing.T) {
	const old, sg = int64(-4000), int64(-1004000)
	t.Run("OnMigrate", func(t *testing.T) {
		h := start(t, nil, nil)
		p := h.bot.Broadcaster()
		h.srv.MigrateChat(old, sg)
		for i := 1; i <= 2; i++ {
			o := p.Post(ctxT(t), strconv.FormatInt(old, 10), note(i), "", "")
			if o.Kind != broadcast.Delivered || o.MessageID == "" {
				t.Fatalf("post %d: %+v", i, o)
			}
			select {
			case m := <-h.migr:
				if m != (migration{old, sg}) {
					t.Errorf("OnMigrate%v", m)
				}
			case <-time.After(5 * time.Second):
				t.Fatalf("post %d: OnMigrate not called", i)
			}
		}
		if n := len(h.srv.Sent(sg)); n != 2 {
			t.Errorf("supergroup got %d posts", n)
		}
		if n := len(h.srv.Rejected("sendMessage")); n != 1 {
			t.Errorf("%d rejected sends, want only the first", n)
		}
	})
	t.Run("sender", func(t *testing.T) {
		h := start(t, nil, func(c *Config) { c.OnMigrate = nil })
		p := h.bot.Broadcaster()
		h.srv.MigrateChat(old, sg)
		for i := 1; i <= 2; i++ {
			o := p.Post(ctxT(t), strconv.FormatInt(old, 10), note(i), "", "")
			var se *sendError
			if o.Kind != broadcast.Moved || o.MovedTo != strconv.FormatInt(sg, 10) || !errors.As(o.Err, &se) || se.Kind != kindMigrated {
				t.Errorf("post %d: %+v", i, o)
			}
		}
		if n := len(h.srv.Sent(sg)); n != 0 {
			t.Errorf("supergroup got %d posts", n)
		}
		if n := len(h.srv.Rejected("sendMessage")); n != 1 {
			t.Errorf("%d rejected sends, want 1 (the second post knows)", n)
		}
		if o := p.Post(ctxT(t), strconv.FormatInt(sg, 10), note(3), "", ""); o.Kind != broadcast.Delivered {
			t.Errorf("post to the supergroup: %+v", o)
		}
	})
}

// A post is rendered once for all the chats it goes to, and anew when its
// content changes (a correction), never served from before the change.
func TestBroadcasterRendersOncePerPost(t *testing.T) {
	h := start(t, nil, nil)
	p := h.bot.Broadcaster()
	ctx := ctxT(t)
	post := reply.Reply{Title: "Draw #437", Summary: "CRS 471", Lang: "en"}
	corrected := post
	corrected.Summary = "CRS 469"
	for _, s := range []struct {
		chat int64
		r    reply.Reply
		want string
	}{{alice.ID, post, "CRS 471"}, {bob.ID, post, "CRS 471"}, {group.ID, corrected, "CRS 469"}, {alice.ID, post, "CRS 471"}} {
		if o := p.Post(ctx, strconv.FormatInt(s.chat, 10), s.r, "", ""); o.Kind != broadcast.Delivered {
			t.Fatalf("Post: %+v", o)
		}
		sent := h.srv.Sent(s.chat)
		if got := sent[len(sent)-1].Text; !strings.Contains(got, s.want) {
			t.Errorf("chat %d got %q, want %s", s.chat, got, s.want)
		}
	}
	if n := h.bot.postTexts.Len(); n != 2 {
		t.Errorf("%d renderings for 2 posts", n)
	}
}
