// Package poll keeps the draws fresh from IRCC's rounds feed: a conditional
// GET on a schedule, strict validation, and one transaction that stores new
// draws together with the posts they cause.
package poll

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"
	_ "time/tzdata" // America/Toronto on machines without a zone database

	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/ircc"
)

// Meta keys only the poller uses; the freshness ones are in domain.
const (
	metaETag         = "feed_etag"
	metaLastModified = "feed_last_modified"
	metaSHA          = "feed_sha256"
)

// DefaultUserAgent is the User-Agent a Poller sends unless told otherwise.
const DefaultUserAgent = "eebot (Express Entry chat bot; polls every few minutes)"

// maxFeed bounds a download; the real feed is under 1 MB.
const maxFeed = 16 << 20

// Store is what the poller needs from the store.
type Store interface {
	Draws(ctx context.Context, f domain.DrawFilter) ([]domain.Draw, error)
	ApplyDraws(ctx context.Context, draws []domain.Draw, src domain.Origin, notifySince string) (domain.SaveResult, error)
	GetMeta(ctx context.Context, key string) (string, error)
	SetMeta(ctx context.Context, key, value string) error
}

// Poller fetches the feed on a schedule.
type Poller struct {
	URL    string
	Client *http.Client
	// UserAgent is sent with each request; "" sends DefaultUserAgent. A
	// replica of a fleet names itself in it, so IRCC's logs (and a test's
	// fake) can tell which replica polled.
	UserAgent string
	Store     Store
	Log       *slog.Logger
	Now       func() time.Time
	Business  time.Duration // interval in Toronto business hours on weekdays
	OffHours  time.Duration // interval otherwise
	// NotifyWindow: new draws dated within this long before now are posted
	// to subscribers; older ones (a long outage, a first run) are stored quietly.
	NotifyWindow time.Duration
	// OnChange is called after new or corrected draws were stored.
	OnChange func(domain.SaveResult)
	// OnPoll is called by Run after each poll, with when it ended, its
	// error (nil: the feed was read, changed or not) and the wait before
	// the next one: readiness and metrics watch the poller with it.
	OnPoll func(at time.Time, err error, next time.Duration)
	// MaxBackoff caps the wait between polls of a feed that keeps being
	// rejected; 0 means an hour (never less than the normal interval).
	MaxBackoff time.Duration

	// The last body rejected, by its SHA-256, and why: the same bytes again
	// (a server that sends no ETag or Last-Modified) are rejected without
	// being parsed again. Kept in memory, so a restart, perhaps with a fixed
	// parser, looks at them afresh.
	mu          sync.Mutex
	rejectedSum [sha256.Size]byte
	rejectedWhy string
}

// Result is what one poll did.
type Result struct {
	NotModified bool
	Saved       domain.SaveResult
}

// Rejected is a feed that parsed or downloaded but failed validation; the
// stored data is unchanged.
type Rejected struct {
	Reason string
	// clock: the verdict depends on the time (a draw dated in the future),
	// so the same bytes are judged again at the next poll.
	clock bool
}

func (r *Rejected) Error() string { return "feed rejected: " + r.Reason }

func (p *Poller) now() time.Time {
	if p.Now != nil {
		return p.Now()
	}
	return time.Now()
}

// Run polls until ctx is cancelled. A failed fetch (no network, an HTTP
// error) is retried sooner than usual: 30 s, doubling, up to the normal
// interval. A rejected feed is polled later instead: the normal interval,
// doubling, up to MaxBackoff, since IRCC will not fix it in seconds and each
// poll may download 16 MB. Either way one line is logged per step: once the
// wait stops growing, repeats are logged at debug level.
func (p *Poller) Run(ctx context.Context) error {
	fails, rejected := 0, 0
	var step time.Duration // the wait last logged at warning level
	for {
		_, err := p.Once(ctx)
		if ctx.Err() != nil {
			return nil
		}
		wait := p.interval(p.now())
		var rej *Rejected
		switch {
		case err == nil:
			if fails > 0 {
				p.Log.Info("feed poll recovered", "after_failures", fails)
			}
			fails, rejected, step = 0, 0, 0
		case errors.As(err, &rej):
			fails++
			rejected++
			wait = min(wait<<min(rejected-1, 16), max(p.maxBackoff(), wait))
		default:
			fails++
			rejected = 0
			wait = min(30*time.Second<<min(fails-1, 10), wait)
		}
		if p.OnPoll != nil {
			p.OnPoll(p.now(), err, wait)
		}
		if err != nil {
			level := slog.LevelWarn
			if wait == step {
				level = slog.LevelDebug
			}
			step = wait
			p.Log.Log(ctx, level, "feed poll failed; keeping the data we have", "err", err, "retry_in", wait, "failures", fails)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
	}
}

// interval is the poll interval at t: short on Toronto weekdays 08:00-18:00.
func (p *Poller) interval(t time.Time) time.Duration {
	loc, err := time.LoadLocation("America/Toronto")
	if err != nil {
		return p.OffHours
	}
	lt := t.In(loc)
	if lt.Weekday() != time.Saturday && lt.Weekday() != time.Sunday && lt.Hour() >= 8 && lt.Hour() < 18 {
		return p.Business
	}
	return p.OffHours
}

// Once fetches the feed once and stores what changed.
func (p *Poller) Once(ctx context.Context) (Result, error) {
	body, validators, notModified, err := p.fetch(ctx)
	if err != nil {
		return Result{}, err
	}
	checked := p.now().UTC().Format(time.RFC3339)
	if notModified {
		return Result{NotModified: true}, p.Store.SetMeta(ctx, domain.MetaLastChecked, checked)
	}
	sum := sha256.Sum256(body)
	if prev, err := p.Store.GetMeta(ctx, metaSHA); err == nil && prev == hex.EncodeToString(sum[:]) {
		return Result{NotModified: true}, p.Store.SetMeta(ctx, domain.MetaLastChecked, checked)
	}
	if why, ok := p.rejectedBefore(sum); ok {
		return Result{}, &Rejected{Reason: why + " (the same feed as before; not parsed again)"}
	}
	draws, warns, err := ircc.ParseReport(body)
	if err != nil {
		err = &Rejected{Reason: err.Error()}
	} else {
		err = p.validate(ctx, draws)
	}
	var rej *Rejected
	if errors.As(err, &rej) {
		if !rej.clock {
			p.rememberRejected(sum, rej.Reason)
		}
		// Not worth downloading again until IRCC changes it.
		return Result{}, errors.Join(err, p.saveMeta(ctx, validators))
	}
	if err != nil {
		return Result{}, err
	}
	since := p.now().Add(-p.window()).UTC().Format("2006-01-02")
	res, err := p.Store.ApplyDraws(ctx, draws, domain.OriginFeed, since)
	if err != nil {
		return Result{}, err
	}
	for _, d := range res.Added {
		p.Log.Info("new draw", "draw", d.Number, "date", d.Date, "category", d.Category, "crs", d.CRS, "invitations", d.Size)
		if d.Type == domain.TypeUnmapped {
			p.Log.Warn("new draw name matches no category rule; kept as unmapped", "draw", d.Number, "name", d.Name)
		}
	}
	p.logOddities(ctx, warns, res)
	for _, c := range res.Updated {
		p.Log.Warn("IRCC changed a published draw", "draw", c.New.Number, "crs", fmt.Sprintf("%d→%d", c.Old.CRS, c.New.CRS),
			"invitations", fmt.Sprintf("%d→%d", c.Old.Size, c.New.Size), "date", fmt.Sprintf("%s→%s", c.Old.Date, c.New.Date),
			"was", c.Old.Origin, "material", c.Material())
	}
	// What is stored changed: earlier verdicts on other bodies may not hold.
	p.rememberRejected([sha256.Size]byte{}, "")
	// Validators and the hash are recorded only once the draws are stored,
	// so a crash in between means the next poll downloads the feed again.
	validators[metaSHA] = hex.EncodeToString(sum[:])
	validators[domain.MetaLastChecked] = checked
	if err := p.saveMeta(ctx, validators); err != nil {
		return Result{}, err
	}
	if len(res.Added)+len(res.Updated) > 0 {
		if err := p.Store.SetMeta(ctx, domain.MetaLastChanged, checked); err != nil {
			return Result{}, err
		}
		if p.OnChange != nil {
			p.OnChange(res)
		}
	}
	return Result{Saved: res}, nil
}

// logOddities logs what the parser found odd in the feed's rows (a drawDate
// that is no date, read from drawDateFull instead; a time it could not
// read): at warning level for the rows this poll stored or changed, so a
// person checks them; at debug level for rows already known, whose
// oddities would otherwise repeat with every change of the feed.
func (p *Poller) logOddities(ctx context.Context, warns []ircc.Warning, res domain.SaveResult) {
	changed := map[string]bool{}
	for _, d := range res.Added {
		changed[d.Number] = true
	}
	for _, c := range res.Updated {
		changed[c.New.Number] = true
	}
	for _, w := range warns {
		level := slog.LevelDebug
		if changed[w.Number] {
			level = slog.LevelWarn
		}
		p.Log.Log(ctx, level, "odd row in the feed; kept", "draw", w.Number, "field", w.Field, "msg", w.Msg)
	}
}

func (p *Poller) rejectedBefore(sum [sha256.Size]byte) (string, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.rejectedWhy, p.rejectedWhy != "" && sum == p.rejectedSum
}

func (p *Poller) rememberRejected(sum [sha256.Size]byte, why string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.rejectedSum, p.rejectedWhy = sum, why
}

func (p *Poller) maxBackoff() time.Duration {
	if p.MaxBackoff > 0 {
		return p.MaxBackoff
	}
	return time.Hour
}

func (p *Poller) window() time.Duration {
	if p.NotifyWindow > 0 {
		return p.NotifyWindow
	}
	return 7 * 24 * time.Hour
}

func (p *Poller) saveMeta(ctx context.Context, kv map[string]string) error {
	var err error
	for k, v := range kv {
		err = errors.Join(err, p.Store.SetMeta(ctx, k, v))
	}
	return err
}

// fetch does a conditional GET and returns the body with the response's
// validators (ETag, Last-Modified) as meta values to save later.
func (p *Poller) fetch(ctx context.Context) ([]byte, map[string]string, bool, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.URL, nil)
	if err != nil {
		return nil, nil, false, err
	}
	if v, _ := p.Store.GetMeta(ctx, metaETag); v != "" {
		req.Header.Set("If-None-Match", v)
	}
	if v, _ := p.Store.GetMeta(ctx, metaLastModified); v != "" {
		req.Header.Set("If-Modified-Since", v)
	}
	req.Header.Set("Accept", "application/json")
	ua := p.UserAgent
	if ua == "" {
		ua = DefaultUserAgent
	}
	req.Header.Set("User-Agent", ua)
	client := p.Client
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, nil, false, err
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotModified:
		return nil, nil, true, nil
	case resp.StatusCode != http.StatusOK:
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return nil, nil, false, fmt.Errorf("feed: HTTP %s", resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxFeed+1))
	if err != nil {
		return nil, nil, false, fmt.Errorf("feed: %w", err)
	}
	if len(body) > maxFeed {
		return nil, nil, false, &Rejected{Reason: fmt.Sprintf("larger than %d bytes", maxFeed)}
	}
	validators := map[string]string{}
	if v := resp.Header.Get("ETag"); v != "" {
		validators[metaETag] = v
	}
	if v := resp.Header.Get("Last-Modified"); v != "" {
		validators[metaLastModified] = v
	}
	return body, validators, false, nil
}

// validate rejects a feed that would lose or falsify data: fewer rounds than
// we hold from IRCC, a known draw missing, or a draw dated in the future.
func (p *Poller) validate(ctx context.Context, draws []domain.Draw) error {
	stored, err := p.Store.Draws(ctx, domain.DrawFilter{})
	if err != nil {
		return err
	}
	have := make(map[string]bool, len(draws))
	for _, d := range draws {
		have[d.Number] = true
	}
	fromIRCC := 0
	for _, d := range stored {
		if d.Origin == domain.OriginModerator {
			continue // a moderator's draw may be ahead of the feed
		}
		fromIRCC++
		if !have[d.Number] {
			return &Rejected{Reason: fmt.Sprintf("known draw #%s is missing", d.Number)}
		}
	}
	if len(draws) < fromIRCC {
		return &Rejected{Reason: fmt.Sprintf("%d rounds, fewer than the %d stored", len(draws), fromIRCC)}
	}
	tomorrow := p.now().Add(36 * time.Hour).UTC().Format("2006-01-02")
	for _, d := range draws {
		if d.Date > tomorrow {
			return &Rejected{Reason: fmt.Sprintf("draw #%s is dated %s, in the future", d.Number, d.Date), clock: true}
		}
	}
	return nil
}
