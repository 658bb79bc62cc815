package telegram

import (
	"math"
	"time"
)

// bucket paces one limit the way Telegram counts it: at most n messages in
// any window (30 a second overall, 1 a second per chat, 20 a minute per
// group), widened by a margin for network jitter to span. Two rules
// together:
//
//   - a GCRA "theoretical arrival time" (tat): one message per interval,
//     up to burst at once, which spaces messages evenly. Unlike
//     rate.Limiter, a bucket says when it will next allow a message without
//     taking a token, which the queue needs to pick a chat that can send
//     now. slack keeps the schedule when the sender is a little late (Go
//     timers can fire a millisecond late, which at scaled-up rates is most
//     of an interval): a message taken up to slack after its slot keeps the
//     slot, so the next one is not pushed back, and the rate holds;
//   - the times of the last n messages: the next may go only span after the
//     oldest of them. Catching up after a late message (slack) could
//     otherwise fit n+1 messages in one window, and so could an interval
//     rounded down to whole nanoseconds.
type bucket struct {
	interval time.Duration
	tau      time.Duration // (burst-1)·interval
	slack    time.Duration
	tat      time.Time

	span   time.Duration
	recent []time.Time // the last n messages' times, a ring; recent[next] is the oldest
	next   int
}

// newBucket paces perSecond messages, at most n = perSecond·window in any
// span = window+jitter: the margin absorbs messages that leave on time but
// reach Telegram up to jitter apart from when they left.
func newBucket(perSecond float64, burst int, slack, window, jitter time.Duration) *bucket {
	n := max(1, int(math.Floor(perSecond*window.Seconds()+1e-6)))
	span := window + jitter
	// Rounded up: n intervals never add up to less than a span.
	iv := time.Duration(max(math.Ceil(float64(time.Second)/perSecond), math.Ceil(float64(span)/float64(n))))
	return &bucket{interval: iv, tau: time.Duration(burst-1) * iv, slack: slack, span: span, recent: make([]time.Time, n)}
}

// readyAt is the earliest time the bucket allows one message.
func (b *bucket) readyAt() time.Time {
	t := b.tat.Add(-b.tau)
	if oldest := b.recent[b.next]; !oldest.IsZero() {
		t = latest(t, oldest.Add(b.span))
	}
	return t
}

// take spends one message at t (which must be ≥ readyAt).
func (b *bucket) take(t time.Time) {
	if t.Sub(b.tat) > b.slack {
		b.tat = t
	}
	b.tat = b.tat.Add(b.interval)
	b.recent[b.next] = t
	b.next = (b.next + 1) % len(b.recent)
}

// idle reports whether the bucket is as good as new at t, so it can be
// dropped: full again, and its last message out of the window.
func (b *bucket) idle(t time.Time) bool {
	newest := b.recent[(b.next+len(b.recent)-1)%len(b.recent)]
	return !b.tat.After(t) && !newest.Add(b.span).After(t)
}
