package discord

import (
	"context"
	"sync"
	"time"
)

// pacer spaces calls evenly at a fixed rate (GCRA without burst): each call
// takes the next free slot, one interval after the previous one. Evenly
// spaced requests never trip a limit of the same rate counted over any
// window, which a burst-then-wait scheme can.
type pacer struct {
	mu       sync.Mutex
	interval time.Duration
	next     time.Time
}

// newPacer returns a pacer for perSecond calls a second: 0 means
// DefaultPostRate, a negative rate means no pacing (nil).
func newPacer(perSecond float64) *pacer {
	if perSecond < 0 {
		return nil
	}
	if perSecond == 0 {
		perSecond = DefaultPostRate
	}
	return &pacer{interval: time.Duration(float64(time.Second) / perSecond)}
}

// wait blocks until the caller's slot, or returns ctx's error (the slot is
// then lost, which only slows others by one interval).
func (p *pacer) wait(ctx context.Context) error {
	if p == nil {
		return ctx.Err()
	}
	p.mu.Lock()
	now := time.Now()
	slot := p.next
	if slot.Before(now) {
		slot = now
	}
	p.next = slot.Add(p.interval)
	p.mu.Unlock()
	d := slot.Sub(now)
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
