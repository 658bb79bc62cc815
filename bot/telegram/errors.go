package telegram

import (
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// ErrorKind tells send failures apart.
type ErrorKind int

const (
	// KindTransient: network trouble or a Telegram server error; the
	// message may go through if tried later.
	KindTransient ErrorKind = iota + 1
	// KindRateLimited: 429 flood control outlasted the queue's retries.
	KindRateLimited
	// KindBlocked: 403, the user blocked the bot or it left the group;
	// skip this chat from now on.
	KindBlocked
	// KindMigrated: the group became a supergroup (NewChatID) and the call
	// could not simply be re-sent there (an edit of an old message).
	KindMigrated
	// KindRejected: Telegram refused the request itself (400); retrying
	// will not help.
	KindRejected
)

func (k ErrorKind) String() string {
	switch k {
	case KindTransient:
		return "transient"
	case KindRateLimited:
		return "rate limited"
	case KindBlocked:
		return "blocked"
	case KindMigrated:
		return "migrated"
	case KindRejected:
		return "rejected"
	}
	return "unknown"
}

// SendError is the error Post and the queue report. Use errors.As to get
// it, or errors.Is with ErrTransient, ErrRateLimited, ErrBlocked,
// ErrMigrated or ErrRejected.
type SendError struct {
	Kind        ErrorKind
	ChatID      int64
	Code        int           // Bot API error_code; 0 for network errors
	Description string        // Telegram's description, or the network error (token removed)
	RetryAfter  time.Duration // for KindRateLimited
	NewChatID   int64         // for KindMigrated
}

func (e *SendError) Error() string {
	s := fmt.Sprintf("telegram: chat %d: %s", e.ChatID, e.Kind)
	if e.Code != 0 {
		s += fmt.Sprintf(" (%d)", e.Code)
	}
	if e.Description != "" {
		s += ": " + e.Description
	}
	return s
}

// Is matches the Err* sentinels by kind.
func (e *SendError) Is(target error) bool {
	t, ok := target.(*SendError)
	return ok && t.ChatID == 0 && t.Code == 0 && t.Description == "" && t.Kind == e.Kind
}

// Sentinels for errors.Is.
var (
	ErrTransient   error = &SendError{Kind: KindTransient}
	ErrRateLimited error = &SendError{Kind: KindRateLimited}
	ErrBlocked     error = &SendError{Kind: KindBlocked}
	ErrMigrated    error = &SendError{Kind: KindMigrated}
	ErrRejected    error = &SendError{Kind: KindRejected}
)

// outcome is how the queue treats one failed call.
type outcome struct {
	err        *SendError
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
		se := &SendError{ChatID: chatID, Code: te.Code, Description: redact(te.Message, token)}
		switch {
		case te.Code == 429 || te.RetryAfter > 0:
			se.Kind = KindRateLimited
			se.RetryAfter = time.Duration(max(1, te.RetryAfter)) * unit
			return outcome{err: se, retryAfter: se.RetryAfter}
		case te.MigrateToChatID != 0:
			se.Kind, se.NewChatID = KindMigrated, te.MigrateToChatID
			return outcome{err: se, migrateTo: te.MigrateToChatID}
		case te.Code == 403:
			se.Kind = KindBlocked
			return outcome{err: se}
		case te.Code == 400 && strings.Contains(te.Message, "message is not modified"):
			return outcome{notChanged: true}
		case te.Code >= 500:
			se.Kind = KindTransient
			return outcome{err: se, retry: true}
		default:
			se.Kind = KindRejected
			return outcome{err: se}
		}
	}
	se := &SendError{Kind: KindTransient, ChatID: chatID, Description: redact(err.Error(), token)}
	// Retry only when the request surely never reached Telegram (no
	// connection), so a message cannot be delivered twice.
	var oe *net.OpError
	return outcome{err: se, retry: errors.As(err, &oe) && oe.Op == "dial"}
}

// redact removes the bot token from s.
func redact(s, token string) string {
	if token == "" {
		return s
	}
	return strings.ReplaceAll(s, token, "<token>")
}
