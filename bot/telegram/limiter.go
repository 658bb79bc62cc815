package telegram

import "time"

// bucket is a token bucket kept as a GCRA "theoretical arrival time" (tat):
// one message costs interval and up to burst may go at once. Unlike
// rate.Limiter, a bucket says when it will next allow a message without
// taking a token, which the queue needs to pick a chat that can send now.
//
// slack keeps the schedule when the sender is a little late (Go timers can
// fire a millisecond late, which at scaled-up rates is most of an
// interval): a message taken up to slack after its slot keeps the slot, so
// the next one is not pushed back. After a longer pause the schedule
// restarts from now, so slack never allows a burst.
type bucket struct {
	interval time.Duration
	tau      time.Duration // (burst-1)·interval
	slack    time.Duration
	tat      time.Time
}

func newBucket(perSecond float64, burst int, slack time.Duration) *bucket {
	iv := time.Duration(float64(time.Second) / perSecond)
	return &bucket{interval: iv, tau: time.Duration(burst-1) * iv, slack: slack}
}

// readyAt is the earliest time the bucket allows one message.
func (b *bucket) readyAt() time.Time { return b.tat.Add(-b.tau) }

// take spends one message at t (which must be ≥ readyAt).
func (b *bucket) take(t time.Time) {
	if t.Sub(b.tat) > b.slack {
		b.tat = t
	}
	b.tat = b.tat.Add(b.interval)
}

// idle reports whether the bucket is full again at t, so it can be dropped.
func (b *bucket) idle(t time.Time) bool { return !b.tat.After(t) }
