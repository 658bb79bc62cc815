package telegram

import (
	"errors"
	"fmt"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/eebot/eebot/internal/secret"
)

// errorKind tells send failures apart.
type errorKind int

const (
	// kindTransient: the request never reached Telegram (no connection);
	// the message may go through if tried later.
	kindTransient errorKind = iota + 1
	// kindRateLimited: 429 flood control outlasted the queue's retries.
	kindRateLimited
	// kindBlocked: 403, the user blocked the bot or it left the group;
	// skip this chat from now on.
	kindBlocked
	// kindMigrated: the group became a supergroup (NewChatID) and the call
	// could not simply be re-sent there (an edit of an old message).
	kindMigrated
	// kindRejected: Telegram refused the request itself (400); retrying
	// will not help.
	kindRejected
	// kindAmbiguous: the request reached Telegram, or may have, but no
	// clear answer came back (a 5xx, a timeout or a dropped connection
	// after it was written): the message may have been delivered, so the
	// queue never sends it again.
	kindAmbiguous
)

func (k errorKind) String() string {
	switch k {
	case kindTransient:
		return "transient"
	case kindRateLimited:
		return "rate limited"
	case kindBlocked:
		return "blocked"
	case kindMigrated:
		return "migrated"
	case kindRejected:
		return "rejected"
	case kindAmbiguous:
		return "no clear answer (may have been delivered)"
	}
	return "unknown"
}

// sendError is the error the queue reports, and so Bot.Post.
type sendError struct {
	Kind        errorKind
	ChatID      int64
	Code        int           // Bot API error_code; 0 for network errors
	Description string        // Telegram's description, or the network error (token removed)
	RetryAfter  time.Duration // for kindRateLimited
	NewChatID   int64         // for kindMigrated
}

func (e *sendError) Error() string {
	s := fmt.Sprintf("telegram: chat %d: %s", e.ChatID, e.Kind)
	if e.Code != 0 {
		s += fmt.Sprintf(" (%d)", e.Code)
	}
	if e.Description != "" {
		s += ": " + e.Description
	}
	return s
}

// Is matches errBlocked by kind.
func (e *sendError) Is(target error) bool {
	t, ok := target.(*sendError)
	return ok && t.ChatID == 0 && t.Code == 0 && t.Description == "" && t.Kind == e.Kind
}

// errBlocked matches, with errors.Is, a send to a chat that refuses the bot
// (403: blocked, kicked, never started).
var errBlocked error = &sendError{Kind: kindBlocked}

// outcome is how the queue treats one failed call.
type outcome struct {
	err        *sendError
	retryAfter time.Duration // 429: pause the chat this long, then retry
	migrateTo  int64         // resend to this chat
	retry      bool          // transient: retry after a backoff
	notChanged bool          // edit with identical content: success
}

// classify turns a tgbotapi call error into what the queue does next.
// token is removed from any text kept.
func classify(chatID int64, err error, unit time.Duration, token string) outcome {
	var te *tgbotapi.Error
	if errors.As(err, &te) {
		se := &sendError{ChatID: chatID, Code: te.Code, Description: redact(te.Message, token)}
		switch {
		case te.Code == 429 || te.RetryAfter > 0:
			se.Kind = kindRateLimited
			se.RetryAfter = time.Duration(max(1, te.RetryAfter)) * unit
			return outcome{err: se, retryAfter: se.RetryAfter}
		case te.MigrateToChatID != 0:
			se.Kind, se.NewChatID = kindMigrated, te.MigrateToChatID
			return outcome{err: se, migrateTo: te.MigrateToChatID}
		case te.Code == 403:
			se.Kind = kindBlocked
			return outcome{err: se}
		case te.Code == 400 && strings.Contains(te.Message, "message is not modified"):
			return outcome{notChanged: true}
		case te.Code >= 500:
			// Telegram, or a proxy in front of it, got the request: it
			// may have acted on it before failing.
			se.Kind = kindAmbiguous
			return outcome{err: se}
		default:
			se.Kind = kindRejected
			return outcome{err: se}
		}
	}
	se := &sendError{Kind: kindAmbiguous, ChatID: chatID, Description: redact(err.Error(), token)}
	// Retry only when the request surely never reached Telegram, so a
	// message cannot be delivered twice. Anything else (a timeout or a
	// dropped connection after writing, an unreadable answer) may hide a
	// delivery.
	var we *wireError
	if errors.As(err, &we) && !we.written {
		se.Kind = kindTransient
		return outcome{err: se, retry: true}
	}
	return outcome{err: se}
}

// redact removes the bot token from s, as typed or URL-escaped (a
// redirect writes its ':' as %3A). Errors keep it out of the outbox and of
// what people are shown; main's log handler does the same for every line.
func redact(s, token string) string {
	return secret.NewRedactor(token).String(s)
}
