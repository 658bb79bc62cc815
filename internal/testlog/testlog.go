// Package testlog collects a component's log in tests, safely from many
// goroutines, so tests can assert on it (e.g. that no token is logged) and
// wait for a line to appear.
package testlog

import (
	"bytes"
	"context"
	"sync"
)

// Buffer is a bytes.Buffer safe for concurrent writers. The zero value is
// ready to use.
type Buffer struct {
	mu      sync.Mutex
	b       bytes.Buffer
	changed chan struct{} // closed and replaced on every Write; nil until waited on
}

func (s *Buffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.changed != nil {
		close(s.changed)
		s.changed = nil
	}
	return s.b.Write(p)
}

// String returns everything written so far.
func (s *Buffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// Wait blocks until cond, called with everything written so far after
// every write, returns true, or ctx ends (then it returns ctx's error).
func (s *Buffer) Wait(ctx context.Context, cond func(log string) bool) error {
	for {
		s.mu.Lock()
		ok := cond(s.b.String())
		if s.changed == nil {
			s.changed = make(chan struct{})
		}
		ch := s.changed
		s.mu.Unlock()
		if ok {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}
