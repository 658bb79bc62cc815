package telegram

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/eebot/eebot/commands"
)

// Broadcaster posts draw alerts for internal/broadcast.Sender (it has that
// package's Poster method set): destinations are chat IDs in decimal, and
// errors tell the sender what to do through RetryAfter, Permanent and
// MigratedTo. The post goes through the Bot's send queue like any reply;
// Run must be running. Telegram has no role mentions and no idempotency
// key, so mention and nonce are ignored. When a group turns out to have
// become a supergroup, the queue re-sends there and the post succeeds;
// Config.OnMigrate is the place to move the subscription.
type Broadcaster struct{ b *Bot }

// Broadcaster returns the Bot's poster for broadcasts.
func (b *Bot) Broadcaster() *Broadcaster { return &Broadcaster{b} }

// Post sends r to the chat destination and returns the first message's ID.
func (p *Broadcaster) Post(ctx context.Context, destination string, r commands.Reply, mention, nonce string) (string, error) {
	chatID, err := strconv.ParseInt(destination, 10, 64)
	if err != nil || chatID == 0 {
		return "", refusedError{&SendError{Kind: KindRejected, Description: fmt.Sprintf("not a Telegram chat ID: %q", destination)}}
	}
	id, err := p.b.Post(ctx, chatID, r)
	if err != nil {
		return "", broadcastError(err)
	}
	return strconv.Itoa(id), nil
}

// broadcastError gives a *SendError the method the sender looks for.
func broadcastError(err error) error {
	se, ok := err.(*SendError)
	if !ok {
		return err
	}
	switch se.Kind {
	case KindRateLimited:
		return rateLimitedError{se}
	case KindBlocked, KindRejected:
		return refusedError{se}
	case KindMigrated:
		return migratedError{se}
	}
	return se
}

type rateLimitedError struct{ *SendError }

func (e rateLimitedError) RetryAfter() time.Duration { return e.SendError.RetryAfter }
func (e rateLimitedError) Unwrap() error             { return e.SendError }

type refusedError struct{ *SendError }

func (e refusedError) Permanent() bool { return true }
func (e refusedError) Unwrap() error   { return e.SendError }

type migratedError struct{ *SendError }

func (e migratedError) MigratedTo() string { return strconv.FormatInt(e.NewChatID, 10) }
func (e migratedError) Unwrap() error      { return e.SendError }
