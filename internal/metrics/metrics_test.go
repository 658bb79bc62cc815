package metrics

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/eebot/eebot/internal/broadcast"
	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/reply"
)

type source struct {
	pending int
	oldest  time.Time
	latest  int
	err     error
}

func (s source) OutboxBacklog(context.Context) (int, time.Time, error) {
	return s.pending, s.oldest, s.err
}
func (s source) LatestDrawNumber(context.Context) (int, error) { return s.latest, s.err }

type fixedPoster broadcast.Kind

func (p fixedPoster) Post(context.Context, string, reply.Reply, string, string) broadcast.Outcome {
	return broadcast.Outcome{Kind: broadcast.Kind(p)}
}

func scrape(t *testing.T, m *Metrics) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	return rec.Body.String()
}

// Every named series shows, with the values recorded, on the registry
// passed in (two Metrics side by side do not mix).
func TestMetrics(t *testing.T) {
	m := New(prometheus.NewRegistry(), source{pending: 3, oldest: time.Now().Add(-90 * time.Second), latest: 437})
	other := New(prometheus.NewRegistry(), nil)
	m.Command("telegram", "cutoff", "ok", 2*time.Millisecond)
	m.Command("discord", "unknown", "help", time.Millisecond)
	m.Polled(time.Unix(1_780_000_000, 0), nil)
	m.Polled(time.Unix(1_790_000_000, 0), errors.New("feed down"))

	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/429":
			w.WriteHeader(http.StatusTooManyRequests)
		case "/500":
			w.WriteHeader(http.StatusBadGateway)
		case "/403":
			w.WriteHeader(http.StatusForbidden)
		}
	}))
	defer api.Close()
	c := &http.Client{Transport: m.Transport(domain.Telegram, nil)}
	for _, p := range []string{"/ok", "/429", "/500", "/403"} {
		resp, err := c.Get(api.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	if _, err := c.Get("http://127.0.0.1:1/"); err == nil {
		t.Fatal("port 1 answered")
	}
	m.Transport(domain.Discord, nil)
	for _, k := range []broadcast.Kind{broadcast.Delivered, broadcast.Delivered, broadcast.Gone, broadcast.RateLimited, broadcast.Transient} {
		m.Poster(domain.Telegram, fixedPoster(k)).Post(context.Background(), "1", reply.Reply{}, "", "")
	}

	if out := scrape(t, m); !strings.Contains(out, "eebot_leader 0\n") {
		t.Error("leads before an election")
	}
	m.SetLeader(true)
	out := scrape(t, m)
	for _, want := range []string{
		`eebot_commands_total{command="cutoff",outcome="ok",platform="telegram"} 1`,
		`eebot_commands_total{command="unknown",outcome="help",platform="discord"} 1`,
		`eebot_reply_seconds_bucket{platform="telegram",le="0.0025"} 1`,
		`eebot_reply_seconds_count{platform="discord"} 1`,
		`eebot_platform_requests_total{platform="telegram"} 5`,
		`eebot_platform_requests_total{platform="discord"} 0`,
		`eebot_platform_rate_limited_total{platform="telegram"} 1`,
		`eebot_platform_errors_total{kind="server",platform="telegram"} 1`,
		`eebot_platform_errors_total{kind="client",platform="telegram"} 1`,
		`eebot_platform_errors_total{kind="network",platform="telegram"} 1`,
		`eebot_posts_sent_total{platform="telegram"} 2`,
		`eebot_post_failures_total{outcome="gone",platform="telegram"} 1`,
		`eebot_post_failures_total{outcome="rate_limited",platform="telegram"} 1`,
		`eebot_post_failures_total{outcome="transient",platform="telegram"} 1`,
		`eebot_outbox_pending 3`,
		`eebot_latest_draw_number 437`,
		`eebot_feed_last_success_timestamp_seconds 1.78e+09`,
		`eebot_leader 1`,
		`go_goroutines`,
		`go_memstats_alloc_bytes`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
	if !strings.Contains(out, "eebot_outbox_oldest_pending_age_seconds 9") {
		t.Errorf("oldest pending age not about 90 s:\n%s", out)
	}
	if o := scrape(t, other); strings.Contains(o, "eebot_commands_total{") || strings.Contains(o, "eebot_outbox_pending") {
		t.Errorf("the second registry shows the first's series:\n%s", o)
	}
	var none *Metrics
	none.Command("x", "y", "z", 0)
	none.Polled(time.Now(), nil)
	if none.Transport(domain.Discord, http.DefaultTransport) != http.DefaultTransport {
		t.Error("a nil Metrics wrapped the transport")
	}
}

// A store that fails makes its gauges fail the scrape, not show zeros.
func TestMetricsStoreFailing(t *testing.T) {
	m := New(prometheus.NewRegistry(), source{err: errors.New("database is closed")})
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusInternalServerError || !strings.Contains(rec.Body.String(), "database is closed") {
		t.Errorf("%d %s", rec.Code, rec.Body.String())
	}
}
