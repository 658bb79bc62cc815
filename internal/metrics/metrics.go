// Package metrics is the bot's Prometheus instrumentation, on a registry
// the caller passes in (no package globals): answers by platform, command
// and outcome and their latency; requests to the platforms, their 429s and
// errors; posts sent; the outbox's backlog; the feed poller's last success;
// the latest draw; whether this replica leads; and the Go runtime.
//
// Every method is safe on a nil *Metrics (it does nothing), so code can be
// wired without metrics.
package metrics

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/eebot/eebot/internal/broadcast"
	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/reply"
)

// Source is what the scrape-time gauges read from the store.
type Source interface {
	// OutboxBacklog is the posts not yet sent (pending or being sent) and
	// when the oldest of them was queued (zero when none).
	OutboxBacklog(ctx context.Context) (pending int, oldest time.Time, err error)
	// LatestDrawNumber is the number of the newest stored draw (0 when
	// none).
	LatestDrawNumber(ctx context.Context) (int, error)
}

// Metrics holds the bot's collectors.
type Metrics struct {
	reg prometheus.Gatherer

	commands     *prometheus.CounterVec
	replySeconds *prometheus.HistogramVec
	requests     *prometheus.CounterVec
	rateLimited  *prometheus.CounterVec
	errors       *prometheus.CounterVec
	postsSent    *prometheus.CounterVec
	postFailures *prometheus.CounterVec
	lastPoll     prometheus.Gauge
	leader       prometheus.Gauge
}

// scrapeTimeout bounds the store queries of one scrape.
const scrapeTimeout = 2 * time.Second

// New registers the bot's collectors, the Go runtime's and the process's on
// reg; src (may be nil) feeds the outbox and latest-draw gauges.
func New(reg *prometheus.Registry, src Source) *Metrics {
	m := &Metrics{
		reg: reg,
		commands: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "eebot_commands_total",
			Help: "Answers given, by platform, command (its key; unknown for names the bot does not know) and outcome (ok, not_found, invalid, help, internal).",
		}, []string{"platform", "command", "outcome"}),
		replySeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "eebot_reply_seconds",
			Help:    "Time the engine took to build an answer, by platform.",
			Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"platform"}),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "eebot_platform_requests_total",
			Help: "HTTP requests made to a platform's API (Discord REST, Telegram Bot API).",
		}, []string{"platform"}),
		rateLimited: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "eebot_platform_rate_limited_total",
			Help: "Platform API requests answered 429 Too Many Requests.",
		}, []string{"platform"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "eebot_platform_errors_total",
			Help: "Platform API requests that failed: kind network (no HTTP answer), server (5xx) or client (4xx other than 429).",
		}, []string{"platform", "kind"}),
		postsSent: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "eebot_posts_sent_total",
			Help: "New-draw posts the platform accepted.",
		}, []string{"platform"}),
		postFailures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "eebot_post_failures_total",
			Help: "Post attempts that did not deliver, by outcome (transient, rate_limited, gone, moved).",
		}, []string{"platform", "outcome"}),
		lastPoll: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "eebot_feed_last_success_timestamp_seconds",
			Help: "Unix time of the last successful poll of IRCC's feed (0: none since start and none stored).",
		}),
		leader: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "eebot_leader",
			Help: "1 while this replica leads the fleet (polls the feed, runs periodic work), else 0.",
		}),
	}
	reg.MustRegister(m.commands, m.replySeconds, m.requests, m.rateLimited, m.errors, m.postsSent, m.postFailures,
		m.lastPoll, m.leader,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if src != nil {
		reg.MustRegister(newStoreCollector(src))
	}
	return m
}

// Handler serves the registry in Prometheus' text format.
func (m *Metrics) Handler() http.Handler {
	if m == nil {
		return http.NotFoundHandler()
	}
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// Command counts one answer; it has commands.Observer's signature.
func (m *Metrics) Command(platform, command, outcome string, took time.Duration) {
	if m == nil {
		return
	}
	m.commands.WithLabelValues(platform, command, outcome).Inc()
	m.replySeconds.WithLabelValues(platform).Observe(took.Seconds())
}

// Polled records a feed poll; only a successful one moves the gauge.
func (m *Metrics) Polled(at time.Time, err error) {
	if m == nil || err != nil {
		return
	}
	m.lastPoll.Set(float64(at.UnixNano()) / 1e9)
}

// SetLeader records whether this replica leads; it has the signature of
// leader.Elector's OnChange.
func (m *Metrics) SetLeader(leading bool) {
	if m == nil {
		return
	}
	v := 0.0
	if leading {
		v = 1
	}
	m.leader.Set(v)
}

// Transport counts the requests next makes to platform's API.
func (m *Metrics) Transport(platform domain.Platform, next http.RoundTripper) http.RoundTripper {
	if next == nil {
		next = http.DefaultTransport
	}
	if m == nil {
		return next
	}
	// Shown from the start, at 0: a rate of nothing is still a rate.
	m.requests.WithLabelValues(string(platform))
	m.rateLimited.WithLabelValues(string(platform))
	return &transport{m: m, platform: string(platform), next: next}
}

type transport struct {
	m        *Metrics
	platform string
	next     http.RoundTripper
}

func (t *transport) RoundTrip(r *http.Request) (*http.Response, error) {
	t.m.requests.WithLabelValues(t.platform).Inc()
	resp, err := t.next.RoundTrip(r)
	switch {
	case err != nil:
		// A stop aborting a long poll is not the platform failing.
		if !errors.Is(err, context.Canceled) {
			t.m.errors.WithLabelValues(t.platform, "network").Inc()
		}
	case resp.StatusCode == http.StatusTooManyRequests:
		t.m.rateLimited.WithLabelValues(t.platform).Inc()
	case resp.StatusCode >= 500:
		t.m.errors.WithLabelValues(t.platform, "server").Inc()
	case resp.StatusCode >= 400:
		t.m.errors.WithLabelValues(t.platform, "client").Inc()
	}
	return resp, err
}

// Poster counts what became of the posts p sends for platform.
func (m *Metrics) Poster(platform domain.Platform, p broadcast.Poster) broadcast.Poster {
	if m == nil {
		return p
	}
	m.postsSent.WithLabelValues(string(platform))
	return &poster{m: m, platform: string(platform), next: p}
}

type poster struct {
	m        *Metrics
	platform string
	next     broadcast.Poster
}

func (p *poster) Post(ctx context.Context, destination string, r reply.Reply, mention, nonce string) broadcast.Outcome {
	o := p.next.Post(ctx, destination, r, mention, nonce)
	switch o.Kind {
	case broadcast.Delivered:
		p.m.postsSent.WithLabelValues(p.platform).Inc()
	case broadcast.RateLimited:
		p.m.postFailures.WithLabelValues(p.platform, "rate_limited").Inc()
	case broadcast.Gone:
		p.m.postFailures.WithLabelValues(p.platform, "gone").Inc()
	case broadcast.Moved:
		p.m.postFailures.WithLabelValues(p.platform, "moved").Inc()
	default:
		p.m.postFailures.WithLabelValues(p.platform, "transient").Inc()
	}
	return o
}

// storeCollector reads the outbox backlog and the latest draw at scrape
// time, so the numbers are the database's, whoever wrote them.
type storeCollector struct {
	src                  Source
	pending, age, latest *prometheus.Desc
}

func newStoreCollector(src Source) *storeCollector {
	return &storeCollector{src: src,
		pending: prometheus.NewDesc("eebot_outbox_pending", "Posts in the outbox not sent yet (pending or being sent).", nil, nil),
		age:     prometheus.NewDesc("eebot_outbox_oldest_pending_age_seconds", "Age of the oldest post not sent yet (0 when none).", nil, nil),
		latest:  prometheus.NewDesc("eebot_latest_draw_number", "Number of the newest stored Express Entry draw.", nil, nil),
	}
}

func (c *storeCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.pending
	ch <- c.age
	ch <- c.latest
}

func (c *storeCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	if n, oldest, err := c.src.OutboxBacklog(ctx); err != nil {
		ch <- prometheus.NewInvalidMetric(c.pending, err)
	} else {
		age := 0.0
		if !oldest.IsZero() {
			age = max(time.Since(oldest).Seconds(), 0)
		}
		ch <- prometheus.MustNewConstMetric(c.pending, prometheus.GaugeValue, float64(n))
		ch <- prometheus.MustNewConstMetric(c.age, prometheus.GaugeValue, age)
	}
	if n, err := c.src.LatestDrawNumber(ctx); err != nil {
		ch <- prometheus.NewInvalidMetric(c.latest, err)
	} else {
		ch <- prometheus.MustNewConstMetric(c.latest, prometheus.GaugeValue, float64(n))
	}
}
