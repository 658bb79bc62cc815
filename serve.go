package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/eebot/eebot/internal/config"
	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/httpserver"
	"github.com/eebot/eebot/internal/leader"
	"github.com/eebot/eebot/internal/metrics"
	"github.com/eebot/eebot/internal/secret"
	"github.com/eebot/eebot/internal/store"
)

// newLogger returns the bot's logger: text or JSON (LOG_FORMAT), every
// line through the token redactor.
func newLogger(cfg config.Config, w io.Writer, level slog.Level) *slog.Logger {
	opts := &slog.HandlerOptions{Level: level}
	var h slog.Handler = slog.NewTextHandler(w, opts)
	if cfg.LogFormat == "json" {
		h = slog.NewJSONHandler(w, opts)
	}
	return slog.New(secret.Handler(h, secret.NewRedactor(cfg.DiscordToken, cfg.TelegramToken, cfg.TelegramWebhookSecret)))
}

// healthcheck is `eebot healthcheck`: exit 0 when the running bot's
// /readyz answers 200, else 1 with one line saying why (for Docker's
// HEALTHCHECK: a distroless image has no shell or curl).
func healthcheck(ctx context.Context, cfg config.Config, stderr io.Writer) int {
	url, err := cfg.ProbeURL()
	if err != nil {
		fmt.Fprintln(stderr, "eebot: healthcheck:", err)
		return 1
	}
	if err := httpserver.Probe(ctx, url); err != nil {
		fmt.Fprintf(stderr, "eebot: healthcheck: %s: %v\n", url, err)
		return 1
	}
	return 0
}

// ops is what the HTTP server shows of the running bot: metrics, the feed
// poller's progress, readiness, the replica's role in the fleet.
type ops struct {
	cfg     config.Config
	log     *slog.Logger
	metrics *metrics.Metrics
	feed    *feedWatch
	srv     *httpserver.Server // nil when HTTP_ADDR is unset
	// el elects the leader; nil until run starts it (not for `eebot ask`).
	el *leader.Elector
}

// newOps creates the metrics (on a registry of their own) and the feed
// watch; the server comes with listen.
func newOps(cfg config.Config, db *store.DB, log *slog.Logger) *ops {
	o := &ops{cfg: cfg, log: log, metrics: metrics.New(prometheus.NewRegistry(), db), feed: &feedWatch{started: time.Now()}}
	if m, err := db.Meta(context.Background()); err == nil && m.LastChecked != "" {
		if t, err := time.Parse(time.RFC3339, m.LastChecked); err == nil {
			o.metrics.Polled(t, nil) // the last success before this start
		}
	}
	return o
}

// polled is the poller's OnPoll.
func (o *ops) polled(at time.Time, err error, next time.Duration) {
	o.metrics.Polled(at, err)
	o.feed.polled(at, next)
}

// leading is the elector's OnChange: the metric follows, and a new
// leader's poller gets a poll interval from now before the feed check
// calls it late.
func (o *ops) leading(leading bool) {
	o.metrics.SetLeader(leading)
	if leading {
		o.feed.restart(time.Now())
	}
}

// isLeader reports whether this replica leads; without an election (a
// test of the server alone) it is the only one, so it does.
func (o *ops) isLeader() bool { return o.el == nil || o.el.Leading() }

// whileLeading runs fn while this replica leads (see leader.Elector), or
// for as long as ctx lasts when there is no election.
func (o *ops) whileLeading(ctx context.Context, fn func(context.Context)) {
	if o.el == nil {
		fn(ctx)
		return
	}
	o.el.WhileLeading(ctx, fn)
}

// fleet is /about's commands.Fleet: which replica answers and which leads,
// shown when REPLICA_ID was set or another replica leads (a lone instance
// with the default name, which leads, says nothing of it).
func (o *ops) fleet() (replica, leader string, show bool) {
	if o.el == nil {
		return "", "", false
	}
	leader = o.el.Leader()
	return o.cfg.ReplicaID, leader, o.cfg.ReplicaIDSet || leader != o.cfg.ReplicaID
}

// role is /readyz's account of the replica's role.
func (o *ops) role() httpserver.Role {
	r := httpserver.Role{Replica: o.cfg.ReplicaID}
	if o.el != nil {
		r.Leader, r.Leading = o.el.Leader(), o.el.Leading()
	}
	return r
}

// client is the HTTP client a platform's API calls go through: counted in
// the metrics.
func (o *ops) client(p domain.Platform, timeout time.Duration, idlePerHost int) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = idlePerHost
	return &http.Client{Timeout: timeout, Transport: o.metrics.Transport(p, tr)}
}

// newServer creates the server, when HTTP_ADDR is set, with its checks of
// the database and the feed poller; the platforms add theirs.
func (o *ops) newServer(db *store.DB) {
	if o.cfg.HTTPAddr == "" {
		return
	}
	o.srv = httpserver.New(o.log.With("part", "http"), o.metrics.Handler())
	o.srv.AddCheck("database", db.Ping)
	o.srv.SetRole(o.role)
	if !o.cfg.NoPoll {
		// Only the leader polls: a follower's feed is never late.
		o.srv.AddCheck("feed", func(context.Context) error {
			if !o.isLeader() {
				return nil
			}
			return o.feed.check(time.Now(), o.cfg.PollInterval)
		})
	}
}

// listen binds HTTP_ADDR, so a port in use stops the start in one line.
func (o *ops) listen() error {
	if o.srv == nil {
		return nil
	}
	return o.srv.Listen(o.cfg.HTTPAddr)
}

// handle mounts a route; nothing when the server is off.
func (o *ops) handle(pattern string, h http.Handler) {
	if o.srv != nil {
		o.srv.Handle(pattern, h)
	}
}

// ready adds a platform's readiness check.
func (o *ops) ready(name string, check func() error) {
	if o.srv != nil {
		o.srv.AddCheck(name, func(context.Context) error { return check() })
	}
}

// serve runs the server until ctx ends; the returned wait blocks until it
// has stopped (within httpserver.ShutdownTimeout of the end of ctx).
func (o *ops) serve(ctx context.Context) (wait func()) {
	if o.srv == nil {
		return func() {}
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		o.log.Info("http: serving", "addr", o.srv.Addr())
		if err := o.srv.Serve(ctx); err != nil {
			o.log.Error("http: server stopped", "err", err)
		}
	}()
	return func() { <-done }
}

// feedWatch follows the poller for readiness: it is late when no poll ended
// within twice the wait it chose after the last one (the interval, or a
// back-off), plus pollSlack for the poll itself.
type feedWatch struct {
	mu      sync.Mutex
	started time.Time
	last    time.Time     // when the last poll ended; zero before the first
	next    time.Duration // the wait the poller chose then
}

// restart counts from now, as at a start: for a replica that has just
// begun to lead, so polls it made when it led before do not count.
func (f *feedWatch) restart(now time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.started, f.last, f.next = now, time.Time{}, 0
}

func (f *feedWatch) polled(at time.Time, next time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.last, f.next = at, next
}

// check reports the poller late at now; before the first poll ends, it has
// twice interval from the start.
func (f *feedWatch) check(now time.Time, interval time.Duration) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.last.IsZero() {
		if age, want := now.Sub(f.started), 2*interval+pollSlack; age > want {
			return fmt.Errorf("no feed poll finished since the start %s ago, want within %s", age.Round(time.Second), want)
		}
		return nil
	}
	if age, want := now.Sub(f.last), 2*f.next+pollSlack; age > want {
		return fmt.Errorf("last feed poll %s ago, want within %s", age.Round(time.Second), want)
	}
	return nil
}

// pollSlack is what a poll itself may take on top of the wait before it:
// the feed is 16 MB, and its download and parse take seconds, more on a
// slow link or a busy machine.
const pollSlack = time.Minute
