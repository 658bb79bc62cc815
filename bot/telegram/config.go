// Package telegram serves the engine's commands on Telegram: long polling,
// commands in private chats and groups, free text in private chats, the
// subscription commands in channels, HTML answers, Previous/Next keyboards
// and action buttons (a moderator's Post and Cancel), moderators' answers in
// their private chat, the command menus, one rate-limited send queue for
// every outgoing message, and the Broadcaster that posts draw alerts for
// internal/broadcast.
//
// Wiring (main): Config.Moderators from the BOT_ADMINS entries
// "telegram:<id>"; Config.OnChatGone to the store's MarkDestinationGone and
// Config.OnMigrate to its MoveDestination (platform "telegram", decimal chat
// IDs); Config.Inbox to the store, so no question is lost across a stop;
// Config.PostGrace to the sender's grace; Bot.Broadcaster() as the sender's
// Poster for "telegram"; then Run, until its context ends (a stop) or it
// returns ErrFatal (the token was refused).
package telegram

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/eebot/eebot/commands"
	"github.com/eebot/eebot/internal/domain"
)

// Config configures a Bot. Only Token is required.
type Config struct {
	Token string
	// Endpoint is the Bot API URL in tgbotapi's "…/bot%s/%s" form (token,
	// then method); TELEGRAM_API_ENDPOINT. Default tgbotapi.APIEndpoint.
	Endpoint string
	Logger   *slog.Logger
	// HTTPClient makes the API calls. Its Timeout, if set, must exceed
	// PollTimeout, and its transport should keep Workers+1 idle connections
	// per host. Default: such a client with a PollTimeout+15s timeout.
	HTTPClient *http.Client
	// PollTimeout is the getUpdates long-poll timeout. Default 30s.
	PollTimeout time.Duration
	Limits      Limits
	// Workers bounds the API calls in flight at once. Default 8.
	Workers int
	// Handlers bounds the updates being answered at once. Default 16.
	Handlers int

	// OnChatGone is called when Telegram answers 403 for a chat (the user
	// blocked the bot or never started a chat with it, the bot was removed
	// from the group or channel) or a my_chat_member update says the bot
	// was kicked or left, so later broadcasts can skip that chat: wire it
	// to the store's MarkDestinationGone("telegram", strconv.FormatInt(id,
	// 10), reason). It is called outside the queue's lock from the
	// goroutine that made the call; it may block briefly (a database
	// write), not for long. It may be called more than once for a chat.
	OnChatGone func(chatID int64, reason string)
	// OnMigrate is called when a basic group became a supergroup: messages
	// for oldID now go to newID. Wire it to the store's
	// MoveDestination("telegram", old, new) (decimal IDs). It is called
	// when the migration service message arrives or a send is answered
	// with migrate_to_chat_id, and again whenever a Broadcaster post is
	// addressed to oldID (see Broadcaster), so it must be idempotent; it
	// may block briefly, as OnChatGone. Leave it nil to have Broadcaster
	// report migrations to the sender (a Moved outcome) instead.
	OnMigrate func(oldID, newID int64)

	// Fleet, when several replicas send for one bot (a shared Postgres),
	// is where they book Telegram's overall rate together: every call
	// takes the next slot of the bot's rate there and waits for it, so the
	// replicas' answers and the leader's posts stay within Limits.Global
	// between them. Nil (one bot alone) paces by this process's queue only.
	Fleet FleetBudget

	// Moderators are the Telegram user IDs of the bot's moderators
	// (commands.Caller.Moderator): the BOT_ADMINS entries "telegram:<id>".
	// Their private answers to moderator commands given in a group
	// (/announce previews with Post and Cancel, /draw add) go to their
	// private chat with the bot, and their private chat's menu lists the
	// moderator commands (see SetMenu).
	Moderators []int64
	// ModeratorCommands are extra commands shown, with the public and the
	// managers' commands (commands.Managers), to chat administrators (scope
	// all_chat_administrators) and to Moderators. The engine's
	// commands.Moderators commands are shown to Moderators only.
	ModeratorCommands []commands.Spec
	// SkipMenu leaves the command menu alone at start-up.
	SkipMenu bool

	// WebhookURL, when set, makes Run take updates from WebhookHandler
	// instead of long polling (TELEGRAM_WEBHOOK_URL); SetWebhook registers
	// it with Telegram. When empty, Run deletes a webhook left registered,
	// since getUpdates fails while one is. WebhookSecret is the secret_token
	// Telegram sends back with every update (TELEGRAM_WEBHOOK_SECRET).
	WebhookURL    string
	WebhookSecret string
	// Registers reports whether this replica registers the webhook (in a
	// fleet, the leader does; nil: it does). One that does not is ready
	// once it serves: Telegram delivers to the URL, which every replica
	// serves, whoever registered it.
	Registers func() bool

	// Inbox keeps every update from the moment it is taken until it is
	// answered: Telegram forgets an update once the next getUpdates
	// confirms it, and the answer may still be queued then. Wire it to the
	// store. Nil keeps updates in memory only, so a stop loses those not
	// yet answered.
	Inbox Inbox
	// Drain is how long Run keeps sending answers once ctx ends; updates
	// whose answer is not sent by then stay in the Inbox and are answered
	// after the next start. Default 1s.
	Drain time.Duration
	// PostGrace is how long Run waits, once ctx ends, for broadcast posts
	// already being sent; posts not started yet are withdrawn at once (the
	// outbox keeps them). Default 5s; main uses the sender's grace.
	PostGrace time.Duration
	// MaxTaken bounds the updates taken and not yet answered: beyond it Run
	// stops asking Telegram for more until answers go out. Default 1000.
	MaxTaken int
	// Now is the clock that ages questions; default time.Now.
	Now func() time.Time
}

// Inbox is where Run keeps the updates it took until they are answered;
// the store implements it. source tells bots apart ("telegram:<bot id>").
type Inbox interface {
	// KeepInbound stores updates durably and forgets answered ones below
	// confirmed; it returns the IDs it did not hold already.
	KeepInbound(ctx context.Context, source string, confirmed int64, in []domain.Inbound) ([]int64, error)
	// AnswerInbound marks updates answered (or given up on).
	AnswerInbound(ctx context.Context, source string, ids ...int64) error
	// WaitingInbound returns the updates not yet answered, oldest first.
	WaitingInbound(ctx context.Context, source string) ([]domain.Inbound, error)
}

// Limits are the send queue's flood limits. Rates are per second except
// Group, which is per minute. Bursts are token-bucket sizes (at least 1,
// the default: messages are evenly spaced). Tests and benchmarks scale the
// rates up and RetryAfterUnit down.
type Limits struct {
	PerChat      float64 // messages per second to one chat; default 1
	PerChatBurst int
	Group        float64 // messages per minute to one group (negative chat ID); default 20
	GroupBurst   int
	Global       float64 // messages per second overall; default 30
	GlobalBurst  int
	// Slack: a message sent up to Slack after its slot keeps the slot, so a
	// timer firing late (Go timers can be a millisecond late) does not push
	// every later message back. Default 2ms; negative for none.
	Slack time.Duration
	// Window is the span Telegram counts its limits over: PerChat and
	// Global messages in any Window, Group in any 60 Windows. No window
	// ever holds more, even after a late timer. Default 1s.
	Window time.Duration
	// Jitter is how much later than the one before it a message may reach
	// Telegram (network delays vary): the queue counts its windows that
	// much longer, so they hold at most the limit as Telegram sees them
	// too. Default 10ms (1 % of the rate); negative for none.
	Jitter time.Duration
	// RetryAfterUnit is the length of one retry_after unit; default 1s.
	RetryAfterUnit time.Duration
	// MaxRetries bounds the retries of one message after 429 or a
	// transient failure; default 5.
	MaxRetries int
}

// FleetBudget books sends of a rate shared by several processes
// (store.DB.ReserveSend): it returns when the send may go.
type FleetBudget interface {
	ReserveSend(ctx context.Context, key string, interval time.Duration, now time.Time) (time.Time, error)
}

// DefaultLimits are Telegram's documented limits.
func DefaultLimits() Limits {
	return Limits{PerChat: 1, PerChatBurst: 1, Group: 20, GroupBurst: 1, Global: 30, GlobalBurst: 1, Slack: 2 * time.Millisecond,
		Window: time.Second, Jitter: 10 * time.Millisecond, RetryAfterUnit: time.Second, MaxRetries: 5}
}

// Scaled returns the limits with every rate multiplied by f and Window,
// Jitter and RetryAfterUnit divided by f, for tests.
func (l Limits) Scaled(f float64) Limits {
	l = l.withDefaults()
	l.PerChat *= f
	l.Group *= f
	l.Global *= f
	l.Window = time.Duration(float64(l.Window) / f)
	l.Jitter = time.Duration(float64(l.Jitter) / f)
	l.RetryAfterUnit = time.Duration(float64(l.RetryAfterUnit) / f)
	return l
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.PerChat <= 0 {
		l.PerChat = d.PerChat
	}
	if l.Group <= 0 {
		l.Group = d.Group
	}
	if l.Global <= 0 {
		l.Global = d.Global
	}
	l.PerChatBurst = max(1, l.PerChatBurst)
	l.GroupBurst = max(1, l.GroupBurst)
	l.GlobalBurst = max(1, l.GlobalBurst)
	if l.Slack == 0 {
		l.Slack = d.Slack
	}
	l.Slack = max(0, l.Slack)
	if l.Window <= 0 {
		l.Window = d.Window
	}
	if l.Jitter == 0 {
		l.Jitter = d.Jitter
	}
	l.Jitter = max(0, l.Jitter)
	if l.RetryAfterUnit <= 0 {
		l.RetryAfterUnit = d.RetryAfterUnit
	}
	if l.MaxRetries <= 0 {
		l.MaxRetries = d.MaxRetries
	}
	return l
}

func (c Config) withDefaults() Config {
	if c.Endpoint == "" {
		c.Endpoint = tgbotapi.APIEndpoint
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.PollTimeout <= 0 {
		c.PollTimeout = 30 * time.Second
	}
	if c.Workers <= 0 {
		c.Workers = 8
	}
	if c.HTTPClient == nil {
		// Every call goes to one host: keep a connection per worker (the
		// default keeps 2, so busy sends would redial constantly).
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.MaxIdleConnsPerHost = c.Workers + 2
		c.HTTPClient = &http.Client{Timeout: c.PollTimeout + 15*time.Second, Transport: tr}
	}
	c.Limits = c.Limits.withDefaults()
	if c.Handlers <= 0 {
		c.Handlers = 16
	}
	if c.Inbox == nil {
		c.Inbox = &memInbox{}
	}
	if c.Drain <= 0 {
		c.Drain = time.Second
	}
	if c.PostGrace <= 0 {
		c.PostGrace = 5 * time.Second
	}
	if c.MaxTaken <= 0 {
		c.MaxTaken = 1000
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}
