// Command eebot is an Express Entry chat bot for Discord, Telegram and the
// console. With no platform token set it answers questions on the console.
//
//	eebot                          console (or Discord/Telegram when tokens are set)
//	eebot ask "last healthcare cutoff"   one answer, then exit (0 answered, 2 unusable input)
//	eebot healthcheck              probe the running bot's /readyz (0 ready, 1 not), for Docker's HEALTHCHECK
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/eebot/eebot/bot/console"
	"github.com/eebot/eebot/commands"
	"github.com/eebot/eebot/data"
	"github.com/eebot/eebot/internal/config"
	"github.com/eebot/eebot/internal/dataset"
	"github.com/eebot/eebot/internal/i18n"
	"github.com/eebot/eebot/internal/leader"
	"github.com/eebot/eebot/internal/poll"
	"github.com/eebot/eebot/internal/store"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv))
}

// run is main with its dependencies passed in, so tests can drive it.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	cfg, rest, err := config.Load(args, getenv, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "eebot:", err)
		if len(args) > 0 && args[len(args)-1] == "healthcheck" {
			return 1 // Docker reserves 2; for a HEALTHCHECK anything wrong is "unhealthy"
		}
		return 2
	}
	if len(rest) > 0 && rest[0] == "healthcheck" {
		return healthcheck(ctx, cfg, stderr)
	}
	ask := len(rest) > 0 && rest[0] == "ask"
	if len(rest) > 0 && !ask {
		fmt.Fprintf(stderr, "eebot: unknown command %q (use: eebot, eebot ask \"question\", or eebot healthcheck)\n", rest[0])
		return 2
	}
	level := cfg.LogLevel
	if ask && level < slog.LevelWarn {
		level = slog.LevelWarn // one answer on stdout, no start-up chatter
	}
	// Every log line passes through the redactor: no token, however escaped.
	log := newLogger(cfg, stderr, level)

	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()

	post, err := commands.LoadPostTemplate(cfg.PostTemplate)
	if err != nil {
		fmt.Fprintln(stderr, "eebot: config: POST_TEMPLATE:", err)
		return 2
	}
	db, err := openStore(ctx, cfg, log)
	if err != nil {
		if ctx.Err() != nil {
			return 0 // told to stop while starting: a clean stop
		}
		fmt.Fprintln(stderr, "eebot:", err)
		return 1
	}
	defer db.Close()
	lang, _ := i18n.Parse(cfg.Lang)
	o := newOps(cfg, db, log)
	eng := commands.New(db, commands.WithLogger(log), commands.WithPostTemplate(post), commands.WithLang(lang),
		commands.WithObserver(o.metrics.Command), commands.WithFleet(o.fleet))

	if ask {
		q := strings.TrimSpace(strings.Join(rest[1:], " "))
		if q == "" {
			fmt.Fprintln(stderr, `eebot: ask needs a question, e.g. eebot ask "last healthcare cutoff"`)
			return 2
		}
		return console.Ask(ctx, eng, q, stdout, console.ChartDir(cfg.ChartDir))
	}
	var wg sync.WaitGroup
	defer wg.Wait() // before db.Close: nothing is left half-written
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// One replica of those sharing the database leads: it polls IRCC and
	// runs the periodic work, through a lease in the database. With SQLite
	// there is one instance (the file is locked), which leads.
	el := &leader.Elector{Store: db, ID: cfg.ReplicaID, Log: log.With("part", "leader"), OnChange: o.leading}
	o.el = el
	wg.Go(func() {
		if err := el.Run(ctx); err != nil {
			log.Error("leader election did not start", "err", err)
		}
	})
	// Old records of posts made are compacted away, hourly, so the
	// database stays bounded (OUTBOX_RETENTION).
	wg.Go(func() {
		el.WhileLeading(ctx, func(ctx context.Context) {
			db.RunCompaction(ctx, cfg.OutboxRetention, time.Hour, log.With("part", "outbox"))
		})
	})
	freeStartMemory()
	wg.Go(func() { freeWhenQuiet(ctx, quietPeriod, heapAllocated, debug.FreeOSMemory) })
	if !cfg.NoPoll {
		// New draws reach the sender through the store: the commit that
		// queues their posts signals it.
		var first sync.Once
		p := &poll.Poller{URL: cfg.FeedURL, UserAgent: userAgent(cfg), Store: db, Log: log.With("part", "poller"), Business: cfg.PollInterval,
			OffHours: cfg.PollOffHours, OnPoll: func(at time.Time, err error, next time.Duration) {
				o.polled(at, err, next)
				first.Do(freeStartMemory) // the first poll's parse is the other peak
			}}
		wg.Go(func() { el.WhileLeading(ctx, func(ctx context.Context) { p.Run(ctx) }) })
	}
	if cfg.Console() {
		fmt.Fprintln(stderr, eng.Words(string(lang)).T("console.banner"))
		if err := console.Run(ctx, eng, stdin, stdout, console.ChartDir(cfg.ChartDir)); err != nil {
			log.Error("console stopped", "err", err)
			return 1
		}
		return 0
	}
	return runPlatforms(ctx, cfg, eng, db, log, o)
}

// openStore opens the database and loads the embedded data into it.
func openStore(ctx context.Context, cfg config.Config, log *slog.Logger) (*store.DB, error) {
	if cfg.DBPath != ":memory:" && !store.IsPostgresURL(cfg.DBPath) {
		if err := os.MkdirAll(filepath.Dir(cfg.DBPath), 0o755); err != nil {
			return nil, fmt.Errorf("data directory: %w", err)
		}
	}
	db, err := store.Open(ctx, cfg.DBPath, log, store.WithHolder(cfg.ReplicaID), store.WithClaimLease(cfg.ClaimLease))
	if err != nil {
		return nil, err
	}
	if err := dataset.Seed(ctx, db, data.Files, log); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.SetPriorityDestinations(ctx, cfg.Priority); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// userAgent is what the poller sends IRCC: a replica named by REPLICA_ID
// says which, so the feed's logs tell the fleet's polls apart.
func userAgent(cfg config.Config) string {
	if !cfg.ReplicaIDSet {
		return poll.DefaultUserAgent
	}
	id := strings.Map(func(r rune) rune {
		if r < ' ' || r > '~' || r == '(' || r == ')' {
			return '_' // a header value, in a comment: printable ASCII, no parentheses
		}
		return r
	}, cfg.ReplicaID)
	return strings.TrimSuffix(poll.DefaultUserAgent, ")") + "; replica " + id + ")"
}
