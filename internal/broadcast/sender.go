// Package broadcast drains the outbox: it posts each queued delivery through
// its platform's send path, retries what can be retried and gives up on
// destinations that refuse the bot.
package broadcast

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/reply"
)

// Poster sends one post to a destination on its platform and says what
// became of it. nonce is the same on every retry of a delivery, for
// platforms that can deduplicate with it.
type Poster interface {
	Post(ctx context.Context, destination string, r reply.Reply, mention, nonce string) Outcome
}

// Outbox is the part of the store the sender uses.
type Outbox interface {
	ClaimDeliveries(ctx context.Context, platform domain.Platform, limit int, now time.Time) ([]domain.Delivery, error)
	MarkSent(ctx context.Context, sent ...domain.Sent) error
	MarkRetry(ctx context.Context, d domain.Delivery, notBefore time.Time, reason string) error
	MarkRefused(ctx context.Context, d domain.Delivery, notBefore time.Time, reason string) (dead bool, err error)
	// MarkMaybeSent re-queues a delivery whose attempt may have been
	// delivered; later claims report it with MaybeSent set.
	MarkMaybeSent(ctx context.Context, d domain.Delivery, notBefore time.Time, reason string) error
	// MarkUnsure ends a delivery that may have been delivered: not retried.
	MarkUnsure(ctx context.Context, d domain.Delivery, reason string) error
	MoveDestination(ctx context.Context, platform domain.Platform, from, to string) error
	Release(ctx context.Context, ds []domain.Delivery) error
	RecoverSending(ctx context.Context) (int, error)
	// Queued returns a channel closed once a transaction that queued
	// deliveries has committed. Taken before a claim, it cannot miss a
	// commit made during the claim.
	Queued() <-chan struct{}
}

// Render builds the post for a delivery.
type Render func(ctx context.Context, d domain.Delivery) (reply.Reply, error)

// Sender drains the outbox for a set of platforms.
type Sender struct {
	Outbox   Outbox
	Posters  map[domain.Platform]Poster
	Render   Render
	Log      *slog.Logger
	Workers  int           // concurrent posts per platform; the platform's own queue paces them
	Poll     time.Duration // how often to look for due deliveries (retries, other processes' commits)
	MaxTries int           // transient failures before a delivery is given up
	// Grace is how long posts in flight at shutdown may take to finish
	// before they are abandoned (and re-queued). Default 10 s.
	Grace time.Duration
	Now   func() time.Time

	once      sync.Once
	ambiguous atomic.Int64 // answers that left a post possibly delivered, for the logs

	mu sync.Mutex
	// unrecorded: posts delivered but not recorded when a Run ended (a full
	// disk). The next Run records them before anything else.
	unrecorded []domain.Sent
}

func (s *Sender) init() {
	s.once.Do(func() {
		if s.Workers <= 0 {
			s.Workers = 32
		}
		if s.Poll <= 0 {
			s.Poll = time.Second
		}
		if s.MaxTries <= 0 {
			s.MaxTries = 8
		}
		if s.Grace <= 0 {
			s.Grace = 10 * time.Second
		}
		if s.Now == nil {
			s.Now = time.Now
		}
		if s.Log == nil {
			s.Log = slog.Default()
		}
	})
}

// Run drains the outbox until ctx is cancelled. Posts in flight then get
// Grace to finish, so stop the platforms only after Run returns; claimed
// posts never started go back to the queue, so nothing is lost across a
// restart.
func (s *Sender) Run(ctx context.Context) error {
	s.init()
	// Posts run on their own context: cancelled Grace after ctx, not with it.
	postCtx, cancelPosts := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelPosts()
	go func() {
		select {
		case <-ctx.Done():
			select {
			case <-time.After(s.Grace):
				cancelPosts()
			case <-postCtx.Done():
			}
		case <-postCtx.Done():
		}
	}()
	if !s.recordKept(ctx) {
		return nil // stopped before the disk freed; the marks are still kept
	}
	if n, err := s.Outbox.RecoverSending(context.WithoutCancel(ctx)); err != nil {
		return err
	} else if n > 0 {
		s.Log.Warn("re-queued posts claimed before the last stop", "count", n)
	}
	var wg sync.WaitGroup
	for platform, p := range s.Posters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.drain(ctx, postCtx, platform, p)
		}()
	}
	wg.Wait()
	return nil
}

// drain runs one platform's workers over batches of due deliveries; posts
// and their records use postCtx, which outlives ctx by the grace period.
func (s *Sender) drain(ctx, postCtx context.Context, platform domain.Platform, p Poster) {
	// A buffer of one batch lets the next claim overlap the posting of the
	// last, so the platform's queue never runs dry during a fan-out.
	jobs := make(chan job, s.Workers*4)
	sent := make(chan domain.Sent, s.Workers)
	recorded := make(chan struct{})
	go func() {
		s.record(context.WithoutCancel(ctx), sent)
		close(recorded)
	}()
	// Once stopping, a post not yet started, or one the platform refused
	// because it is stopping too, goes back to the queue as it was: it was
	// never attempted, so it costs no attempt and no back-off.
	var unstarted released
	var wg sync.WaitGroup
	for range s.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				if ctx.Err() != nil {
					unstarted.add(j.d)
					continue
				}
				if !s.deliver(postCtx, platform, p, j, sent, ctx.Err) {
					unstarted.add(j.d)
				}
			}
		}()
	}
	defer func() {
		close(jobs)
		wg.Wait()
		if err := s.Outbox.Release(context.WithoutCancel(ctx), unstarted.ds); err != nil {
			s.Log.Error("outbox release failed", "err", err)
		}
		close(sent)
		<-recorded
	}()
	tick := time.NewTicker(s.Poll)
	defer tick.Stop()
	for {
		queued := s.Outbox.Queued() // taken before the claim, so a commit during it is not missed
		batch, err := s.Outbox.ClaimDeliveries(ctx, platform, s.Workers*4, s.Now())
		if err != nil && ctx.Err() == nil {
			s.Log.Error("outbox claim failed", "platform", platform, "err", err)
		}
		posts := s.render(ctx, batch)
		for i, d := range batch {
			select {
			case jobs <- job{d, posts[postKey(d)]}:
			case <-ctx.Done():
				if err := s.Outbox.Release(context.WithoutCancel(ctx), batch[i:]); err != nil {
					s.Log.Error("outbox release failed", "err", err)
				}
				return
			}
		}
		if len(batch) > 0 {
			continue // more may be due
		}
		select {
		case <-ctx.Done():
			return
		case <-queued:
		case <-tick.C:
		}
	}
}

// job is one delivery with its rendered post (or why it could not be rendered).
type job struct {
	d    domain.Delivery
	post rendered
}

type rendered struct {
	r   reply.Reply
	err error
}

// postKey identifies deliveries that share one post: a fan-out renders it
// once per language, and once more for people's own alerts, whose post
// says how to stop them.
func postKey(d domain.Delivery) string {
	return d.Number + "\x00" + string(d.Kind) + "\x00" + d.Revision + "\x00" + d.Lang + "\x00" + strconv.FormatBool(d.Sub.Personal())
}

// render builds each distinct post of a batch once.
func (s *Sender) render(ctx context.Context, batch []domain.Delivery) map[string]rendered {
	out := map[string]rendered{}
	for _, d := range batch {
		if _, ok := out[postKey(d)]; !ok {
			r, err := s.Render(ctx, d)
			out[postKey(d)] = rendered{r, err}
		}
	}
	return out
}

// released collects the deliveries the workers hand back at a stop.
type released struct {
	mu sync.Mutex
	ds []domain.Delivery
}

func (r *released) add(d domain.Delivery) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ds = append(r.ds, d)
}

// deliver makes one attempt at a delivery and records the outcome. It
// returns false, recording nothing, for a clear failure that came after
// the stop began (stopping says so): the caller hands the delivery back.
func (s *Sender) deliver(ctx context.Context, platform domain.Platform, p Poster, j job, sent chan<- domain.Sent, stopping func() error) bool {
	d := j.d
	dbctx := context.WithoutCancel(ctx) // records are written even after the post was abandoned
	log := s.Log.With("platform", platform, "destination", d.Sub.Destination, "draw", d.Number, "kind", d.Kind, "attempt", d.Attempts)
	if j.post.err != nil {
		log.Error("cannot render post", "err", j.post.err)
		s.retry(dbctx, log, d, s.backoff(d.Attempts), j.post.err)
		return true
	}
	o := p.Post(ctx, d.Sub.Destination, j.post.r, d.Sub.Mention, d.Nonce)
	switch {
	case o.Kind == Delivered:
		sent <- domain.Sent{Delivery: d, MessageID: o.MessageID}
	case o.Kind == RateLimited && o.RetryAfter > 0:
		s.retry(dbctx, log, d, o.RetryAfter, o.reason())
	case o.Kind == Gone:
		dead, err := s.Outbox.MarkRefused(dbctx, d, s.Now().Add(s.backoff(d.Attempts)), o.reason().Error())
		if err != nil {
			log.Error("cannot record refusal", "err", err)
		}
		if dead {
			log.Warn("destination refuses the bot; marked dead", "err", o.reason())
		} else {
			log.Info("destination refused the post; will retry", "err", o.reason())
		}
	case o.Kind == Moved && o.MovedTo != "":
		log.Info("destination moved", "to", o.MovedTo)
		if err := s.Outbox.MoveDestination(dbctx, platform, d.Sub.Destination, o.MovedTo); err != nil {
			log.Error("cannot move destination", "err", err)
		}
		s.retry(dbctx, log, d, 0, o.reason())
	case o.Kind == Ambiguous:
		s.maybeSent(dbctx, log, d, o.reason())
	case o.Kind == Transient && stopping() != nil:
		return false // most likely the platform stopping too: nothing was sent
	default: // Transient, and a rate limit or move that did not say how long or where
		s.retry(dbctx, log, d, s.backoff(d.Attempts), o.reason())
	}
	return true
}

// maybeSent handles an attempt that may have been delivered. The first is
// retried after a back-off, since the platform may really have failed; a
// second one ends the delivery as unsure. So a storm of 5xx answers costs
// at most one duplicate per destination and post, and a lost post only
// when two attempts in a row went unanswered.
func (s *Sender) maybeSent(ctx context.Context, log *slog.Logger, d domain.Delivery, cause error) {
	n := s.ambiguous.Add(1)
	if d.MaybeSent {
		log.Warn("post may have been delivered, again; not retried", "err", cause, "ambiguous_total", n)
		if err := s.Outbox.MarkUnsure(ctx, d, fmt.Sprint(cause)); err != nil {
			log.Error("cannot record unsure post", "err", err)
		}
		return
	}
	wait := s.backoff(d.Attempts)
	log.Warn("post may have been delivered; retrying once", "in", wait, "err", cause, "ambiguous_total", n)
	if err := s.Outbox.MarkMaybeSent(ctx, d, s.Now().Add(wait), fmt.Sprint(cause)); err != nil {
		log.Error("cannot re-queue post", "err", err)
	}
}

func (s *Sender) retry(ctx context.Context, log *slog.Logger, d domain.Delivery, wait time.Duration, cause error) {
	if d.Attempts >= s.MaxTries {
		// Keep it visible rather than retrying forever: a moderator can re-announce.
		wait = 6 * time.Hour
		log.Error("post keeps failing; retrying in 6h", "err", cause)
	} else {
		log.Info("post failed; will retry", "in", wait, "err", cause)
	}
	if err := s.Outbox.MarkRetry(ctx, d, s.Now().Add(wait), fmt.Sprint(cause)); err != nil {
		log.Error("cannot re-queue post", "err", err)
	}
}

// recordEvery bounds how long a sent post waits to be recorded: marks are
// written in batches, one transaction each, so a fan-out is not bound by
// per-post commits. A crash inside this window re-sends those posts.
const recordEvery = 5 * time.Millisecond

// record writes sent marks in batches until sent is closed. A write that
// fails (a full disk) keeps its marks in memory and is retried with a
// back-off: those posts stay claimed in the outbox, so nothing sends them
// again while the process lives, and they are recorded once the disk
// frees. Marks still unwritten Grace after sent closes are kept for the
// next Run.
func (s *Sender) record(ctx context.Context, sent <-chan domain.Sent) {
	r := &recorder{s: s, ctx: ctx, timer: time.NewTimer(recordEvery)}
	r.timer.Stop()
	for {
		select {
		case m, ok := <-sent:
			if !ok {
				r.last()
				return
			}
			r.batch = append(r.batch, m)
			switch {
			case r.failing > 0: // the retry is due already
			case len(r.batch) >= 256:
				r.flush()
			case r.due == nil:
				r.arm(recordEvery)
			}
		case <-r.due:
			r.flush()
		}
	}
}

// recorder is record's state: the marks waiting and the timer that writes
// them (after recordEvery, or a back-off after a failed write). The timer
// runs only while marks wait, so an idle sender never wakes for it; due is
// nil while it is stopped.
type recorder struct {
	s       *Sender
	ctx     context.Context
	batch   []domain.Sent
	failing int // writes failed in a row
	timer   *time.Timer
	due     <-chan time.Time
}

func (r *recorder) arm(d time.Duration) {
	r.timer.Reset(d)
	r.due = r.timer.C
}

// flush writes the batch, or keeps it and arms the retry.
func (r *recorder) flush() {
	r.timer.Stop()
	r.due = nil
	if len(r.batch) == 0 {
		return
	}
	if err := r.s.Outbox.MarkSent(r.ctx, r.batch...); err != nil {
		r.failing++
		wait := recordBackoff(r.failing)
		r.s.Log.Error("posts sent but not recorded; kept in memory, not sent again, retrying", "count", len(r.batch), "in", wait, "err", err)
		r.arm(wait)
		return
	}
	if r.failing > 0 {
		r.s.Log.Info("recorded the posts kept in memory", "count", len(r.batch))
		r.failing = 0
	}
	r.batch = r.batch[:0]
}

// last writes what is left once the posts are done, retrying a failed
// write for up to Grace; what still cannot be written is kept for the next
// Run.
func (r *recorder) last() {
	if r.failing == 0 {
		r.flush()
	}
	giveUp := time.After(r.s.Grace)
	for len(r.batch) > 0 {
		select {
		case <-r.due:
			r.flush()
		case <-giveUp:
			r.timer.Stop()
			r.s.mu.Lock()
			r.s.unrecorded = append(r.s.unrecorded, r.batch...)
			r.s.mu.Unlock()
			r.s.Log.Error("posts sent but not recorded at stop; the next Run records them, a new process would send them again", "count", len(r.batch))
			return
		}
	}
}

// recordKept writes the marks an earlier Run could not, retrying until it
// can or ctx ends; it reports whether none are left. Until then the outbox
// must not be recovered: that would re-queue posts already delivered.
func (s *Sender) recordKept(ctx context.Context) bool {
	s.mu.Lock()
	kept := s.unrecorded
	s.mu.Unlock()
	for failing := 0; len(kept) > 0; {
		err := s.Outbox.MarkSent(context.WithoutCancel(ctx), kept...)
		if err == nil {
			s.Log.Info("recorded the posts kept in memory", "count", len(kept))
			s.mu.Lock()
			s.unrecorded = nil
			s.mu.Unlock()
			break
		}
		failing++
		wait := recordBackoff(failing)
		s.Log.Error("posts sent but not recorded; kept in memory, retrying", "count", len(kept), "in", wait, "err", err)
		select {
		case <-ctx.Done():
			return false
		case <-time.After(wait):
		}
	}
	return true
}

// recordBackoff grows 100ms, 200ms … up to 30 s between failed writes.
func recordBackoff(failures int) time.Duration {
	return min(100*time.Millisecond<<min(failures-1, 9), 30*time.Second)
}

// backoff grows 2s, 4s, 8s … up to 5 minutes.
func (s *Sender) backoff(attempt int) time.Duration {
	d := 2 * time.Second << min(max(attempt-1, 0), 8)
	return min(d, 5*time.Minute)
}
