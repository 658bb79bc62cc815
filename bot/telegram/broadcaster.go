package telegram

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/eebot/eebot/internal/broadcast"
	"github.com/eebot/eebot/internal/reply"
)

// Broadcaster posts draw alerts for internal/broadcast.Sender (it is that
// package's Poster): destinations are chat IDs in decimal. The post goes
// through the Bot's send queue like any reply, after users' replies; Run
// must be running.
//
// The outcome tells the sender what to do:
//   - RateLimited: 429 flood control that outlasted the queue's own
//     retries, with Telegram's retry_after;
//   - Gone: the chat refuses the bot. That is every 403 (the user blocked
//     the bot, it was kicked from or is not a member of the group or
//     channel, the user never started a chat) and the 400s that name the
//     destination (chat not found, no right to post: "need administrator
//     rights in the channel chat", …). Other 400s mean the message itself
//     was refused, a bug to fix rather than a reason to drop the
//     destination, so they are Transient and retried later;
//   - Moved: a basic group that became a supergroup: see below;
//   - Ambiguous: the message may have been delivered but no clear answer
//     came back: a 5xx, a timeout or a dropped connection after the
//     request was written, an unreadable answer, or ctx ending while the
//     call was in flight. The queue never re-sends these; the sender
//     decides (it retries once);
//   - Transient: anything else: the request never reached Telegram, or
//     ctx ended before it was sent.
//
// Migrations. With Config.OnMigrate set (main wires it to the store's
// MoveDestination), a post to a group that became a supergroup is delivered
// to the supergroup and Post reports Delivered, and OnMigrate(old, new) is
// called: when Telegram answers migrate_to_chat_id (or the migration
// service message arrives), concurrently with the re-send, and again,
// before sending, by every later Post addressed to the old ID, so a move
// that failed once is retried. Without OnMigrate, Post sends nothing to the
// new chat and reports Moved to the supergroup's ID, and the sender moves
// the destination and retries.
//
// mention is ignored: Telegram has no role mentions, and posts never ping
// anyone. nonce is ignored too: Telegram has no idempotency key, so a crash
// (or an ambiguous answer) between Telegram accepting a message and the
// outbox recording it as sent can, on retry, post that one alert twice.
// The queue itself re-sends only after a 429 (Telegram sent nothing) or a
// request that never left, never after one that may have been delivered.
type Broadcaster struct{ b *Bot }

// Broadcaster returns the Bot's poster for broadcasts.
func (b *Bot) Broadcaster() *Broadcaster { return &Broadcaster{b} }

// Post sends r to the chat destination; a Delivered outcome carries the
// first message's ID.
func (p *Broadcaster) Post(ctx context.Context, destination string, r reply.Reply, mention, nonce string) broadcast.Outcome {
	return postOutcome(p.post(ctx, destination, r))
}

// post sends r and returns the messages' IDs, or why it was not sent.
func (p *Broadcaster) post(ctx context.Context, destination string, r reply.Reply) ([]int, error) {
	chatID, err := strconv.ParseInt(destination, 10, 64)
	if err != nil || chatID == 0 {
		return nil, &sendError{Kind: kindRejected, Description: fmt.Sprintf("not a Telegram chat ID: %q", destination)}
	}
	onMigrate := p.b.cfg.OnMigrate
	if to := p.b.queue.resolve(chatID); to != chatID {
		if onMigrate == nil {
			return nil, &sendError{Kind: kindMigrated, ChatID: chatID, NewChatID: to,
				Description: "group chat was upgraded to a supergroup chat"}
		}
		onMigrate(chatID, to) // the queue sends to the new ID
	}
	// One fan-out sends the same post to every chat: its HTML is made once
	// (the cache is keyed by the post's content, so a corrected draw is
	// rendered anew); only the buttons, if any, are made per chat.
	parts := p.b.parts(r, p.b.postTexts.Get(r, p.b.texts), 0)
	return p.b.wait(ctx, &job{chatID: chatID, parts: parts, priority: prioBulk, noResend: onMigrate == nil})
}

// postOutcome is the one place a send's result becomes the sender's outcome.
func postOutcome(ids []int, err error) broadcast.Outcome {
	if err == nil {
		o := broadcast.Outcome{Kind: broadcast.Delivered}
		if len(ids) > 0 {
			o.MessageID = strconv.Itoa(ids[0])
		}
		return o
	}
	// The queue fails jobs with a *sendError; anything else (ctx ending
	// before the job was sent, a cancelled job) is transient.
	if se, ok := err.(*sendError); ok {
		switch se.Kind {
		case kindRateLimited:
			if se.RetryAfter > 0 {
				return broadcast.Outcome{Kind: broadcast.RateLimited, RetryAfter: se.RetryAfter, Err: se}
			}
		case kindBlocked:
			return broadcast.Outcome{Kind: broadcast.Gone, Err: se}
		case kindRejected:
			if destinationRefused(se.Description) {
				return broadcast.Outcome{Kind: broadcast.Gone, Err: se}
			}
		case kindMigrated:
			if se.NewChatID != 0 {
				return broadcast.Outcome{Kind: broadcast.Moved, MovedTo: strconv.FormatInt(se.NewChatID, 10), Err: se}
			}
		case kindAmbiguous:
			return broadcast.Outcome{Kind: broadcast.Ambiguous, Err: se}
		}
	}
	return broadcast.Outcome{Kind: broadcast.Transient, Err: err}
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
