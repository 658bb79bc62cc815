// Package discord serves the command engine on Discord: slash commands with
// choices and autocomplete, answers as embeds, pager buttons that edit the
// message in place, the subscription and moderator commands (each Request
// carries a Caller: Manage Channels from the member's channel permissions,
// moderator from Config.Moderators) with action buttons run as the presser,
// and Post, the outbox sender's Poster: paced, deduplicated by nonce with
// enforce_nonce, and reporting a broadcast.Outcome. It runs on discordgo
// with all REST traffic routed through Config.APIURL, and supervises the
// gateway itself so that fatal close codes stop it (ErrFatal) instead of
// reconnecting forever.
package discord

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/eebot/eebot/commands"
	"github.com/eebot/eebot/internal/rendercache"
	"github.com/eebot/eebot/internal/secret"
)

// Bot is the Discord side of eebot. Create it with New; Run it once at a
// time; Post may be called at any time, also while Run is not running.
type Bot struct {
	cfg    Config
	eng    *commands.Engine
	log    *slog.Logger
	api    *url.URL
	client *http.Client
	rest   *discordgo.Session // REST only: registration, answers, posts

	specs    []commands.Spec
	specByID map[string]commands.Spec    // by Key: "cutoff", "draw add"
	names    map[string]bool             // engine command names, for buttons
	pace     *pacer                      // Post's global pacing; nil = off
	secrets  *secret.Redactor            // the bot token, for error texts
	guilds   channelGuilds               // channel → guild, for Post's mention check
	posts    rendercache.Cache[postJSON] // Post's renderings, one per post

	idle     time.Duration // gateway idle timeout (tests shorten it)
	dial     dialFunc      // gateway dial; nil = TCP (tests dial in memory)
	running  atomic.Bool
	state    serveState // for Ready
	inflight inflight
	// baseCtx is the context of the current Run, for interaction handlers.
	baseMu  sync.RWMutex
	baseCtx context.Context
}

// New checks cfg and prepares a bot; it does no network I/O.
func New(cfg Config, eng *commands.Engine) (*Bot, error) {
	if eng == nil {
		return nil, errors.New("discord: nil engine")
	}
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	api, err := parseAPIURL(cfg.APIURL)
	if err != nil {
		return nil, err
	}
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	b := &Bot{
		cfg:      cfg,
		eng:      eng,
		log:      log,
		api:      api,
		client:   httpClient(cfg.HTTPClient, api),
		specs:    commands.Specs(),
		specByID: map[string]commands.Spec{},
		names:    map[string]bool{},
		pace:     newPacer(cfg.PostRate),
		secrets:  secret.NewRedactor(cfg.Token),
		baseCtx:  context.Background(),
		idle:     gatewayIdleTimeout,
	}
	for _, s := range b.specs {
		b.specByID[s.Key()] = s
		b.names[s.Name] = true
	}
	b.rest = b.newSession()
	return b, nil
}

// newSession returns a discordgo session that uses the bot's HTTP client and
// never reconnects on its own (the bot's supervisor does).
func (b *Bot) newSession() *discordgo.Session {
	s, _ := discordgo.New(b.cfg.authToken()) // cannot fail: no network, no email login
	s.Client = b.client
	s.UserAgent = "DiscordBot (https://github.com/eebot/eebot, 1.0)"
	s.ShouldReconnectOnError = false
	s.ShouldRetryOnRateLimit = true
	s.StateEnabled = true
	s.State.TrackChannels = false
	s.State.TrackEmojis = false
	s.State.TrackMembers = false
	s.State.TrackRoles = false
	s.State.TrackVoice = false
	s.State.TrackPresences = false
	s.State.TrackThreads = false
	s.State.TrackStickers = false
	s.State.TrackThreadMembers = false
	// Slash commands need no intents: interactions always arrive.
	s.Identify.Intents = discordgo.IntentsNone
	s.LogLevel = discordgo.LogError
	return s
}

func (b *Bot) ctx() context.Context {
	b.baseMu.RLock()
	defer b.baseMu.RUnlock()
	return b.baseCtx
}

func (b *Bot) setCtx(ctx context.Context) {
	b.baseMu.Lock()
	b.baseCtx = ctx
	b.baseMu.Unlock()
}

// inflight counts interaction answers in progress, so shutdown can wait for
// them. (A WaitGroup may not be Added to while Wait runs at zero.)
type inflight struct {
	mu   sync.Mutex
	n    int
	idle chan struct{} // closed while n == 0
}

func (f *inflight) add() {
	f.mu.Lock()
	if f.n == 0 {
		f.idle = make(chan struct{})
	}
	f.n++
	f.mu.Unlock()
}

func (f *inflight) done() {
	f.mu.Lock()
	f.n--
	if f.n == 0 {
		close(f.idle)
	}
	f.mu.Unlock()
}

// wait returns a channel closed when nothing is in flight.
func (f *inflight) wait() <-chan struct{} {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.n == 0 {
		c := make(chan struct{})
		close(c)
		return c
	}
	return f.idle
}
