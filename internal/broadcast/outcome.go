package broadcast

import (
	"errors"
	"fmt"
	"time"
)

// Kind is what became of one attempt to post: the only vocabulary the sender
// and the adapters share. Each adapter decides it in one place, from its
// platform's answer; the sender acts on it and on nothing else.
//
// The line that matters is between a clear refusal (the platform said no,
// or never got the request: Transient, RateLimited, Gone, Moved), which is
// safe to retry, and an unknown outcome (Ambiguous), where a retry may
// post a second copy.
type Kind int

const (
	// Transient: the post surely did not go out and may be retried: the
	// request never reached the platform (connection refused, no route),
	// the platform refused this message (a 400-like answer), or it was
	// never sent (ctx ended while it waited). Retried with back-off. It is
	// the zero Kind, so a forgotten outcome is retried rather than lost.
	Transient Kind = iota
	// Delivered: the platform accepted the post.
	Delivered
	// RateLimited: the platform asked to wait RetryAfter, then retry.
	RateLimited
	// Gone: the destination refuses the bot (403/404-like: the bot was
	// removed, the chat or channel no longer exists). Refusals in a row
	// mark the destination dead.
	Gone
	// Moved: the destination has a new ID (a Telegram group became a
	// supergroup). The sender moves its subscriptions and retries there.
	Moved
	// Ambiguous: the request reached the platform, or may have, but no
	// clear answer came back (a 5xx, a timeout or a dropped connection
	// after the request was written): the post may have been delivered.
	// The sender retries it once, then records it as possibly delivered.
	Ambiguous
)

func (k Kind) String() string {
	switch k {
	case Transient:
		return "transient failure"
	case Delivered:
		return "delivered"
	case RateLimited:
		return "rate limited"
	case Gone:
		return "destination gone"
	case Moved:
		return "destination moved"
	case Ambiguous:
		return "no clear answer (may have been delivered)"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Outcome is what a Poster reports for one post.
type Outcome struct {
	Kind       Kind
	MessageID  string        // Delivered: the platform's ID of the (first) message; may be empty
	RetryAfter time.Duration // RateLimited: how long the platform asked to wait
	MovedTo    string        // Moved: the destination's new ID
	Err        error         // the failures: what the platform said, for the log and the outbox
}

// reason is the failure as the log and the outbox's last_error keep it.
func (o Outcome) reason() error {
	if o.Err != nil {
		return o.Err
	}
	return errors.New(o.Kind.String())
}
