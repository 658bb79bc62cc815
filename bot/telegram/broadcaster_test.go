package telegram

import (
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/eebot/eebot/bot/telegram/faketelegram"
	"github.com/eebot/eebot/internal/broadcast"
)

var _ broadcast.Poster = (*Broadcaster)(nil)

func TestBroadcaster(t *testing.T) {
	h := start(t, nil, func(c *Config) { c.Limits.MaxRetries = 1 })
	p := h.bot.Broadcaster()
	ctx := ctxT(t)
	id, err := p.Post(ctx, strconv.FormatInt(group.ID, 10), note(1), "123", "nonce")
	if err != nil || id == "" || len(h.srv.Sent(group.ID)) != 1 {
		t.Fatalf("Post: %q %v", id, err)
	}
	h.srv.Block(bob.ID, "")
	_, err = p.Post(ctx, strconv.FormatInt(bob.ID, 10), note(2), "", "")
	var pm interface{ Permanent() bool }
	if !errors.As(err, &pm) || !pm.Permanent() || !errors.Is(err, ErrBlocked) {
		t.Errorf("blocked: %v", err)
	}
	h.srv.Script("sendMessage", alice.ID, 5, faketelegram.TooMany(7))
	_, err = p.Post(ctx, strconv.FormatInt(alice.ID, 10), note(3), "", "")
	var ra interface{ RetryAfter() time.Duration }
	if !errors.As(err, &ra) || ra.RetryAfter() != 70*time.Millisecond {
		t.Errorf("flooded: %v", err)
	}
	if _, err := p.Post(ctx, "general", note(4), "", ""); !errors.As(err, &pm) {
		t.Errorf("bad destination: %v", err)
	}
}

// TestBroadcasterErrors: what the sender learns from each failure.
func TestBroadcasterErrors(t *testing.T) {
	h := start(t, nil, func(c *Config) { c.Limits.MaxRetries = 1 })
	p := h.bot.Broadcaster()
	ctx := ctxT(t)
	post := func(chat int64) error {
		_, err := p.Post(ctx, strconv.FormatInt(chat, 10), note(1), "", "")
		return err
	}
	var (
		pm interface{ Permanent() bool }
		ra interface{ RetryAfter() time.Duration }
		mg interface{ MigratedTo() string }
	)
	for i, tc := range []struct {
		name      string
		fault     faketelegram.Fault
		permanent bool
		retry     bool
	}{
		{"429", faketelegram.TooMany(3), false, true},
		{"403 kicked", faketelegram.Kicked, true, false},
		{"403 not started", faketelegram.NotStarted, true, false},
		{"403 channel", faketelegram.Fault{Code: 403, Description: "Forbidden: bot is not a member of the channel chat"}, true, false},
		{"400 chat not found", faketelegram.Fault{Code: 400, Description: "Bad Request: chat not found"}, true, false},
		{"400 rights", faketelegram.Fault{Code: 400, Description: "Bad Request: need administrator rights in the channel chat"}, true, false},
		{"400 message", faketelegram.Fault{Code: 400, Description: "Bad Request: can't parse entities"}, false, false},
		{"500", faketelegram.Fault{Code: 500}, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			chat := int64(7000 + i)
			h.srv.Script("sendMessage", chat, 3, tc.fault)
			err := post(chat)
			if err == nil {
				t.Fatal("no error")
			}
			if got := errors.As(err, &pm) && pm.Permanent(); got != tc.permanent {
				t.Errorf("Permanent %v, want %v: %v", got, tc.permanent, err)
			}
			if got := errors.As(err, &ra) && ra.RetryAfter() > 0; got != tc.retry {
				t.Errorf("RetryAfter %v, want %v: %v", got, tc.retry, err)
			}
			if errors.As(err, &mg) {
				t.Errorf("MigratedTo: %v", err)
			}
		})
	}
}

// TestBroadcasterMigration: with OnMigrate, a post to a migrated group
// reaches the supergroup and OnMigrate is told, again on every post to the
// old ID; without it, the sender gets MigratedTo and nothing is sent.
func TestBroadcasterMigration(t *testing.T) {
	const old, sg = int64(-4000), int64(-1004000)
	t.Run("OnMigrate", func(t *testing.T) {
		h := start(t, nil, nil)
		p := h.bot.Broadcaster()
		h.srv.MigrateChat(old, sg)
		for i := 1; i <= 2; i++ {
			id, err := p.Post(ctxT(t), strconv.FormatInt(old, 10), note(i), "", "")
			if err != nil || id == "" {
				t.Fatalf("post %d: %q %v", i, id, err)
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
			_, err := p.Post(ctxT(t), strconv.FormatInt(old, 10), note(i), "", "")
			var mg interface{ MigratedTo() string }
			if !errors.As(err, &mg) || mg.MigratedTo() != strconv.FormatInt(sg, 10) || !errors.Is(err, ErrMigrated) {
				t.Errorf("post %d: %v", i, err)
			}
		}
		if n := len(h.srv.Sent(sg)); n != 0 {
			t.Errorf("supergroup got %d posts", n)
		}
		if n := len(h.srv.Rejected("sendMessage")); n != 1 {
			t.Errorf("%d rejected sends, want 1 (the second post knows)", n)
		}
		if _, err := p.Post(ctxT(t), strconv.FormatInt(sg, 10), note(3), "", ""); err != nil {
			t.Errorf("post to the supergroup: %v", err)
		}
	})
}
