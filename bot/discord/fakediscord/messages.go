package fakediscord

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"
	"time"
)

// Message is a message the fake created in a channel.
type Message struct {
	ID        string
	ChannelID string
	Nonce     string
	Body      []byte // the request body that created it
	At        time.Time
}

// JSON decodes the creating request's body into v.
func (m Message) JSON(v any) error { return json.Unmarshal(m.Body, v) }

// Limits makes the fake answer POST /channels/{id}/messages with 429 the
// way Discord does when a bot goes too fast. Zero fields mean no limit.
type Limits struct {
	// ChannelMessages per ChannelWindow in each channel (Discord: 5 per 5 s).
	// The window opens with a channel's first message, as Discord's bucket
	// reset does; answers carry X-RateLimit-* headers so a client can pace.
	ChannelMessages int
	ChannelWindow   time.Duration
	// GlobalPerSecond is the bot's global limit over all channels (Discord:
	// 50/s), enforced as a token bucket holding one second's worth.
	GlobalPerSecond float64
	// Scale speeds both limits up (windows divided, rates multiplied) so a
	// benchmark of a large fan-out finishes in reasonable time; 0 means 1.
	Scale float64
}

// DiscordLimits are Discord's documented message limits, sped up by scale.
func DiscordLimits(scale float64) Limits {
	return Limits{ChannelMessages: 5, ChannelWindow: 5 * time.Second, GlobalPerSecond: 50, Scale: scale}
}

// channelWindow and globalRate are the effective limits after Scale.
func (l Limits) channelWindow() time.Duration {
	if l.Scale <= 0 {
		return l.ChannelWindow
	}
	return time.Duration(float64(l.ChannelWindow) / l.Scale)
}

func (l Limits) globalRate() float64 {
	if l.Scale <= 0 {
		return l.GlobalPerSecond
	}
	return l.GlobalPerSecond * l.Scale
}

// refusal is a channel's standing error answer (deleted, bot removed).
type refusal struct {
	status, code int
	message      string
}

type window struct {
	start time.Time
	count int
}

// channelState is guarded by Server.mu.
type channelState struct {
	messages []Message
	byChan   map[string][]int          // channel -> indexes into messages
	nonces   map[string]map[string]int // channel -> nonce -> index
	refused  map[string]refusal
	guilds   map[string]string // channel -> its guild; "" for a DM; absent: GuildID
	limits   Limits
	windows  map[string]*window
	lost     []*lostAnswer // scripted answers lost after the message was created
	tokens   float64       // global bucket
	refilled time.Time
	limited  struct{ channel, global int }
}

func (c *channelState) init() {
	c.byChan = map[string][]int{}
	c.nonces = map[string]map[string]int{}
	c.refused = map[string]refusal{}
	c.guilds = map[string]string{}
	c.windows = map[string]*window{}
}

// EnforceLimits turns rate limiting of channel messages on (or off with a
// zero Limits). Windows and the global bucket start afresh (full); the
// Limited counts keep adding up.
func (s *Server) EnforceLimits(l Limits) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.channels.limits = l
	s.channels.windows = map[string]*window{}
	s.channels.tokens = l.globalRate()
	s.channels.refilled = time.Now()
}

// RefuseChannel makes every message to channelID fail from now on, as a
// deleted channel (404, code 10003) or one the bot lost access to (403,
// code 50001) does. Status 0 lifts the refusal.
func (s *Server) RefuseChannel(channelID string, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch status {
	case 0:
		delete(s.channels.refused, channelID)
	case http.StatusNotFound:
		s.channels.refused[channelID] = refusal{status, 10003, "Unknown Channel"}
	case http.StatusForbidden:
		s.channels.refused[channelID] = refusal{status, 50001, "Missing Access"}
	default:
		s.channels.refused[channelID] = refusal{status, 0, http.StatusText(status)}
	}
}

// lostAnswer makes the next times messages (to channel, or any when "")
// be created and then answered with status (0: never answered).
type lostAnswer struct {
	channel       string
	times, status int
}

// FailAfterCreate makes the next `times` messages to channelID ("" for any
// channel) be created, nonce rules included, and then answered with status
// instead of the message, as when a proxy in front of Discord loses the
// answer (a 502): the bot cannot tell it from a failure. Status 0 never
// answers: the call ends when the client gives up or the fake closes.
func (s *Server) FailAfterCreate(channelID string, times, status int) {
	if times <= 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.channels.lost = append(s.channels.lost, &lostAnswer{channel: channelID, times: times, status: status})
}

// lostLocked consumes a scripted lost answer for channel, if any.
func (c *channelState) lostLocked(channel string) (status int, ok bool) {
	for i, l := range c.lost {
		if l.channel != "" && l.channel != channel {
			continue
		}
		if l.times--; l.times <= 0 {
			c.lost = append(c.lost[:i], c.lost[i+1:]...)
		}
		return l.status, true
	}
	return 0, false
}

// FailChannel scripts `times` error answers to messages in one channel,
// e.g. 403 50013 "Missing Permissions".
func (s *Server) FailChannel(channelID string, times, status, code int, message string) {
	s.Fail(http.MethodPost, messagesPath(channelID), times, status, code, message)
}

// RateLimitChannel scripts `times` 429 answers to messages in one channel.
func (s *Server) RateLimitChannel(channelID string, times int, retryAfter time.Duration) {
	s.RateLimit(http.MethodPost, messagesPath(channelID), times, retryAfter, false)
}

// SetChannelGuild says which guild a channel belongs to, as GET
// /channels/{id} reports it; "" makes it a DM channel. Channels not set
// belong to GuildID.
func (s *Server) SetChannelGuild(channelID, guildID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.channels.guilds[channelID] = guildID
}

// handleGetChannel answers GET /channels/{id}: a text channel of its guild,
// or a DM channel; a refused channel answers with its refusal.
func (s *Server) handleGetChannel(w http.ResponseWriter, r *http.Request) {
	channel := r.PathValue("channel")
	s.mu.Lock()
	rf, refused := s.channels.refused[channel]
	guild, set := s.channels.guilds[channel]
	s.mu.Unlock()
	switch {
	case refused:
		writeJSON(w, rf.status, map[string]any{"message": rf.message, "code": rf.code})
	case set && guild == "":
		writeJSON(w, http.StatusOK, map[string]any{"id": channel, "type": 1})
	default:
		if !set {
			guild = GuildID
		}
		writeJSON(w, http.StatusOK, map[string]any{"id": channel, "type": 0, "guild_id": guild, "name": "draws"})
	}
}

func messagesPath(channelID string) string { return "/api/v9/channels/" + channelID + "/messages" }

// Messages returns the messages created in a channel ("" for all), in order.
// A repeat of an enforced nonce creates none.
func (s *Server) Messages(channelID string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.messagesLocked(channelID)
}

func (s *Server) messagesLocked(channelID string) []Message {
	if channelID == "" {
		return append([]Message(nil), s.channels.messages...)
	}
	idx := s.channels.byChan[channelID]
	out := make([]Message, len(idx))
	for i, j := range idx {
		out[i] = s.channels.messages[j]
	}
	return out
}

// MessageCounts returns how many messages each channel got.
func (s *Server) MessageCounts() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.channels.byChan))
	for ch, idx := range s.channels.byChan {
		out[ch] = len(idx)
	}
	return out
}

// MessageTotal returns how many messages were created in all channels.
func (s *Server) MessageTotal() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.channels.messages)
}

// AwaitMessages waits until at least n messages exist in channelID ("" for
// all channels) and returns them.
func (s *Server) AwaitMessages(ctx context.Context, channelID string, n int) ([]Message, error) {
	var got []Message
	err := s.Await(ctx, func() bool {
		if channelID == "" {
			if len(s.channels.messages) < n {
				return false
			}
		} else if len(s.channels.byChan[channelID]) < n {
			return false
		}
		got = s.messagesLocked(channelID)
		return true
	})
	return got, err
}

func readBody(r *http.Request) ([]byte, error) { return io.ReadAll(r.Body) }

// Limited returns how many 429s the enforced limits answered, per-channel
// and global.
func (s *Server) Limited() (channel, global int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.channels.limited.channel, s.channels.limited.global
}

// handleChannelMessage creates a message in a channel, honouring standing
// refusals, the enforced limits and enforce_nonce.
func (s *Server) handleChannelMessage(w http.ResponseWriter, r *http.Request) {
	var msg map[string]any
	body, err := readBody(r)
	if err == nil {
		// A multipart message (with files) is checked and kept as its JSON.
		body, _, err = payloadOf(r.Header.Get("Content-Type"), body)
	}
	if err == nil {
		err = json.Unmarshal(body, &msg)
	}
	if err != nil || msg == nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"message": "Invalid Form Body", "code": 50035})
		return
	}
	channel := r.PathValue("channel")
	nonce, enforce := nonceOf(msg)
	now := time.Now()

	s.mu.Lock()
	c := &s.channels
	if rf, ok := c.refused[channel]; ok {
		s.mu.Unlock()
		writeJSON(w, rf.status, map[string]any{"message": rf.message, "code": rf.code})
		return
	}
	if wait, global, limited := c.admit(channel, now); limited {
		s.mu.Unlock()
		writeLimited(w, wait, global)
		return
	}
	headers := c.bucketHeaders(channel, now)
	lostStatus, lost := c.lostLocked(channel)
	if enforce {
		if i, ok := c.nonces[channel][nonce]; ok {
			first := c.messages[i]
			s.mu.Unlock()
			if lost {
				s.loseAnswer(w, r, lostStatus)
				return
			}
			var out map[string]any
			json.Unmarshal(first.Body, &out)
			s.reply(w, headers, out, first)
			return
		}
	}
	s.msgSeq++
	m := Message{ID: fmt.Sprintf("9000000000000%05d", s.msgSeq), ChannelID: channel, Nonce: nonce, Body: body, At: now}
	c.messages = append(c.messages, m)
	c.byChan[channel] = append(c.byChan[channel], len(c.messages)-1)
	if enforce {
		if c.nonces[channel] == nil {
			c.nonces[channel] = map[string]int{}
		}
		c.nonces[channel][nonce] = len(c.messages) - 1
	}
	s.mu.Unlock()
	if lost {
		s.loseAnswer(w, r, lostStatus)
		return
	}
	s.reply(w, headers, msg, m)
}

// loseAnswer answers a created message with status, or not at all (0).
func (s *Server) loseAnswer(w http.ResponseWriter, r *http.Request, status int) {
	if status == 0 {
		<-r.Context().Done() // the client gave up, or Close closed the connection
		return
	}
	writeJSON(w, status, map[string]any{"message": http.StatusText(status), "code": 0})
}

func (s *Server) reply(w http.ResponseWriter, headers http.Header, msg map[string]any, m Message) {
	if msg == nil {
		msg = map[string]any{}
	}
	msg["id"] = m.ID
	msg["channel_id"] = m.ChannelID
	msg["author"] = map[string]any{"id": BotUserID, "username": "eebot", "bot": true}
	msg["timestamp"] = m.At.UTC().Format(time.RFC3339)
	delete(msg, "enforce_nonce")
	for k, v := range headers {
		w.Header()[k] = v
	}
	writeJSON(w, http.StatusOK, msg)
}

// nonceOf reads a message's nonce (string or integer) and whether it is
// enforced.
func nonceOf(msg map[string]any) (string, bool) {
	var n string
	switch v := msg["nonce"].(type) {
	case string:
		n = v
	case float64:
		n = strconv.FormatFloat(v, 'f', -1, 64)
	}
	enforce, _ := msg["enforce_nonce"].(bool)
	return n, enforce && n != ""
}

// admit applies the enforced limits to one message: the global bucket
// first, then the channel's window. It returns how long to wait when the
// message is refused.
func (c *channelState) admit(channel string, now time.Time) (time.Duration, bool, bool) {
	if rate := c.limits.globalRate(); rate > 0 {
		c.tokens = math.Min(rate, c.tokens+now.Sub(c.refilled).Seconds()*rate)
		c.refilled = now
		if c.tokens < 1 {
			c.limited.global++
			return time.Duration((1 - c.tokens) / rate * float64(time.Second)), true, true
		}
	}
	if n, win := c.limits.ChannelMessages, c.limits.channelWindow(); n > 0 && win > 0 {
		wd := c.windows[channel]
		if wd == nil || !now.Before(wd.start.Add(win)) {
			wd = &window{start: now}
			c.windows[channel] = wd
		}
		if wd.count >= n {
			c.limited.channel++
			return wd.start.Add(win).Sub(now), false, true
		}
		wd.count++
	}
	if c.limits.globalRate() > 0 {
		c.tokens--
	}
	return 0, false, false
}

// bucketHeaders are the X-RateLimit-* headers of an admitted message.
func (c *channelState) bucketHeaders(channel string, now time.Time) http.Header {
	n, win := c.limits.ChannelMessages, c.limits.channelWindow()
	wd := c.windows[channel]
	if n <= 0 || win <= 0 || wd == nil {
		return nil
	}
	h := http.Header{}
	h.Set("X-RateLimit-Limit", strconv.Itoa(n))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(n-wd.count))
	h.Set("X-RateLimit-Reset-After", fmt.Sprintf("%.3f", wd.start.Add(win).Sub(now).Seconds()))
	h.Set("X-RateLimit-Bucket", "msg-"+channel)
	return h
}

func writeLimited(w http.ResponseWriter, wait time.Duration, global bool) {
	secs := math.Max(wait.Seconds(), 0.001)
	h := w.Header()
	h.Set("Retry-After", strconv.Itoa(int(math.Ceil(secs))))
	scope := "user"
	if global {
		h.Set("X-RateLimit-Global", "true")
		scope = "global"
	} else {
		h.Set("X-RateLimit-Limit", "5")
		h.Set("X-RateLimit-Remaining", "0")
		h.Set("X-RateLimit-Reset-After", fmt.Sprintf("%.3f", secs))
	}
	h.Set("X-RateLimit-Scope", scope)
	writeJSON(w, http.StatusTooManyRequests, map[string]any{"message": "You are being rate limited.", "retry_after": secs, "global": global})
}

// AwaitEachChannel waits until every one of channels has at least one
// message.
func (s *Server) AwaitEachChannel(ctx context.Context, channels []string) error {
	return s.Await(ctx, func() bool {
		for _, ch := range channels {
			if len(s.channels.byChan[ch]) == 0 {
				return false
			}
		}
		return true
	})
}
