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
