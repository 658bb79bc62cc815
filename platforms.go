package main

import (
	"context"
	"errors"
	"log/slog"
	"maps"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/eebot/eebot/bot/discord"
	"github.com/eebot/eebot/bot/telegram"
	"github.com/eebot/eebot/commands"
	"github.com/eebot/eebot/internal/broadcast"
	"github.com/eebot/eebot/internal/config"
	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/store"
)

// platform is one running chat platform.
type platform struct {
	name   domain.Platform
	run    func(context.Context) error
	poster broadcast.Poster // its send path for the outbox sender
}

// runPlatforms starts every configured platform and the outbox sender, and
// runs until ctx is cancelled or every platform has stopped. It returns 1
// when every platform stopped on its own (a revoked token, say), else 0.
//
// When ctx ends, everything stops at once, in under 2 s, except the posts
// already being sent, which get cfg.PostGrace: each platform stops taking
// input and finishes its own work (Telegram keeps its send queue for those
// posts and hands the others back), and the sender stops claiming.
//
// The HTTP server (HTTP_ADDR), when on, serves from before the platforms
// start until they stop, and stops within its own second meanwhile.
func runPlatforms(ctx context.Context, cfg config.Config, eng *commands.Engine, db *store.DB, log *slog.Logger, o *ops) int {
	o.newServer(db)
	var ps []platform
	if cfg.DiscordToken != "" {
		p, err := discordPlatform(cfg, eng, log, o)
		if err != nil {
			log.Error("discord did not start", "err", err)
			return 1
		}
		ps = append(ps, p)
	}
	if cfg.TelegramToken != "" {
		p, err := telegramPlatform(ctx, cfg, eng, db, log, o)
		if err != nil {
			log.Error("telegram did not start", "err", err)
			return 1
		}
		ps = append(ps, p)
	}
	if len(ps) == 0 {
		log.Error("no platform could start")
		return 1
	}
	if err := o.listen(); err != nil {
		log.Error("http server did not start", "err", err)
		return 1
	}
	httpCtx, stopHTTP := context.WithCancel(ctx)
	httpDone := o.serve(httpCtx)
	defer func() {
		stopHTTP() // also when every platform stopped on its own
		httpDone()
	}()
	posters := map[domain.Platform]broadcast.Poster{}
	for _, p := range ps {
		posters[p.name] = o.metrics.Poster(p.name, p.poster)
	}
	stopSender := startSender(ctx, cfg, eng, db, posters, log, o)
	type stopped struct {
		name domain.Platform
		err  error
	}
	failed := make(chan stopped, len(ps))
	var pw sync.WaitGroup
	for _, p := range ps {
		pw.Go(func() {
			err := p.run(ctx)
			if ctx.Err() == nil {
				failed <- stopped{p.name, err}
			}
		})
	}
	// A platform that stops on its own (a revoked token) is logged once;
	// the others keep running, and the sender restarts without it, so its
	// posts wait in the outbox instead of failing over and over.
	running := len(ps)
	for running > 0 && ctx.Err() == nil {
		select {
		case <-ctx.Done(): // SIGINT/SIGTERM
		case f := <-failed:
			running--
			log.Error("platform stopped", "platform", f.name, "err", f.err, "platforms_left", running)
			stopSender()
			delete(posters, f.name)
			if running > 0 {
				stopSender = startSender(ctx, cfg, eng, db, posters, log, o)
			}
		}
	}
	stopSender()
	pw.Wait()
	if running == 0 {
		return 1
	}
	log.Info("stopped cleanly; queued posts stay in the outbox for the next start")
	return 0
}

// startSender runs an outbox sender for posters, while this replica leads,
// until the returned stop is called or ctx ends; stop returns once the
// posts in flight are done or their grace (cfg.PostGrace) ran out.
//
// Only the leader sends, so the platforms' limits (Telegram's 30 messages
// a second, Discord's per-route buckets learnt from its replies) are held
// by one pacer for the whole fleet, and a fan-out goes at the limit with
// one replica or three. The outbox would let any number drain it (claims
// skip each other's rows), which is what keeps a leader change safe: the
// old leader's last posts stay claimed under its lease while the new one
// sends the rest.
func startSender(ctx context.Context, cfg config.Config, eng *commands.Engine, db *store.DB, posters map[domain.Platform]broadcast.Poster, log *slog.Logger, o *ops) (stop func()) {
	sender := &broadcast.Sender{Outbox: db, Posters: maps.Clone(posters), Render: eng.RenderPost, Log: log.With("part", "sender"), Grace: cfg.PostGrace}
	sendCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		o.el.WhileLeading(sendCtx, func(ctx context.Context) {
			if err := sender.Run(ctx); err != nil {
				log.Error("sender stopped", "err", err)
			}
		})
	}()
	return func() {
		cancel()
		<-done
	}
}

func telegramPlatform(ctx context.Context, cfg config.Config, eng *commands.Engine, db *store.DB, log *slog.Logger, o *ops) (platform, error) {
	var mods []int64
	for _, id := range cfg.Moderators[domain.Telegram] {
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil {
			return platform{}, errors.New("BOT_ADMINS: telegram IDs are numbers")
		}
		mods = append(mods, n)
	}
	tlog := log.With("platform", domain.Telegram)
	// Replicas on one Postgres book Telegram's overall rate there together.
	var fleet telegram.FleetBudget
	if db.Shared() {
		fleet = db
	}
	b, err := telegram.New(telegram.Config{
		Token: cfg.TelegramToken, Endpoint: cfg.TelegramEndpoint, Logger: tlog, Moderators: mods,
		Inbox: db, PostGrace: cfg.PostGrace, Fleet: fleet,
		// As the package's default client, counted: the long poll's 30 s
		// plus 15, a connection per worker (8) and two spare.
		HTTPClient: o.client(domain.Telegram, 45*time.Second, 10),
		WebhookURL: cfg.TelegramWebhookURL, WebhookSecret: cfg.TelegramWebhookSecret, Registers: o.isLeader,
		OnChatGone: func(chatID int64, reason string) {
			if err := db.MarkDestinationGone(context.WithoutCancel(ctx), domain.Telegram, strconv.FormatInt(chatID, 10), reason); err != nil {
				tlog.Error("cannot record a chat the bot left", "chat", chatID, "err", err)
			}
		},
		OnMigrate: func(oldID, newID int64) {
			if err := db.MoveDestination(context.WithoutCancel(ctx), domain.Telegram, strconv.FormatInt(oldID, 10), strconv.FormatInt(newID, 10)); err != nil {
				tlog.Error("cannot follow a migrated chat", "from", oldID, "to", newID, "err", err)
			}
		},
	}, eng)
	if err != nil {
		return platform{}, err
	}
	o.ready("telegram", b.Ready)
	run := b.Run
	if cfg.TelegramWebhookURL != "" {
		o.handle("POST "+config.TelegramWebhookPath, b.WebhookHandler())
		run = func(ctx context.Context) error {
			go o.whileLeading(ctx, func(ctx context.Context) { registerWebhook(ctx, b, tlog) })
			return b.Run(ctx)
		}
	}
	return platform{name: domain.Telegram, run: run, poster: b.Broadcaster()}, nil
}

// registerWebhook calls setWebhook once the bot takes updates, retrying
// until it succeeds or ctx ends. With several replicas only the leader
// does (runPlatforms runs it while leading), again each time it starts to
// lead: every replica serves the webhook's URL behind the load balancer.
func registerWebhook(ctx context.Context, b *telegram.Bot, log *slog.Logger) {
	select {
	case <-b.Serving():
	case <-ctx.Done():
		return
	}
	wait := time.Second
	for {
		err := b.SetWebhook(ctx)
		if err == nil || ctx.Err() != nil {
			return
		}
		log.Warn("telegram: setWebhook failed, will retry", "err", err, "retry_in", wait)
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = min(2*wait, time.Minute)
	}
}

func discordPlatform(cfg config.Config, eng *commands.Engine, log *slog.Logger, o *ops) (platform, error) {
	dc := discord.Config{Token: cfg.DiscordToken, GuildID: cfg.DiscordGuildID, APIURL: cfg.DiscordAPIURL,
		Logger:     log.With("platform", domain.Discord),
		Moderators: func(id string) bool { return slices.Contains(cfg.Moderators[domain.Discord], id) },
		HTTPClient: o.client(domain.Discord, 20*time.Second, 16)}
	if cfg.DiscordMode == config.DiscordHTTP {
		key, err := cfg.DiscordKey()
		if err != nil {
			return platform{}, err
		}
		dc.PublicKey = key
	}
	b, err := discord.New(dc, eng)
	if err != nil {
		return platform{}, err
	}
	o.ready("discord", b.Ready)
	if dc.PublicKey != nil {
		o.handle("POST "+config.DiscordInteractionsPath, b.InteractionsHandler())
	}
	return platform{name: domain.Discord, run: b.Run, poster: b}, nil
}
