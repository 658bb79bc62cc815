package discord

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/eebot/eebot/commands"
)

// HTTP interactions (DISCORD_MODE=http): Discord POSTs every interaction to
// the application's Interactions Endpoint URL instead of sending it over a
// gateway connection. InteractionsHandler checks the request's signature
// and age, then hands the same discordgo.Interaction to the same code the
// gateway path runs (answer), and writes the callback into the HTTP
// response. An answer not ready within Config.DeferAfter is deferred (type
// 5, or 6 for a button) and sent later by editing the original response,
// as discordgo's InteractionResponseEdit does. Run makes no gateway
// connection in this mode: it looks up the application, registers the
// commands and waits; posts go out by REST as always.

// Timing of HTTP interactions.
const (
	// DefaultDeferAfter is how long an HTTP interaction's answer may take
	// before it is deferred: under Discord's 3 s, less the network both
	// ways.
	DefaultDeferAfter = 2 * time.Second
	// maxSignatureAge: older (or further in the future) timestamps are
	// refused, so a captured request cannot be replayed later.
	maxSignatureAge = 5 * time.Minute
	// deferredTimeout bounds a deferred answer, and the edit that sends it
	// (the interaction token lasts 15 minutes).
	deferredTimeout = 30 * time.Second
	// maxInteractionBody bounds the body read from the endpoint.
	maxInteractionBody = 1 << 20
)

// serveState is what readiness reports: connected to the gateway, or, over
// HTTP, the application known and its commands registered.
type serveState struct {
	connected atomic.Bool
	appID     atomic.Pointer[string]
}

// Ready reports whether the bot can take interactions: its gateway
// connection is up or, in HTTP mode, Run found the application.
func (b *Bot) Ready() error {
	if b.cfg.PublicKey != nil {
		if b.state.appID.Load() == nil {
			return errors.New("application not looked up yet (GET /applications/@me)")
		}
		return nil
	}
	if !b.state.connected.Load() {
		return errors.New("gateway not connected")
	}
	return nil
}

// runHTTP is Run without a gateway: look the application up, register the
// commands, then wait for the stop and for the answers in flight.
func (b *Bot) runHTTP(ctx context.Context) error {
	appID, err := b.lookupApp(ctx)
	if err != nil || ctx.Err() != nil {
		b.state.appID.Store(nil)
		return err
	}
	b.state.appID.Store(&appID)
	defer b.state.appID.Store(nil)
	b.log.Info("discord: taking interactions over HTTP", "application", appID)
	b.registerWithRetry(ctx, appID)
	<-ctx.Done()
	select {
	case <-b.inflight.wait():
	case <-time.After(drainTimeout):
		b.log.Warn("discord: answers still in flight at shutdown")
	}
	b.log.Info("discord: stopped")
	return nil
}

// lookupApp asks Discord for the bot's application ID (READY carries it on
// the gateway), retrying transient failures; "" and nil when ctx ends.
func (b *Bot) lookupApp(ctx context.Context) (string, error) {
	wait := time.Second
	for attempt := 1; ; attempt++ {
		rctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		body, err := b.rest.RequestWithBucketID("GET", discordgo.EndpointApplication("@me"), nil, discordgo.EndpointApplication("@me"), discordgo.WithContext(rctx))
		cancel()
		if ctx.Err() != nil {
			return "", nil
		}
		if err == nil {
			var app struct {
				ID string `json:"id"`
			}
			if err = json.Unmarshal(body, &app); err == nil && app.ID == "" {
				err = errors.New("no id in the answer")
			}
			if err == nil {
				return app.ID, nil
			}
		}
		if f := fatal(err); f != nil {
			b.log.Error("discord: Discord refused the bot for good; Discord side stopped", "err", b.apiError(f))
			return "", f
		}
		b.log.Warn("discord: application lookup failed, will retry", "attempt", attempt, "in", wait, "err", b.apiError(err))
		select {
		case <-ctx.Done():
			return "", nil
		case <-time.After(wait):
		}
		wait = min(wait*2, 2*time.Minute)
	}
}

// InteractionsHandler serves Discord's POSTs to the Interactions Endpoint
// URL (mount it at /discord/interactions). It answers 401 to a request
// whose signature does not verify with Config.PublicKey or whose timestamp
// is more than 5 minutes off, PONG to a PING, and every other interaction
// as the gateway path would, in the response body. It works whether Run is
// running or not.
func (b *Bot) InteractionsHandler() http.Handler {
	return http.HandlerFunc(b.serveInteraction)
}

func (b *Bot) serveInteraction(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	received := time.Now()
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxInteractionBody))
	if err != nil {
		http.Error(w, "body too large or unreadable", http.StatusBadRequest)
		return
	}
	if err := b.verify(r.Header, body); err != nil {
		// Discord sends bad signatures on purpose to check this; at debug
		// level, so a scan of the endpoint does not flood the log.
		b.log.Debug("discord: interaction refused", "err", err, "remote", r.RemoteAddr)
		http.Error(w, "invalid request signature", http.StatusUnauthorized)
		return
	}
	var i discordgo.Interaction
	if err := json.Unmarshal(body, &i); err != nil {
		http.Error(w, "unreadable interaction", http.StatusBadRequest)
		return
	}
	if i.Type == discordgo.InteractionPing {
		writeCallback(w, &discordgo.InteractionResponse{Type: discordgo.InteractionResponsePong})
		return
	}
	if i.ID == "" || i.Token == "" {
		http.Error(w, "interaction without id or token", http.StatusBadRequest)
		return
	}
	resp, deferred := b.answerHTTP(r.Context(), &i)
	writeCallback(w, resp)
	b.log.Debug("discord: answered over HTTP", "interaction", i.ID, "type", int(i.Type), "response", int(resp.Type),
		"deferred", deferred, "took", time.Since(received))
}

// verify checks X-Signature-Ed25519 over X-Signature-Timestamp and the body,
// and that the timestamp is within maxSignatureAge of now.
func (b *Bot) verify(h http.Header, body []byte) error {
	ts := h.Get("X-Signature-Timestamp")
	sig, err := hex.DecodeString(h.Get("X-Signature-Ed25519"))
	if err != nil || len(sig) != ed25519.SignatureSize || ts == "" {
		return errors.New("missing or malformed signature headers")
	}
	msg := make([]byte, 0, len(ts)+len(body))
	msg = append(append(msg, ts...), body...)
	if !ed25519.Verify(b.cfg.PublicKey, msg, sig) {
		return errors.New("signature does not verify")
	}
	secs, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return errors.New("timestamp is not a number")
	}
	if age := b.cfg.now().Sub(time.Unix(secs, 0)); age > maxSignatureAge || age < -maxSignatureAge {
		return fmt.Errorf("timestamp %s off by %v", ts, age.Round(time.Second))
	}
	return nil
}

// writeCallback writes a callback as the HTTP answer, with the body
// InteractionRespond would have sent.
func writeCallback(w http.ResponseWriter, resp *discordgo.InteractionResponse) {
	body, err := json.Marshal(callbackBody(resp))
	if err != nil {
		http.Error(w, "cannot encode the answer", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(body)
}

// answerHTTP runs the gateway path's answer for i and returns the callback
// for the HTTP body: the answer itself when ready within DeferAfter, else a
// deferral, the answer then following by REST. deferred says which.
func (b *Bot) answerHTTP(reqCtx context.Context, i *discordgo.Interaction) (resp *discordgo.InteractionResponse, deferred bool) {
	b.guilds.put(i.ChannelID, i.GuildID)
	p := &pendingAnswer{ready: make(chan struct{})}
	b.inflight.add()
	go func() {
		defer b.inflight.done()
		// The answer goes on even if Discord hangs up or the bot stops,
		// as on the gateway path.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(b.ctx()), deferredTimeout)
		defer cancel()
		r := b.answer(ctx, i)
		if late := p.settle(r); late != nil {
			b.sendDeferred(ctx, i, late, r)
		}
	}()
	timer := time.NewTimer(b.cfg.deferAfter())
	defer timer.Stop()
	select {
	case <-p.ready:
	case <-timer.C:
	case <-reqCtx.Done():
	}
	d := deferral(b, i)
	r := p.deferTo(d)
	switch {
	case r == nil:
		return d, true
	case !hasFiles(r):
		return r, false
	}
	// Files cannot go in a JSON body: defer, and send them by edit.
	b.inflight.add()
	go func() {
		defer b.inflight.done()
		ctx, cancel := context.WithTimeout(context.WithoutCancel(b.ctx()), deferredTimeout)
		defer cancel()
		b.sendDeferred(ctx, i, d, r)
	}()
	return d, true
}

// pendingAnswer hands an answer from the goroutine building it to the HTTP
// handler, or, once the handler deferred, back to the goroutine to send.
type pendingAnswer struct {
	mu       sync.Mutex
	ready    chan struct{}
	resp     *discordgo.InteractionResponse
	deferred *discordgo.InteractionResponse // the deferral the handler sent
}

// settle records the answer; it returns the deferral sent when the handler
// already answered with one (the caller then sends r by REST), else nil.
func (p *pendingAnswer) settle(r *discordgo.InteractionResponse) *discordgo.InteractionResponse {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.deferred != nil {
		return p.deferred
	}
	p.resp = r
	close(p.ready)
	return nil
}

// deferTo makes the answer the goroutine's to send after d, unless it is
// ready after all: then it returns it, for the HTTP body.
func (p *pendingAnswer) deferTo(d *discordgo.InteractionResponse) *discordgo.InteractionResponse {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.resp != nil {
		return p.resp
	}
	p.deferred = d
	return nil
}

func hasFiles(r *discordgo.InteractionResponse) bool {
	return r.Data != nil && len(r.Data.Files) > 0
}

// deferral is the deferred callback for i: type 6 (update later) for a
// button, type 5 (a message later) otherwise, ephemeral for the commands
// whose answers are private (the moderators').
func deferral(b *Bot, i *discordgo.Interaction) *discordgo.InteractionResponse {
	switch i.Type {
	case discordgo.InteractionMessageComponent:
		return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredMessageUpdate}
	case discordgo.InteractionApplicationCommandAutocomplete:
		// No deferral exists for autocomplete: no suggestions this time.
		return choicesResponse(nil)
	}
	resp := &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource}
	if d, ok := i.Data.(discordgo.ApplicationCommandInteractionData); ok {
		if spec, _, ok := b.resolveSpec(d.Name, d.Options); ok && spec.Access == commands.Moderators {
			resp.Data = &discordgo.InteractionResponseData{Flags: discordgo.MessageFlagsEphemeral}
		}
	}
	return resp
}

// sendDeferred sends the answer r to an interaction answered with the
// deferral d: an edit of the original response when its visibility
// matches; else (an error for one person after a public deferral, say)
// the original is deleted and the answer sent as a follow-up.
func (b *Bot) sendDeferred(ctx context.Context, i *discordgo.Interaction, d, r *discordgo.InteractionResponse) {
	if d.Type == discordgo.InteractionApplicationCommandAutocompleteResult || r.Data == nil {
		return // suggestions cannot be sent late
	}
	start := time.Now()
	wantEphemeral := r.Data.Flags&discordgo.MessageFlagsEphemeral != 0
	deferredEphemeral := d.Data != nil && d.Data.Flags&discordgo.MessageFlagsEphemeral != 0
	var err error
	switch {
	case r.Type == discordgo.InteractionResponseUpdateMessage || wantEphemeral == deferredEphemeral && d.Type != discordgo.InteractionResponseDeferredMessageUpdate:
		err = b.editOriginal(ctx, i, r.Data)
	default:
		if d.Type == discordgo.InteractionResponseDeferredChannelMessageWithSource {
			if derr := b.rest.InteractionResponseDelete(i, discordgo.WithContext(ctx)); derr != nil {
				b.log.Warn("discord: deleting a deferred response failed", "interaction", i.ID, "err", redact(b.apiError(derr), i.Token))
			}
		}
		_, err = b.rest.FollowupMessageCreate(i, true, &discordgo.WebhookParams{
			Content: r.Data.Content, Components: r.Data.Components, Embeds: r.Data.Embeds, Files: r.Data.Files,
			AllowedMentions: r.Data.AllowedMentions, Flags: r.Data.Flags}, discordgo.WithContext(ctx))
	}
	if err != nil {
		b.log.Warn("discord: sending a deferred answer failed", "interaction", i.ID, "err", redact(b.apiError(err), i.Token))
		return
	}
	b.log.Debug("discord: deferred answer sent", "interaction", i.ID, "took", time.Since(start))
}

// editOriginal replaces the original response with data. Without files it
// uses a rate-limit bucket per interaction token: discordgo's
// InteractionResponseEdit shares one bucket among all edits in the process
// (bwmarrin/discordgo#1384), which would queue every deferred answer
// behind the others.
func (b *Bot) editOriginal(ctx context.Context, i *discordgo.Interaction, data *discordgo.InteractionResponseData) error {
	content := data.Content
	components := data.Components
	if components == nil {
		components = []discordgo.MessageComponent{}
	}
	embeds := data.Embeds
	if embeds == nil {
		embeds = []*discordgo.MessageEmbed{}
	}
	edit := &discordgo.WebhookEdit{Content: &content, Components: &components, Embeds: &embeds, Files: data.Files, AllowedMentions: data.AllowedMentions}
	if len(edit.Files) > 0 {
		_, err := b.rest.InteractionResponseEdit(i, edit, discordgo.WithContext(ctx))
		return err
	}
	endpoint := discordgo.EndpointInteractionResponseActions(i.AppID, i.Token)
	_, err := b.rest.RequestWithBucketID("PATCH", endpoint, edit, endpoint, discordgo.WithContext(ctx))
	return err
}
