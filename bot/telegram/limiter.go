package telegram

import "time"

// bucket is a token bucket kept as a GCRA "theoretical arrival time": one
// message costs interval, and up to burst messages may go at once. Unlike
// rate.Limiter it can say when it will next allow a message without taking
// a token, which the queue needs to pick a chat that can send now.
type bucket struct {
	interval time.Duration
	tau      time.Duration // (burst-1)·interval
	tat      time.Time
}

func newBucket(perSecond float64, burst int) *bucket {
	iv := time.Duration(float64(time.Second) / perSecond)
	return &bucket{interval: iv, tau: time.Duration(burst-1) * iv}
}

// readyAt is the earliest time the bucket allows one message.
func (b *bucket) readyAt() time.Time { return b.tat.Add(-b.tau) }

// take spends one message at t (which must be ≥ readyAt).
func (b *bucket) take(t time.Time) {
	if b.tat.Before(t) {
		b.tat = t
	}
	b.tat = b.tat.Add(b.interval)
}

// idle reports whether the bucket is full again at t, so it can be dropped.
func (b *bucket) idle(t time.Time) bool { return !b.tat.After(t) }
