package discord

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

// ErrFatal marks a failure that retrying cannot fix: a rejected token or a
// gateway close code Discord documents as not reconnectable. Run's error
// wraps it; errors.Is(err, ErrFatal) tells the caller to exit non-zero when
// Discord is its only platform.
var ErrFatal = errors.New("discord: fatal gateway error")

// fatalCloseCodes are the gateway close codes after which Discord says not
// to reconnect (topics/opcodes-and-status-codes).
var fatalCloseCodes = map[int]string{
	4004: "authentication failed: check DISCORD_BOT_TOKEN",
	4010: "invalid shard",
	4011: "sharding required",
	4012: "invalid API version",
	4013: "invalid intents",
	4014: "disallowed intents: enable them in the Developer Portal or stop requesting them",
}

// CloseError is a fatal gateway close, as returned (wrapped with ErrFatal)
// by Run.
type CloseError struct {
	Code   int
	Reason string // Discord's close text
}

func (e *CloseError) Error() string {
	msg := fatalCloseCodes[e.Code]
	if msg == "" {
		msg = e.Reason
	}
	return fmt.Sprintf("discord: gateway closed with code %d (%s)", e.Code, msg)
}

// Unwrap lets errors.Is(err, ErrFatal) match.
func (e *CloseError) Unwrap() error { return ErrFatal }

// fatal reports whether an Open error must stop the bot, as an error
// wrapping ErrFatal, or nil when it is worth retrying.
//
// discordgo v0.29.0 returns the websocket read error of Open() unchanged, so
// a close frame received in answer to IDENTIFY or RESUME (where Discord sends
// 4004 and 4010-4014) arrives here as *websocket.CloseError. A 401 on gateway
// discovery means the same as 4004.
func fatal(err error) error {
	var ce *websocket.CloseError
	if errors.As(err, &ce) {
		if _, ok := fatalCloseCodes[ce.Code]; ok {
			return &CloseError{Code: ce.Code, Reason: ce.Text}
		}
		return nil
	}
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Response != nil && re.Response.StatusCode == http.StatusUnauthorized {
		return fmt.Errorf("%w: token rejected (HTTP 401): check DISCORD_BOT_TOKEN", ErrFatal)
	}
	if errors.Is(err, discordgo.ErrUnauthorized) {
		return fmt.Errorf("%w: token rejected: check DISCORD_BOT_TOKEN", ErrFatal)
	}
	return nil
}

// Run connects to the gateway, registers the commands and answers
// interactions until ctx ends (then it closes the connection, waits briefly
// for answers in flight and returns nil). It returns an error wrapping
// ErrFatal when Discord refuses the bot for good, and never reconnects in a
// loop against a fatal close code.
//
// How the gateway is supervised: discordgo's own reconnect loop is off
// (ShouldReconnectOnError=false). When a connection ends, for whatever reason
// (read error, server close, missed heartbeat ACKs, op 7), discordgo closes
// the session and emits Disconnect; Run then calls Open again, which RESUMEs
// the session (discordgo keeps session id and sequence). Open returns the
// close frame Discord answers a doomed IDENTIFY or RESUME with as a
// *websocket.CloseError, so fatal codes are seen there and stop Run. A fatal
// close after READY is therefore detected on the very next attempt.
func (b *Bot) Run(ctx context.Context) error {
	if !b.running.CompareAndSwap(false, true) {
		return errors.New("discord: Run called while already running")
	}
	defer b.running.Store(false)
	b.setCtx(ctx)
	if b.cfg.PublicKey != nil {
		return b.runHTTP(ctx)
	}

	gw := b.newSession()
	// The session's calls (the gateway lookup in Open too) and its dials
	// end with ctx: a stop never waits for a Discord that does not answer.
	gw.Client = boundClient(b.client, ctx)
	opened := &opening{}
	gw.Dialer = gatewayDialer(ctx, b.idle, b.dial, opened)
	lost := make(chan struct{}, 1)
	remove := []func(){
		gw.AddHandler(func(_ *discordgo.Session, ic *discordgo.InteractionCreate) { b.onInteraction(ic) }),
		gw.AddHandler(func(_ *discordgo.Session, _ *discordgo.Disconnect) {
			b.state.connected.Store(false)
			select {
			case lost <- struct{}{}:
			default:
			}
		}),
		gw.AddHandler(func(_ *discordgo.Session, r *discordgo.Ready) {
			user := ""
			if r.User != nil {
				user = r.User.Username
			}
			b.log.Info("discord: gateway ready", "user", user, "guilds", len(r.Guilds))
		}),
		gw.AddHandler(func(_ *discordgo.Session, _ *discordgo.Resumed) {
			b.log.Info("discord: gateway session resumed")
		}),
		gw.AddHandler(func(_ *discordgo.Session, rl *discordgo.RateLimit) {
			b.log.Warn("discord: rate limited, retrying", "retry_after", rl.RetryAfter, "bucket", rl.Bucket)
		}),
	}
	defer func() {
		b.state.connected.Store(false)
		for _, rm := range remove {
			rm()
		}
	}()

	if err := b.connect(ctx, gw, opened); err != nil {
		return err
	}
	if ctx.Err() == nil {
		b.registerWithRetry(ctx, readyAppID(gw))
	}

	for {
		select {
		case <-ctx.Done():
			b.shutdown(gw)
			return nil
		case <-lost:
			if ctx.Err() != nil {
				continue
			}
			b.log.Warn("discord: gateway connection lost, resuming")
			if err := b.connect(ctx, gw, opened); err != nil {
				b.shutdown(gw)
				return err
			}
		}
	}
}

// connect opens gw, retrying transient failures with capped exponential
// backoff; it returns nil once connected or when ctx ends, and a fatal error
// otherwise. When ctx ends during an Open, the connection being opened is
// closed, so Open returns at once.
func (b *Bot) connect(ctx context.Context, gw *discordgo.Session, opened *opening) error {
	wait := time.Second
	for attempt := 1; ; attempt++ {
		stop := context.AfterFunc(ctx, opened.abort)
		err := gw.Open()
		stop()
		opened.set(nil)
		if ctx.Err() != nil {
			return nil
		}
		if err == nil || errors.Is(err, discordgo.ErrWSAlreadyOpen) {
			b.state.connected.Store(true)
			if attempt > 1 {
				b.log.Info("discord: gateway reconnected", "attempts", attempt)
			}
			return nil
		}
		if f := fatal(err); f != nil {
			b.log.Error("discord: gateway refused the bot for good; Discord side stopped, not reconnecting", "err", b.apiError(f))
			return f
		}
		b.log.Warn("discord: gateway connect failed, will retry", "attempt", attempt, "in", wait, "err", b.apiError(err))
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait + rand.N(wait/4+1)):
		}
		wait = min(wait*2, 2*time.Minute)
	}
}

// readyAppID is the application id READY gave.
func readyAppID(gw *discordgo.Session) string {
	appID := ""
	gw.State.RLock()
	if r := gw.State.Ready; r.Application != nil {
		appID = r.Application.ID
	} else if r.User != nil {
		appID = r.User.ID
	}
	gw.State.RUnlock()
	return appID
}

// registerWithRetry registers the commands with the application id READY
// (or, over HTTP, the application lookup) gave; transient failures are
// retried a few times, others only logged (the commands registered earlier
// keep working).
func (b *Bot) registerWithRetry(ctx context.Context, appID string) {
	if appID == "" {
		b.log.Error("discord: READY carried no application id; commands not registered")
		return
	}
	wait := time.Second
	for attempt := 1; attempt <= 4; attempt++ {
		rctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		err := b.register(rctx, appID)
		cancel()
		if err == nil {
			return
		}
		kind := classify(err).kind
		b.log.Error("discord: command registration failed", "attempt", attempt, "err", b.apiError(err))
		if kind != kindTransient || ctx.Err() != nil {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait *= 2
	}
}

// shutdown closes the gateway and, meanwhile, waits (bounded) for answers
// in flight: discordgo's Close takes a second, which the wait overlaps.
func (b *Bot) shutdown(gw *discordgo.Session) {
	closed := make(chan struct{})
	go func() {
		defer close(closed)
		if err := gw.Close(); err != nil {
			b.log.Warn("discord: closing gateway", "err", err)
		}
	}()
	select {
	case <-b.inflight.wait():
	case <-time.After(drainTimeout):
		b.log.Warn("discord: answers still in flight at shutdown")
	}
	<-closed
	b.log.Info("discord: stopped")
}
