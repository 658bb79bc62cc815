package telegram

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/eebot/eebot/commands"
	"github.com/eebot/eebot/internal/reply"
)

// Bot serves the engine on Telegram. Create it with New, then call Run.
type Bot struct {
	cfg    Config
	eng    *commands.Engine
	log    *slog.Logger
	api    *tgbotapi.BotAPI // sends: no context beyond the HTTP client's timeout
	user   string           // our username, from getMe
	queue  *queue
	pages  *pageKeys
	admins adminCache

	runMu   sync.Mutex
	running bool
}

// New checks the token with getMe and returns a Bot. It does not poll or
// send anything until Run.
func New(cfg Config, eng *commands.Engine) (*Bot, error) {
	if cfg.Token == "" {
		return nil, errors.New("telegram: no bot token")
	}
	if eng == nil {
		return nil, errors.New("telegram: no engine")
	}
	cfg = cfg.withDefaults()
	api, err := tgbotapi.NewBotAPIWithClient(cfg.Token, cfg.Endpoint, doer{c: cfg.HTTPClient, token: cfg.Token})
	if err != nil {
		return nil, fmt.Errorf("telegram: getMe: %w", redactErr(err, cfg.Token))
	}
	b := &Bot{cfg: cfg, eng: eng, log: cfg.Logger, api: api, user: api.Self.UserName, pages: newPageKeys(4096)}
	b.queue = newQueue(cfg.Limits, cfg.Workers, b.call, cfg.Token, b.log)
	b.queue.gone = cfg.OnChatGone
	b.queue.migr = cfg.OnMigrate
	return b, nil
}

// Username is the bot's @username (without @), from getMe.
func (b *Bot) Username() string { return b.user }

// Run sets the command menu, then long-polls getUpdates and answers until
// ctx is cancelled. It then stops polling (aborting the poll in flight),
// lets the updates being answered finish and queue their replies, waits
// for the calls in flight, and returns nil. Messages still queued stay
// queued (a later Run sends them). Errors from Telegram are logged and
// retried with a backoff; Run only fails if called twice at once.
func (b *Bot) Run(ctx context.Context) error {
	b.runMu.Lock()
	if b.running {
		b.runMu.Unlock()
		return errors.New("telegram: Run called twice")
	}
	b.running = true
	b.runMu.Unlock()
	defer func() {
		b.runMu.Lock()
		b.running = false
		b.runMu.Unlock()
	}()

	stop := make(chan struct{})
	queueDone := make(chan struct{})
	go func() {
		defer close(queueDone)
		b.queue.run(stop)
	}()

	if !b.cfg.SkipMenu {
		if err := b.SetMenu(); err != nil {
			b.log.Warn("telegram: setting the command menu failed", "err", redact(err.Error(), b.cfg.Token))
		}
	}

	var handlers sync.WaitGroup
	b.poll(ctx, &handlers)
	handlers.Wait()
	close(stop)
	<-queueDone
	b.log.Info("telegram: stopped", "queued", b.queue.pending())
	return nil
}

// poll runs the getUpdates loop until ctx ends.
func (b *Bot) poll(ctx context.Context, handlers *sync.WaitGroup) {
	pollAPI := *b.api // same endpoint and token; requests bound to ctx
	pollAPI.Client = doer{c: b.cfg.HTTPClient, ctx: ctx, token: b.cfg.Token}
	sem := make(chan struct{}, b.cfg.Handlers)
	offset, backoff := 0, time.Second
	cfg := tgbotapi.UpdateConfig{Timeout: int(b.cfg.PollTimeout / time.Second), Limit: 100,
		AllowedUpdates: []string{"message", "channel_post", "callback_query", "my_chat_member"}}
	for ctx.Err() == nil {
		cfg.Offset = offset
		updates, err := pollAPI.GetUpdates(cfg)
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			wait := backoff
			var te *tgbotapi.Error
			if errors.As(err, &te) && te.RetryAfter > 0 {
				wait = time.Duration(te.RetryAfter) * b.cfg.Limits.RetryAfterUnit
			} else {
				backoff = min(2*backoff, 30*time.Second)
			}
			b.log.Warn("telegram: getUpdates failed", "err", redact(err.Error(), b.cfg.Token), "retry_in", wait)
			select {
			case <-ctx.Done():
			case <-time.After(wait):
			}
			continue
		}
		backoff = time.Second
		for _, u := range updates {
			if u.UpdateID < offset {
				continue
			}
			offset = u.UpdateID + 1
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				// Not answered: leave it unconfirmed so it comes back.
				offset = u.UpdateID
			}
			if ctx.Err() != nil {
				break
			}
			handlers.Add(1)
			go func(u tgbotapi.Update) {
				defer func() { <-sem; handlers.Done() }()
				// Answers finish even while Run is stopping.
				hctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
				defer cancel()
				b.handleUpdate(hctx, u)
			}(u)
		}
	}
	// Confirm what was handled, so a restart does not answer it again.
	if offset != 0 {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
		defer cancel()
		pollAPI.Client = doer{c: b.cfg.HTTPClient, ctx: cctx, token: b.cfg.Token}
		_, _ = pollAPI.GetUpdates(tgbotapi.UpdateConfig{Offset: offset, Limit: 1})
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

// wait queues j and waits for its outcome; j.done is set here.
func (b *Bot) wait(ctx context.Context, j *job) ([]int, error) {
	type res struct {
		ids []int
		err error
	}
	ch := make(chan res, 1)
	j.done = func(ids []int, err error) { ch <- res{ids, err} }
	b.queue.add(j)
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

// reply queues r without waiting; failures are logged by the queue.
func (b *Bot) reply(chatID int64, r reply.Reply, replyTo int) {
	b.queue.add(&job{chatID: chatID, parts: b.messages(r, replyTo), priority: prioReply})
}

// messages renders r and splits it; the keyboard goes on the last part and
// the first part answers replyTo.
func (b *Bot) messages(r reply.Reply, replyTo int) []outMsg {
	w := b.eng.Words(r.Lang)
	texts := splitHTML(renderHTML(r, w), MaxMessage)
	out := make([]outMsg, len(texts))
	for i, t := range texts {
		out[i].text = t
	}
	out[0].replyTo = replyTo
	out[len(out)-1].markup = b.pages.keyboard(r, w)
	return out
}

// call is the queue's sender: one sendMessage or editMessageText.
func (b *Bot) call(j *job, p outMsg, chatID int64) (int, error) {
	if j.edit != 0 {
		c := tgbotapi.NewEditMessageText(chatID, j.edit, p.text)
		c.ParseMode = tgbotapi.ModeHTML
		c.DisableWebPagePreview = true
		c.ReplyMarkup = p.markup
		m, err := b.api.Send(c)
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
	m, err := b.api.Send(c)
	return m.MessageID, err
}
