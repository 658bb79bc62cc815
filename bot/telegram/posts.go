package telegram

import (
	"context"
	"errors"
	"sync"
	"time"
)

// errStopping fails a post refused or withdrawn because Run is stopping;
// the sender keeps it in the outbox for the next start.
var errStopping = errors.New("telegram: stopping; post not sent")

// posts follows the broadcast posts in the send queue, so that a stop can
// withdraw those not started and bound the wait for the others (they sit
// behind users' answers, which go first).
type posts struct {
	mu       sync.Mutex
	stopping bool
	live     map[*job]context.CancelFunc
	idle     chan struct{} // closed when live empties; nil unless waited on
}

// open accepts posts again, at the start of a Run.
func (p *posts) open() {
	p.mu.Lock()
	p.stopping = false
	p.mu.Unlock()
}

// add queues j, a post, unless a stop began. j's calls end with the
// returned context, which a stop cancels after its grace; call release
// once j is done.
func (p *posts) add(ctx context.Context, q *queue, j *job) (pctx context.Context, release func(), err error) {
	pctx, cancel := context.WithCancel(ctx)
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stopping {
		cancel()
		return nil, nil, errStopping
	}
	if p.live == nil {
		p.live = map[*job]context.CancelFunc{}
	}
	p.live[j] = cancel
	j.ctx = pctx
	q.add(j) // under p.mu: stop cannot slip between the check and the add
	return pctx, func() { p.remove(j) }, nil
}

func (p *posts) remove(j *job) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if cancel, ok := p.live[j]; ok {
		cancel()
		delete(p.live, j)
	}
	if len(p.live) == 0 && p.idle != nil {
		close(p.idle)
		p.idle = nil
	}
}

// stop refuses new posts and withdraws those not started.
func (p *posts) stop(q *queue) {
	p.mu.Lock()
	p.stopping = true
	p.mu.Unlock()
	q.withdraw(errStopping)
}

// wait waits up to d for the posts being sent, then aborts their calls.
func (p *posts) wait(d time.Duration) {
	p.mu.Lock()
	if len(p.live) == 0 {
		p.mu.Unlock()
		return
	}
	if p.idle == nil {
		p.idle = make(chan struct{})
	}
	idle := p.idle
	p.mu.Unlock()
	t := time.NewTimer(max(d, 0))
	defer t.Stop()
	select {
	case <-idle:
	case <-t.C:
		p.mu.Lock()
		for _, cancel := range p.live {
			cancel()
		}
		p.mu.Unlock()
	}
}
