package commands

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/eebot/eebot/internal/chart"
	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/reply"
)

// chartState is the engine's memory of charts: the pictures by chart and
// data version (a render costs ~10 ms), and whole answers by request and a
// token of the draws they read, so a repeat reads neither the draws nor
// the picture again.
type chartState struct {
	images *chart.Cache

	mu      sync.Mutex
	replies map[string]reply.Reply
}

func newChartState() chartState { return chartState{images: chart.NewCache(chartCacheSize)} }

// maxChartReplies bounds the remembered answers; past it they are all
// forgotten (each is a few lines of text and a picture of ~60 KB, so a
// few MB at most).
const maxChartReplies = 64

// chartKey names an answer: the request as read, its language, the day
// (relative periods move with it), the data's "as of" date and the
// version of the draws (the pool's snapshots ride on them), taken before
// the draws are read; "" when the store gives no version.
func (e *Engine) chartKey(ctx context.Context, lang, what string, keys []domain.Key, per, asOf string) string {
	v, ok := e.store.(drawsVersioner)
	if !ok {
		return ""
	}
	token := strconv.FormatUint(v.DrawsVersion(ctx), 10)
	ks := make([]string, len(keys))
	for i, k := range keys {
		ks[i] = string(k)
	}
	return strings.Join([]string{lang, what, strings.Join(ks, ","), per, e.now().UTC().Format(time.DateOnly), asOf, token}, "\x00")
}

func (e *Engine) cachedChart(key string) (reply.Reply, bool) {
	if key == "" {
		return reply.Reply{}, false
	}
	e.charts.mu.Lock()
	defer e.charts.mu.Unlock()
	r, ok := e.charts.replies[key]
	r.Lines = slices.Clone(r.Lines) // the caller's to change
	return r, ok
}

func (e *Engine) keepChart(key string, r reply.Reply) {
	if key == "" {
		return
	}
	e.charts.mu.Lock()
	defer e.charts.mu.Unlock()
	if e.charts.replies == nil || len(e.charts.replies) >= maxChartReplies {
		e.charts.replies = map[string]reply.Reply{}
	}
	r.Lines = slices.Clone(r.Lines)
	e.charts.replies[key] = r
}
