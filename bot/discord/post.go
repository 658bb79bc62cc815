package discord

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/eebot/eebot/commands"
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
	Kind       Kind
	Status     int           // HTTP status; 0 when there was no answer
	Code       int           // Discord's JSON error code (10003 unknown channel, 50001 missing access, 50013 missing permissions, …)
	RetryAfter time.Duration // for RateLimited: how long Discord asked to wait
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
		out.Kind, out.Status = RateLimited, http.StatusTooManyRequests
		if rl.RateLimit != nil && rl.TooManyRequests != nil {
			out.RetryAfter = rl.RetryAfter
		}
		if out.RetryAfter <= 0 {
			out.RetryAfter = time.Second
		}
	case errors.As(err, &re) && re.Response != nil:
		out.Status = re.Response.StatusCode
		if re.Message != nil {
			out.Code = re.Message.Code
		}
		switch s := out.Status; {
		case s == http.StatusForbidden || s == http.StatusNotFound:
			out.Kind = Gone
		case s == http.StatusTooManyRequests:
			out.Kind, out.RetryAfter = RateLimited, time.Second
		case s == http.StatusRequestTimeout || s >= 500:
			out.Kind = Transient
		case s >= 400:
			out.Kind = Rejected
		}
	}
	return out
}

// Post sends r as an embed to a channel (for new-draw announcements) and
// returns the message id. With roleMention (a role id or "<@&id>") the
// message pings that role and nothing else; otherwise it pings nobody.
// @everyone and @here are never allowed. Rate limits are not waited out:
// the error says how long to wait, so a fan-out can schedule around it.
func (b *Bot) Post(ctx context.Context, channelID string, r commands.Reply, roleMention string) (string, error) {
	if !isSnowflake(channelID) {
		return "", &SendError{Kind: Rejected, Err: fmt.Errorf("channel id %q is not a snowflake", channelID)}
	}
	m := render(r)
	send := &discordgo.MessageSend{
		Embeds:          []*discordgo.MessageEmbed{m.Embed},
		Components:      m.Components,
		AllowedMentions: noMentions(),
	}
	if roleMention != "" {
		id, ok := roleID(roleMention)
		if !ok {
			return "", &SendError{Kind: Rejected, Err: fmt.Errorf("role mention %q: want a role id or <@&id>", roleMention)}
		}
		send.Content = "<@&" + id + ">"
		send.AllowedMentions = &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}, Roles: []string{id}}
	}
	msg, err := b.rest.ChannelMessageSendComplex(channelID, send,
		discordgo.WithContext(ctx), discordgo.WithRetryOnRatelimit(false))
	if err != nil {
		return "", classify(err)
	}
	return msg.ID, nil
}

// roleID accepts "123", "<@&123>" or "@&123".
func roleID(s string) (string, bool) {
	s = strings.TrimSpace(s)
	s = strings.TrimSuffix(strings.TrimPrefix(s, "<"), ">")
	s = strings.TrimPrefix(s, "@&")
	return s, isSnowflake(s)
}
