package discord

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptrace"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/eebot/eebot/internal/broadcast"
	"github.com/eebot/eebot/internal/reply"
)

// errKind says what a failed REST call means for whoever sends.
type errKind int

const (
	// kindTransient: the request never reached Discord (no connection),
	// or Discord said it timed out reading it (408); try again later.
	kindTransient errKind = iota
	// kindRateLimited: HTTP 429; wait retryAfter before sending again.
	kindRateLimited
	// kindGone: HTTP 403 or 404; the channel is deleted or the bot may not
	// post there. Stop sending to it.
	kindGone
	// kindRejected: any other 4xx, or an argument the bot refused before
	// sending; the same request will fail again.
	kindRejected
	// kindAmbiguous: the request reached Discord, or may have, but no
	// clear answer came back (a 5xx, a timeout or a dropped connection
	// after it was written): the message may have been created.
	kindAmbiguous
)

func (k errKind) String() string {
	switch k {
	case kindTransient:
		return "transient"
	case kindRateLimited:
		return "rate limited"
	case kindGone:
		return "gone"
	case kindRejected:
		return "rejected"
	case kindAmbiguous:
		return "without a clear answer (may have been created)"
	}
	return fmt.Sprintf("errKind(%d)", int(k))
}

// sendError is a failed REST call, classified.
type sendError struct {
	kind       errKind
	status     int           // HTTP status; 0 when there was no answer
	code       int           // Discord's JSON error code (10003 unknown channel, 50001 missing access, 50013 missing permissions, …)
	retryAfter time.Duration // for kindRateLimited: how long Discord asked to wait
	err        error         // discordgo's error, or why the bot refused; nil when a bucket was exhausted
}

func (e *sendError) Error() string {
	var b strings.Builder
	b.WriteString("discord: send ")
	b.WriteString(e.kind.String())
	if e.status != 0 {
		fmt.Fprintf(&b, " (HTTP %d", e.status)
		if e.code != 0 {
			fmt.Fprintf(&b, ", code %d", e.code)
		}
		b.WriteString(")")
	}
	if e.kind == kindRateLimited {
		fmt.Fprintf(&b, ", retry after %s", e.retryAfter)
	}
	switch {
	case e.err != nil:
		b.WriteString(": ")
		b.WriteString(e.err.Error())
	case e.kind == kindRateLimited:
		b.WriteString(": bucket exhausted, not sent")
	}
	return b.String()
}

func (e *sendError) Unwrap() error { return e.err }

// classify maps a discordgo REST error to a sendError.
func classify(err error) *sendError {
	var se *sendError
	if errors.As(err, &se) {
		return se
	}
	out := &sendError{kind: kindTransient, err: err}
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
		out.status = re.Response.StatusCode
		if re.Message != nil {
			out.code = re.Message.Code
		}
		switch s := out.status; {
		case s == http.StatusForbidden || s == http.StatusNotFound:
			out.kind = kindGone
		case s == http.StatusTooManyRequests:
			return rateLimitedError(s, time.Second, err)
		case s >= 500:
			out.kind = kindAmbiguous
		case s == http.StatusRequestTimeout:
			out.kind = kindTransient
		case s >= 400:
			out.kind = kindRejected
		}
	}
	return out
}

// rateLimitedError is a rate-limited sendError asking to wait d.
func rateLimitedError(status int, d time.Duration, cause error) *sendError {
	if d <= 0 {
		d = time.Second
	}
	return &sendError{kind: kindRateLimited, status: status, retryAfter: d, err: cause}
}

// postOutcome is the one place a Discord answer becomes the sender's
// outcome. A 400 is a bug in the post, not a reason to drop the channel: it
// is retried like a transient failure and stays visible in the outbox.
func postOutcome(id string, err error) broadcast.Outcome {
	if err == nil {
		return broadcast.Outcome{Kind: broadcast.Delivered, MessageID: id}
	}
	se := classify(err)
	switch se.kind {
	case kindRateLimited:
		return broadcast.Outcome{Kind: broadcast.RateLimited, RetryAfter: se.retryAfter, Err: se}
	case kindGone:
		return broadcast.Outcome{Kind: broadcast.Gone, Err: se}
	case kindAmbiguous:
		return broadcast.Outcome{Kind: broadcast.Ambiguous, Err: se}
	}
	return broadcast.Outcome{Kind: broadcast.Transient, Err: se}
}

// maxNonce is Discord's limit on a message nonce (a string of up to 25
// characters).
const maxNonce = 25

// maxBucketWait is the longest Post waits for a channel bucket or the global
// limit that an earlier answer exhausted; beyond it Post returns a
// rate limit without sending, so the caller can reschedule.
const maxBucketWait = time.Second

// postBody is a create-message body. discordgo's MessageSend has no
// enforce_nonce, so Post marshals this instead. The embed and the buttons
// come marshalled already (see postJSON).
type postBody struct {
	Content         string                            `json:"content,omitempty"`
	Embeds          json.RawMessage                   `json:"embeds"`
	Components      json.RawMessage                   `json:"components,omitempty"`
	AllowedMentions *discordgo.MessageAllowedMentions `json:"allowed_mentions"`
	Nonce           string                            `json:"nonce,omitempty"`
	EnforceNonce    bool                              `json:"enforce_nonce,omitempty"`
}

// postJSON is a post rendered for every channel it goes to: its embed and
// buttons in JSON. Only the mention and the nonce differ per channel.
type postJSON struct {
	embeds     json.RawMessage // [embed]
	components json.RawMessage // nil when there are none
	err        error
}

// renderPost renders and marshals r; Post caches the result, so a fan-out
// does it once per post rather than once per channel.
func (b *Bot) renderPost(r reply.Reply) postJSON {
	m := b.render(r)
	var p postJSON
	if p.embeds, p.err = json.Marshal([]*discordgo.MessageEmbed{m.Embed}); p.err == nil && len(m.Components) > 0 {
		p.components, p.err = json.Marshal(m.Components)
	}
	return p
}

// Post sends r as an embed to a channel; it is the broadcast.Poster of the
// Discord platform. With mention (a role ID or "<@&ID>") the message pings
// that role and nothing else; otherwise it pings nobody. @everyone and @here
// are never pinged: a mention that is not a role ID, or is the channel's
// guild ID (the @everyone role's), is dropped and logged, and the post goes
// out without it.
//
// nonce, the same on every attempt of one delivery, goes out with
// enforce_nonce, so Discord answers a repeat within its dedup window (a few
// minutes) with the message already created instead of posting twice. A
// nonce longer than Discord's 25 characters is hashed to 25.
//
// Posts are paced under Config.PostRate. Rate limits are not waited out: a
// 429 comes back at once as RateLimited with Discord's wait, so the sender
// can reschedule; 403/404 come back as Gone. A request that was written but
// got no clear answer (a 5xx, a timeout, a dropped connection) is
// Ambiguous and never repeated here (discordgo's own 502 retries are off):
// the sender's retry, with the same nonce, is the one that is safe.
// Everything else that fails is Transient.
func (b *Bot) Post(ctx context.Context, channelID string, r reply.Reply, mention, nonce string) broadcast.Outcome {
	return postOutcome(b.post(ctx, channelID, r, mention, nonce))
}

// post sends the message and returns its ID, or why it was not sent.
func (b *Bot) post(ctx context.Context, channelID string, r reply.Reply, mention, nonce string) (string, error) {
	if !isSnowflake(channelID) {
		return "", &sendError{kind: kindRejected, err: fmt.Errorf("channel id %q is not a snowflake", channelID)}
	}
	// The cache is keyed by the post's content: a corrected draw is
	// rendered anew.
	m := b.posts.Get(r, b.renderPost)
	if m.err != nil {
		return "", &sendError{kind: kindRejected, err: m.err}
	}
	body := postBody{
		Embeds:          m.embeds,
		Components:      m.components,
		AllowedMentions: noMentions(),
	}
	role, err := b.safeRole(ctx, channelID, mention)
	if err != nil {
		return "", err
	}
	if role != "" {
		body.Content = "<@&" + role + ">"
		body.AllowedMentions = &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}, Roles: []string{role}}
	}
	if nonce = strings.TrimSpace(nonce); nonce != "" {
		body.Nonce, body.EnforceNonce = postNonce(nonce), true
	}
	data, err := json.Marshal(body)
	if err != nil {
		return "", &sendError{kind: kindRejected, err: err}
	}
	if err := b.pace.wait(ctx); err != nil {
		return "", &sendError{kind: kindTransient, err: err}
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
			return "", &sendError{kind: kindTransient, err: ctx.Err()}
		}
	}
	bucket.Remaining--
	// Whether the request started to go out decides if a failure without
	// an answer may hide a created message.
	var written atomic.Bool
	tctx := httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{WroteHeaders: func() { written.Store(true) }})
	// RequestWithLockedBucket releases the bucket with the answer's headers.
	resp, err := b.rest.RequestWithLockedBucket("POST", endpoint, "application/json", data, bucket, 0,
		discordgo.WithContext(tctx), discordgo.WithRetryOnRatelimit(false), discordgo.WithRestRetries(0))
	if err != nil {
		se := classify(b.apiError(err))
		if se.kind == kindTransient && se.status == 0 && written.Load() {
			se.kind = kindAmbiguous
		}
		return "", se
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

// safeRole returns the role a post to channelID may ping for the stored
// mention, "" for none. Subscribing refuses @everyone already; this check
// covers rows stored before it did, or by hand. A failure to learn the
// channel's guild is returned: nothing is sent half-checked.
func (b *Bot) safeRole(ctx context.Context, channelID, mention string) (string, error) {
	if strings.TrimSpace(mention) == "" {
		return "", nil
	}
	id, ok := roleID(mention)
	if !ok {
		b.log.Warn("discord: stored mention is not a role; posting without it", "channel", channelID, "mention", clip(oneLine(mention), 40))
		return "", nil
	}
	guild, err := b.channelGuild(ctx, channelID)
	if err != nil {
		return "", err
	}
	if guild == "" || id == guild {
		b.log.Warn("discord: stored mention would ping everyone; posting without it", "channel", channelID, "mention", id, "guild", guild)
		return "", nil
	}
	return id, nil
}

// channelGuild returns the guild of a channel ("" for a DM): remembered from
// interactions, else asked once with GET /channels/{id}.
func (b *Bot) channelGuild(ctx context.Context, channelID string) (string, error) {
	if g, ok := b.guilds.get(channelID); ok {
		return g, nil
	}
	if err := b.pace.wait(ctx); err != nil {
		return "", &sendError{kind: kindTransient, err: err}
	}
	ch, err := b.rest.Channel(channelID, discordgo.WithContext(ctx), discordgo.WithRetryOnRatelimit(false))
	if err != nil {
		return "", classify(b.apiError(err))
	}
	if ch == nil || ch.ID != channelID {
		return "", &sendError{kind: kindTransient, err: fmt.Errorf("channel %s: unreadable answer", channelID)}
	}
	b.guilds.put(channelID, ch.GuildID)
	return ch.GuildID, nil
}

// maxGuildsKnown bounds the channel → guild memory; past it, it starts over.
const maxGuildsKnown = 1 << 16

// channelGuilds remembers which guild each channel is in (a channel never
// moves), so a post with a mention asks Discord at most once per channel.
type channelGuilds struct {
	mu sync.Mutex
	m  map[string]string
}

func (c *channelGuilds) get(channel string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	g, ok := c.m[channel]
	return g, ok
}

func (c *channelGuilds) put(channel, guild string) {
	if channel == "" {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxGuildsKnown {
		c.m = map[string]string{}
	}
	c.m[channel] = guild
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
