package discord

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/eebot/eebot/internal/reply"
)

// Kind says what a failed REST call means for whoever sends.
type Kind int

const (
	// Transient: network error, timeout, 5xx or an unreadable answer; try
	// again later.
	Transient Kind = iota
	// RateLimited: HTTP 429; wait RetryAfter before sending again.
	RateLimited
	// Gone: HTTP 403 or 404; the channel is deleted or the bot may not post
	// there. Stop sending to it.
	Gone
	// Rejected: any other 4xx, or an argument the bot refused before
	// sending; the same request will fail again.
	Rejected
)

func (k Kind) String() string {
	switch k {
	case Transient:
		return "transient"
	case RateLimited:
		return "rate limited"
	case Gone:
		return "gone"
	case Rejected:
		return "rejected"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Sentinels matched by errors.Is on a *SendError of that Kind.
var (
	ErrTransient   = errors.New("discord: transient failure")
	ErrRateLimited = errors.New("discord: rate limited")
	ErrGone        = errors.New("discord: destination gone or forbidden")
	ErrRejected    = errors.New("discord: request rejected")
)

// SendError is what Post returns on failure.
type SendError struct {
	Kind   Kind
	Status int // HTTP status; 0 when there was no answer
	Code   int // Discord's JSON error code (10003 unknown channel, 50001 missing access, 50013 missing permissions, …)
	// RetryAfter is, for RateLimited, how long Discord asked to wait. (The
	// sender reads it through the RetryAfter method of Err, see Post.)
	RetryAfter time.Duration
	Err        error
}

func (e *SendError) Error() string {
	var b strings.Builder
	b.WriteString("discord: send ")
	b.WriteString(e.Kind.String())
	if e.Status != 0 {
		fmt.Fprintf(&b, " (HTTP %d", e.Status)
		if e.Code != 0 {
			fmt.Fprintf(&b, ", code %d", e.Code)
		}
		b.WriteString(")")
	}
	if e.Kind == RateLimited {
		fmt.Fprintf(&b, ", retry after %s", e.RetryAfter)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *SendError) Unwrap() error { return e.Err }

// Is matches the Kind's sentinel.
func (e *SendError) Is(target error) bool {
	switch target {
	case ErrTransient:
		return e.Kind == Transient
	case ErrRateLimited:
		return e.Kind == RateLimited
	case ErrGone:
		return e.Kind == Gone
	case ErrRejected:
		return e.Kind == Rejected
	}
	return false
}

// classify maps a discordgo REST error to a SendError.
func classify(err error) *SendError {
	var se *SendError
	if errors.As(err, &se) {
		return se
	}
	out := &SendError{Kind: Transient, Err: err}
	var rl *discordgo.RateLimitError
	var re *discordgo.RESTError
	switch {
	case errors.As(err, &rl):
		var d time.Duration
		if rl.RateLimit != nil && rl.TooManyRequests != nil {
			d = rl.RetryAfter
		}
		return rateLimitedError(http.StatusTooManyRequests, d, err)
	case errors.As(err, &re) && re.Response != nil:
		out.Status = re.Response.StatusCode
		if re.Message != nil {
			out.Code = re.Message.Code
		}
		switch s := out.Status; {
		case s == http.StatusForbidden || s == http.StatusNotFound:
			out.Kind = Gone
		case s == http.StatusTooManyRequests:
			return rateLimitedError(s, time.Second, err)
		case s == http.StatusRequestTimeout || s >= 500:
			out.Kind = Transient
		case s >= 400:
			out.Kind = Rejected
		}
	}
	return out
}

// Permanent reports whether the destination refuses the bot (HTTP 403 or
// 404: channel deleted, bot removed or not allowed to post). The outbox
// sender marks such a subscription dead after repeated refusals.
func (e *SendError) Permanent() bool { return e.Kind == Gone }

// rateLimited is the Err of a RateLimited SendError. It carries the
// RetryAfter method the outbox sender looks for with errors.As. It is not a
// method of *SendError itself: the sender tests for RetryAfter before
// Permanent, so every SendError having it would turn a 403 into a retry.
type rateLimited struct {
	wait  time.Duration
	cause error // discordgo's error, or nil when Post did not send
}

func (e *rateLimited) RetryAfter() time.Duration { return e.wait }
func (e *rateLimited) Unwrap() error             { return e.cause }
func (e *rateLimited) Error() string {
	if e.cause != nil {
		return e.cause.Error()
	}
	return "bucket exhausted, not sent"
}

// rateLimitedError is a RateLimited SendError asking to wait d.
func rateLimitedError(status int, d time.Duration, cause error) *SendError {
	if d <= 0 {
		d = time.Second
	}
	return &SendError{Kind: RateLimited, Status: status, RetryAfter: d, Err: &rateLimited{wait: d, cause: cause}}
}

// maxNonce is Discord's limit on a message nonce (a string of up to 25
// characters).
const maxNonce = 25

// maxBucketWait is the longest Post waits for a channel bucket or the global
// limit that an earlier answer exhausted; beyond it Post returns a
// RateLimited error without sending, so the caller can reschedule.
const maxBucketWait = time.Second

// postBody is a create-message body. discordgo's MessageSend has no
// enforce_nonce, so Post marshals this instead.
type postBody struct {
	Content         string                            `json:"content,omitempty"`
	Embeds          []*discordgo.MessageEmbed         `json:"embeds"`
	Components      []discordgo.MessageComponent      `json:"components,omitempty"`
	AllowedMentions *discordgo.MessageAllowedMentions `json:"allowed_mentions"`
	Nonce           string                            `json:"nonce,omitempty"`
	EnforceNonce    bool                              `json:"enforce_nonce,omitempty"`
}

// Post sends r as an embed to a channel and returns the message ID; it is
// the broadcast.Poster of the Discord platform. With mention (a role ID or
// "<@&ID>") the message pings that role and nothing else; otherwise it pings
// nobody; @everyone and @here are never allowed.
//
// nonce, the same on every attempt of one delivery, goes out with
// enforce_nonce, so Discord answers a repeat within its dedup window (a few
// minutes) with the message already created instead of posting twice. A
// nonce longer than Discord's 25 characters is hashed to 25.
//
// Posts are paced under Config.PostRate. Rate limits are not waited out: a
// 429 comes back at once as a *SendError whose error chain has
// RetryAfter() time.Duration, so the sender can reschedule; 403/404 come back
// with Permanent() true.
func (b *Bot) Post(ctx context.Context, channelID string, r reply.Reply, mention, nonce string) (string, error) {
	if !isSnowflake(channelID) {
		return "", &SendError{Kind: Rejected, Err: fmt.Errorf("channel id %q is not a snowflake", channelID)}
	}
	m := render(r)
	body := postBody{
		Embeds:          []*discordgo.MessageEmbed{m.Embed},
		Components:      m.Components,
		AllowedMentions: noMentions(),
	}
	if mention != "" {
		id, ok := roleID(mention)
		if !ok {
			return "", &SendError{Kind: Rejected, Err: fmt.Errorf("role mention %q: want a role id or <@&id>", mention)}
		}
		body.Content = "<@&" + id + ">"
		body.AllowedMentions = &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}, Roles: []string{id}}
	}
	if nonce = strings.TrimSpace(nonce); nonce != "" {
		body.Nonce, body.EnforceNonce = postNonce(nonce), true
	}
	data, err := json.Marshal(body)
	if err != nil {
		return "", &SendError{Kind: Rejected, Err: err}
	}
	if err := b.pace.wait(ctx); err != nil {
		return "", &SendError{Kind: Transient, Err: err}
	}
	// The channel's bucket, locked here rather than by discordgo so that a
	// long wait left by an earlier 429 is reported instead of slept out,
	// and a short one respects ctx.
	endpoint := discordgo.EndpointChannelMessages(channelID)
	rl := b.rest.Ratelimiter
	bucket := rl.GetBucket(endpoint)
	bucket.Lock()
	if wait := rl.GetWaitTime(bucket, 1); wait > 0 {
		if wait > maxBucketWait {
			bucket.Unlock()
			return "", rateLimitedError(0, wait, nil)
		}
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			bucket.Unlock()
			return "", &SendError{Kind: Transient, Err: ctx.Err()}
		}
	}
	bucket.Remaining--
	// RequestWithLockedBucket releases the bucket with the answer's headers.
	resp, err := b.rest.RequestWithLockedBucket("POST", endpoint, "application/json", data, bucket, 0,
		discordgo.WithContext(ctx), discordgo.WithRetryOnRatelimit(false))
	if err != nil {
		return "", classify(err)
	}
	var msg struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(resp, &msg); err != nil || msg.ID == "" {
		// Discord accepted the message; the sender must not post it again.
		b.log.Warn("discord: posted, but the answer had no message id", "channel", channelID, "err", err)
		return "", nil
	}
	return msg.ID, nil
}

// postNonce fits a nonce into Discord's 25 characters, deterministically so
// every retry of a delivery carries the same one.
func postNonce(n string) string {
	if len(n) <= maxNonce {
		return n
	}
	sum := sha256.Sum256([]byte(n))
	return hex.EncodeToString(sum[:])[:maxNonce]
}

// roleID accepts "123", "<@&123>" or "@&123".
func roleID(s string) (string, bool) {
	s = strings.TrimSpace(s)
	s = strings.TrimSuffix(strings.TrimPrefix(s, "<"), ">")
	s = strings.TrimPrefix(s, "@&")
	return s, isSnowflake(s)
}
