package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/eebot/eebot/commands"
	"github.com/eebot/eebot/internal/rendercache"
	"github.com/eebot/eebot/internal/reply"
)

// Bot serves the engine on Telegram. Create it with New, then call Run.
type Bot struct {
	cfg    Config
	eng    *commands.Engine
	log    *slog.Logger
	api    *tgbotapi.BotAPI // calls end with the current Run's life (see Run)
	me     atomic.Pointer[tgbotapi.User]
	queue  *queue
	pages  *pageKeys
	admins adminCache
	posts  posts
	// postTexts: each broadcast post's HTML parts, made once per post
	// rather than once per chat it goes to.
	postTexts rendercache.Cache[[]string]
	// photoIDs are the file_ids of pictures already uploaded, sent again
	// by reference.
	photoIDs photoIDs

	runMu   sync.Mutex
	running bool
	life    context.Context // API calls made for updates; cut short at the end of a stop

	hook hookState // webhook mode and readiness (webhook.go)
}

// ErrFatal marks a failure retrying cannot fix: Telegram refuses the bot's
// token (401), because it was revoked or mistyped. Run's error wraps it;
// errors.Is(err, ErrFatal) tells the caller to exit non-zero when Telegram
// is its only platform.
var ErrFatal = errors.New("telegram: fatal error")

// fatal returns an error wrapping ErrFatal when err is Telegram refusing
// the token, else nil.
func fatal(method string, err error) error {
	var te *tgbotapi.Error
	if errors.As(err, &te) && te.Code == http.StatusUnauthorized {
		return fmt.Errorf("%w: %s: Telegram refused the bot token (401 %s): check TELEGRAM_BOT_TOKEN", ErrFatal, method, te.Message)
	}
	return nil
}

// New checks cfg and returns a Bot. It makes no API call: Run asks getMe.
func New(cfg Config, eng *commands.Engine) (*Bot, error) {
	if cfg.Token == "" {
		return nil, errors.New("telegram: no bot token")
	}
	if eng == nil {
		return nil, errors.New("telegram: no engine")
	}
	cfg = cfg.withDefaults()
	b := &Bot{cfg: cfg, eng: eng, log: cfg.Logger, pages: newPageKeys(4096), life: context.Background()}
	b.api = &tgbotapi.BotAPI{Token: cfg.Token, Buffer: 100, Client: doer{c: cfg.HTTPClient, ctx: b.lifeCtx, token: cfg.Token}}
	b.api.SetAPIEndpoint(cfg.Endpoint)
	b.queue = newQueue(cfg.Limits, cfg.Workers, b.call, cfg.Token, b.log)
	b.queue.gone = cfg.OnChatGone
	b.queue.migr = cfg.OnMigrate
	b.queue.fleet = cfg.Fleet
	b.hook.init()
	return b, nil
}

// Username is the bot's @username (without @), from getMe; "" until Run
// has asked.
func (b *Bot) Username() string { return b.self().UserName }

func (b *Bot) self() tgbotapi.User {
	if u := b.me.Load(); u != nil {
		return *u
	}
	return tgbotapi.User{}
}

func (b *Bot) lifeCtx() context.Context {
	b.runMu.Lock()
	defer b.runMu.Unlock()
	return b.life
}

// apiWith returns the API bound to ctx: its calls end when ctx does.
func (b *Bot) apiWith(ctx context.Context) *tgbotapi.BotAPI {
	api := *b.api
	api.Client = bound(b.cfg.HTTPClient, ctx, b.cfg.Token)
	return &api
}

// Run asks getMe, sets the command menu, answers the updates a previous
// run left unanswered, then long-polls getUpdates and answers until ctx is
// cancelled. Every update is kept in Config.Inbox before Telegram is told
// it arrived, and marked there once answered.
//
// When ctx ends, Run stops taking updates at once (aborting the poll in
// flight), withdraws the broadcast posts not yet started (they stay in the
// outbox), keeps sending answers for Config.Drain, waits up to
// Config.PostGrace for posts already being sent, then aborts the calls
// still in flight and returns nil. Updates whose answer was not sent stay
// in the Inbox for the next start.
//
// Transient errors from Telegram are logged and retried with a backoff.
// Run returns an error wrapping ErrFatal, without logging it, when
// Telegram refuses the token (401); and an error if called twice at once.
// Once Run has returned, the Bot sends nothing until it runs again.
func (b *Bot) Run(ctx context.Context) error {
	life, cut := context.WithCancel(context.WithoutCancel(ctx))
	defer cut()
	b.runMu.Lock()
	if b.running {
		b.runMu.Unlock()
		return errors.New("telegram: Run called twice")
	}
	b.running = true
	b.life = life
	b.runMu.Unlock()
	b.hook.starting()
	defer func() {
		b.hook.stopped()
		b.runMu.Lock()
		b.running = false
		b.runMu.Unlock()
	}()
	b.posts.open()

	stop := make(chan struct{})
	queueDone := make(chan struct{})
	go func() {
		defer close(queueDone)
		b.queue.run(stop)
	}()
	in := newIntake(b, life)
	err := b.serve(ctx, in)
	b.shutdown(in, stop, queueDone, cut, err)
	return err
}

// serve runs until ctx ends or Telegram refuses the token.
func (b *Bot) serve(ctx context.Context, in *intake) error {
	me, err := b.identify(ctx)
	if err != nil || ctx.Err() != nil {
		return err
	}
	in.source = "telegram:" + strconv.FormatInt(me.ID, 10)
	if !b.cfg.SkipMenu {
		if err := b.SetMenu(ctx); err != nil && ctx.Err() == nil {
			if f := fatal("setMyCommands", err); f != nil {
				return f
			}
			b.log.Warn("telegram: setting the command menu failed", "err", redact(err.Error(), b.cfg.Token))
		}
	}
	if b.cfg.WebhookURL != "" {
		in.start(ctx)
		b.hook.serving(in)
		<-ctx.Done() // updates arrive at WebhookHandler
		return nil
	}
	if err := b.dropWebhook(ctx); err != nil {
		return err
	}
	in.start(ctx)
	b.hook.serving(nil)
	return b.poll(ctx, in)
}

// identify asks getMe until it answers, ctx ends (nil) or the token is
// refused.
func (b *Bot) identify(ctx context.Context) (tgbotapi.User, error) {
	api := b.apiWith(ctx)
	wait := time.Second
	for {
		me, err := api.GetMe()
		if err == nil {
			b.me.Store(&me)
			return me, nil
		}
		if ctx.Err() != nil {
			return tgbotapi.User{}, nil
		}
		if f := fatal("getMe", err); f != nil {
			return tgbotapi.User{}, f
		}
		b.log.Warn("telegram: getMe failed", "err", redact(err.Error(), b.cfg.Token), "retry_in", wait)
		select {
		case <-ctx.Done():
			return tgbotapi.User{}, nil
		case <-time.After(wait):
		}
		wait = min(2*wait, 30*time.Second)
	}
}

// poll runs the getUpdates loop until ctx ends or the token is refused.
// An update is kept in the inbox before the next call's offset confirms
// it; a batch that cannot be kept is asked for again.
func (b *Bot) poll(ctx context.Context, in *intake) error {
	pollAPI := b.apiWith(ctx)
	offset, backoff := 0, time.Second
	cfg := tgbotapi.UpdateConfig{Timeout: int(b.cfg.PollTimeout / time.Second), Limit: 100, AllowedUpdates: allowedUpdates}
	pause := func(wait time.Duration) {
		select {
		case <-ctx.Done():
		case <-time.After(wait):
		}
	}
	defer func() { in.offset = offset }()
	for in.room(ctx) {
		cfg.Offset = offset
		raws, err := getUpdates(pollAPI, cfg)
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			if f := fatal("getUpdates", err); f != nil {
				return f
			}
			b.hook.polled(err)
			wait := backoff
			var te *tgbotapi.Error
			if errors.As(err, &te) && te.RetryAfter > 0 {
				wait = time.Duration(te.RetryAfter) * b.cfg.Limits.RetryAfterUnit
			} else {
				backoff = min(2*backoff, 30*time.Second)
			}
			b.log.Warn("telegram: getUpdates failed", "err", redact(err.Error(), b.cfg.Token), "retry_in", wait)
			pause(wait)
			continue
		}
		b.hook.polled(nil)
		if ctx.Err() != nil || len(raws) == 0 {
			continue // a batch after the stop is not kept: Telegram sends it again
		}
		next, err := in.keep(ctx, offset, raws)
		if err != nil {
			if ctx.Err() == nil {
				b.log.Error("telegram: cannot keep updates; asking again", "err", err, "retry_in", backoff)
				pause(backoff)
				backoff = min(2*backoff, 30*time.Second)
			}
			continue
		}
		backoff = time.Second
		offset = next
	}
	return nil
}

// getUpdates returns the updates as Telegram sent them, to be kept as is.
func getUpdates(api *tgbotapi.BotAPI, cfg tgbotapi.UpdateConfig) ([]json.RawMessage, error) {
	resp, err := api.Request(cfg)
	if err != nil {
		return nil, err
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(resp.Result, &raws); err != nil {
		return nil, fmt.Errorf("telegram: getUpdates: %w", err)
	}
	return raws, nil
}

// Shutdown steps, after the drain (Config.Drain) and the posts' grace.
const (
	// callCut is how long calls still in flight get before they are aborted.
	callCut = 200 * time.Millisecond
	// confirmTimeout bounds the last getUpdates, which tells Telegram which
	// updates were kept, so it does not send them again.
	confirmTimeout = 150 * time.Millisecond
)

// shutdown stops a Run (see Run for the order); after a fatal error it
// sends nothing more.
func (b *Bot) shutdown(in *intake, stop chan struct{}, queueDone <-chan struct{}, cut context.CancelFunc, err error) {
	start := time.Now()
	confirm, drain := err == nil, b.cfg.Drain
	if !confirm {
		drain = 0
	}
	b.posts.stop(b.queue)
	answered, left := in.drain(drain)
	b.posts.wait(b.cfg.PostGrace - time.Since(start))
	close(stop)
	select {
	case <-queueDone:
	case <-time.After(callCut):
	}
	cut()
	<-queueDone
	in.wait()
	in.record()
	if confirm && in.offset != 0 {
		ctx, cancel := context.WithTimeout(context.Background(), confirmTimeout)
		_, _ = b.apiWith(ctx).Request(tgbotapi.UpdateConfig{Offset: in.offset, Limit: 1})
		cancel()
	}
	if confirm {
		b.log.Info("telegram: stopped", "answered_while_stopping", answered, "left_for_next_start", left, "took", time.Since(start).Round(time.Millisecond))
	}
}

// Post sends a reply to a chat through the send queue (as bulk traffic:
// users' replies go first) and blocks until every part is sent, it fails,
// or ctx ends. It returns the ID of the first message. Failures are
// *sendError values (see errorKind); ctx's error when ctx ends first. Run
// must be running for the queue to move.
func (b *Bot) Post(ctx context.Context, chatID int64, r reply.Reply) (int, error) {
	ids, err := b.send(ctx, chatID, r, 0, prioBulk)
	if len(ids) == 0 {
		return 0, err
	}
	return ids[0], err
}

// send renders r and queues it, waiting for the outcome.
func (b *Bot) send(ctx context.Context, chatID int64, r reply.Reply, replyTo, prio int) ([]int, error) {
	return b.wait(ctx, &job{chatID: chatID, parts: b.messages(r, replyTo), priority: prio})
}

// wait queues j and waits for its outcome; j.done is set here, and j's
// calls end with ctx. A post (prioBulk) is refused once a stop began.
func (b *Bot) wait(ctx context.Context, j *job) ([]int, error) {
	type res struct {
		ids []int
		err error
	}
	ch := make(chan res, 1)
	j.done = func(ids []int, err error) { ch <- res{ids, err} }
	j.ctx = ctx
	if t := ticketOf(ctx); t != nil && !t.track(j) {
		return nil, errCanceled
	}
	if j.priority == prioBulk {
		pctx, release, err := b.posts.add(ctx, b.queue, j)
		if err != nil {
			return nil, err
		}
		defer release()
		ctx = pctx
	} else {
		b.queue.add(j)
	}
	select {
	case r := <-ch:
		return r.ids, r.err
	case <-ctx.Done():
		if started, chat := b.queue.cancel(j); started {
			return nil, &sendError{Kind: kindAmbiguous, ChatID: chat, Description: "stopped waiting for the answer: " + ctx.Err().Error()}
		}
		return nil, ctx.Err()
	}
}

// reply queues r, the answer to the update being handled under ctx,
// without waiting; failures are logged by the queue. An old question's
// answer says how old it is.
func (b *Bot) reply(ctx context.Context, chatID int64, r reply.Reply, replyTo int) {
	t := ticketOf(ctx)
	if t != nil {
		r = t.lateNote(r, b.eng.Words(r.Lang))
	}
	j := &job{chatID: chatID, parts: b.messages(r, replyTo), priority: prioReply}
	if t != nil && !t.track(j) {
		return
	}
	b.queue.add(j)
}

// messages renders r and splits it; the keyboard goes on the last part and
// the first part answers replyTo.
func (b *Bot) messages(r reply.Reply, replyTo int) []outMsg {
	if r.Image != nil {
		return b.photoMessages(r, replyTo, b.eng.Words(r.Lang))
	}
	return b.parts(r, b.texts(r), replyTo)
}

// texts renders r in HTML, split into messages.
func (b *Bot) texts(r reply.Reply) []string {
	return splitHTML(renderHTML(r, b.eng.Words(r.Lang)), MaxMessage)
}

// parts makes the messages of r from its texts; the last one carries the
// buttons.
func (b *Bot) parts(r reply.Reply, texts []string, replyTo int) []outMsg {
	w := b.eng.Words(r.Lang)
	out := make([]outMsg, len(texts))
	for i, t := range texts {
		out[i].text = t
	}
	out[0].replyTo = replyTo
	out[len(out)-1].markup = b.pages.keyboard(r, w)
	return out
}

// call is the queue's sender: one sendMessage or editMessageText, ending
// with j's context (or, for answers, when a stop cuts calls short).
func (b *Bot) call(j *job, p outMsg, chatID int64) (int, error) {
	api := b.api
	if j.ctx != nil {
		api = b.apiWith(j.ctx)
	}
	if p.photo != nil {
		return b.sendPhoto(api, chatID, p)
	}
	if j.edit != 0 {
		c := tgbotapi.NewEditMessageText(chatID, j.edit, p.text)
		c.ParseMode = tgbotapi.ModeHTML
		c.DisableWebPagePreview = true
		c.ReplyMarkup = p.markup
		m, err := api.Send(c)
		return m.MessageID, err
	}
	c := tgbotapi.NewMessage(chatID, p.text)
	c.ParseMode = tgbotapi.ModeHTML
	c.DisableWebPagePreview = true
	if p.replyTo != 0 {
		c.ReplyToMessageID = p.replyTo
		c.AllowSendingWithoutReply = true
	}
	if p.markup != nil {
		c.ReplyMarkup = *p.markup
	}
	m, err := api.Send(c)
	return m.MessageID, err
}
