package telegram

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/eebot/eebot/internal/reply"
)

// Broadcaster posts draw alerts for internal/broadcast.Sender (it has that
// package's Poster method set): destinations are chat IDs in decimal. The
// post goes through the Bot's send queue like any rep, after users'
// replies; Run must be running.
//
// Errors tell the sender what to do:
//   - 429 flood control that outlasted the queue's own retries: RetryAfter()
//     is Telegram's retry_after (> 0);
//   - the chat refuses the bot: Permanent() is true. That is every 403 (the
//     user blocked the bot, it was kicked from or is not a member of the
//     group or channel, the user never started a chat) and the 400s that
//     name the destination (chat not found, no right to post: "need
//     administrator rights in the channel chat", …). Other 400s mean the
//     message itself was refused, a bug to fix rather than a reason to drop
//     the destination, so they are plain errors the sender retries later;
//   - a basic group that became a supergroup: see below;
//   - anything else (network, 5xx, ctx ending): a plain error to retry.
//
// Migrations. With Config.OnMigrate set (main wires it to the store's
// MoveDestination), a post to a group that became a supergroup is delivered
// to the supergroup and Post succeeds, and OnMigrate(old, new) is called:
// when Telegram answers migrate_to_chat_id (or the migration service
// message arrives), concurrently with the re-send, and again, before
// sending, by every later Post addressed to the old ID, so a move that
// failed once is retried. Without OnMigrate, Post
// sends nothing to the new chat and fails with an error whose MigratedTo()
// is the supergroup's ID, and the sender moves the destination and retries.
//
// mention is ignored: Telegram has no role mentions, and posts never ping
// anyone. nonce is ignored too: Telegram has no idempotency key, so a crash
// (or a timed-out request) between Telegram accepting a message and the
// outbox recording it as sent can, on retry, post that one alert twice.
// The window is one HTTP round trip per post: the queue itself re-sends
// only after a 429 (Telegram sent nothing), a 5xx, or a connection that was
// never made, never after a request that may have been delivered.
type Broadcaster struct{ b *Bot }

// Broadcaster returns the Bot's poster for broadcasts.
func (b *Bot) Broadcaster() *Broadcaster { return &Broadcaster{b} }

// Post sends r to the chat destination and returns the first message's ID.
func (p *Broadcaster) Post(ctx context.Context, destination string, r reply.Reply, mention, nonce string) (string, error) {
	chatID, err := strconv.ParseInt(destination, 10, 64)
	if err != nil || chatID == 0 {
		return "", refusedError{&SendError{Kind: KindRejected, Description: fmt.Sprintf("not a Telegram chat ID: %q", destination)}}
	}
	onMigrate := p.b.cfg.OnMigrate
	if to := p.b.queue.resolve(chatID); to != chatID {
		if onMigrate == nil {
			return "", migratedError{&SendError{Kind: KindMigrated, ChatID: chatID, NewChatID: to,
				Description: "group chat was upgraded to a supergroup chat"}}
		}
		onMigrate(chatID, to) // the queue sends to the new ID
	}
	ids, err := p.b.wait(ctx, &job{chatID: chatID, parts: p.b.messages(r, 0), priority: prioBulk, noResend: onMigrate == nil})
	if err != nil {
		return "", broadcastError(err)
	}
	if len(ids) == 0 {
		return "", nil
	}
	return strconv.Itoa(ids[0]), nil
}

// broadcastError gives a *SendError the method the sender looks for.
func broadcastError(err error) error {
	se, ok := err.(*SendError)
	if !ok {
		return err
	}
	switch se.Kind {
	case KindRateLimited:
		if se.RetryAfter > 0 {
			return rateLimitedError{se}
		}
	case KindBlocked:
		return refusedError{se}
	case KindRejected:
		if destinationRefused(se.Description) {
			return refusedError{se}
		}
	case KindMigrated:
		if se.NewChatID != 0 {
			return migratedError{se}
		}
	}
	return se
}

// destinationRefused reports whether a 400's description is about the chat
// (it is gone, or the bot may not post there) rather than the message.
func destinationRefused(desc string) bool {
	d := strings.ToLower(desc)
	for _, s := range []string{
		"chat not found", "not a telegram chat id", "need administrator rights", "not enough rights",
		"have no rights to send", "chat_write_forbidden", "chat_restricted", "chat_admin_required",
		"group chat was deactivated", "user is deactivated", "peer_id_invalid", "channel_private",
	} {
		if strings.Contains(d, s) {
			return true
		}
	}
	return false
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
