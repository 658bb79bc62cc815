// Package memnet is an in-memory network for tests: a net.Listener whose
// Dial hands out connected pairs of in-process connections. It lets a fake
// server and the client under test run together inside a testing/synctest
// bubble, where loopback sockets cannot be used (a goroutine blocked on
// socket I/O is not durably blocked, so the bubble's clock would stand
// still). Everything here blocks only on channels and timers, which are
// durably blocking when created inside the bubble.
//
// Unlike net.Pipe, a write never waits for the peer to read (data is
// buffered, as in a TCP socket's send buffer), so two peers that both write
// before reading do not deadlock. Read and write deadlines are honoured,
// also when changed while a Read is blocked. A listener can add latency to
// what is written on its connections from then on (see SetLatency).
package memnet

import (
	"context"
	"errors"
	"io"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// Listener accepts the connections made with its Dial method.
type Listener struct {
	addr    Addr
	conns   chan net.Conn
	closed  chan struct{}
	once    sync.Once
	latency atomic.Int64 // nanoseconds
}

// Listen returns a listener whose address is name (e.g. "discord.test",
// so that a server on it has the URL http://discord.test).
func Listen(name string) *Listener {
	return &Listener{addr: Addr(name), conns: make(chan net.Conn), closed: make(chan struct{})}
}

// Accept waits for the next connection.
func (l *Listener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.closed:
		return nil, net.ErrClosed
	}
}

// Close stops accepting; connections already made stay open.
func (l *Listener) Close() error {
	l.once.Do(func() { close(l.closed) })
	return nil
}

// Addr is the listener's address.
func (l *Listener) Addr() net.Addr { return l.addr }

// SetLatency makes what is written from now on, in either direction on
// every connection of l, readable by the peer only d later (0 = at once).
// Order is kept: data never overtakes data written before it.
func (l *Listener) SetLatency(d time.Duration) { l.latency.Store(int64(d)) }

// Dial connects to the listener whatever network and address say, for use
// as http.Transport.DialContext or a websocket dialer's NetDialContext.
func (l *Listener) Dial(ctx context.Context, network, address string) (net.Conn, error) {
	client, server := pair(Addr("client"), l.addr, &l.latency)
	select {
	case l.conns <- server:
		return client, nil
	case <-l.closed:
		return nil, &net.OpError{Op: "dial", Net: network, Addr: l.addr, Err: errors.New("connection refused")}
	case <-ctx.Done():
		return nil, &net.OpError{Op: "dial", Net: network, Addr: l.addr, Err: ctx.Err()}
	}
}

// Addr is an in-memory address.
type Addr string

// Network is "memnet".
func (Addr) Network() string { return "memnet" }

func (a Addr) String() string { return string(a) }

// Pair returns the two ends of a new connection: what one writes, the
// other reads.
func Pair(a, b Addr) (net.Conn, net.Conn) { return pair(a, b, new(atomic.Int64)) }

func pair(a, b Addr, latency *atomic.Int64) (net.Conn, net.Conn) {
	ab, ba := newStream(latency), newStream(latency)
	return &conn{in: ba, out: ab, local: a, remote: b}, &conn{in: ab, out: ba, local: b, remote: a}
}

// stream is one direction of a connection.
type stream struct {
	latency  *atomic.Int64
	mu       sync.Mutex
	chunks   []chunk       // written, not yet read
	eof      bool          // the writer closed: EOF once chunks are drained
	gone     bool          // the reader closed: writes fail
	changed  chan struct{} // closed and replaced on every change
	deadline time.Time     // read deadline
}

// chunk is one write, readable from at on.
type chunk struct {
	b  []byte
	at time.Time
}

func newStream(latency *atomic.Int64) *stream {
	return &stream{latency: latency, changed: make(chan struct{})}
}

// notifyLocked wakes readers. Call with s.mu held.
func (s *stream) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

type conn struct {
	in, out       *stream
	local, remote Addr

	mu            sync.Mutex
	closed        bool
	writeDeadline time.Time
}

func (c *conn) isClosed() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closed
}

func (c *conn) Read(p []byte) (int, error) {
	s := c.in
	for {
		if c.isClosed() {
			return 0, net.ErrClosed
		}
		s.mu.Lock()
		now := time.Now()
		n := 0
		for n < len(p) && len(s.chunks) > 0 && !s.chunks[0].at.After(now) {
			k := copy(p[n:], s.chunks[0].b)
			n += k
			if s.chunks[0].b = s.chunks[0].b[k:]; len(s.chunks[0].b) == 0 {
				s.chunks = s.chunks[1:]
			}
		}
		if n > 0 || len(p) == 0 {
			s.mu.Unlock()
			return n, nil
		}
		if len(s.chunks) == 0 && s.eof {
			s.mu.Unlock()
			return 0, io.EOF
		}
		// Wait for a change, the next chunk's time or the deadline.
		var wake time.Time
		if len(s.chunks) > 0 {
			wake = s.chunks[0].at
		}
		deadline, changed := s.deadline, s.changed
		s.mu.Unlock()
		if !deadline.IsZero() {
			if !now.Before(deadline) {
				return 0, os.ErrDeadlineExceeded
			}
			if wake.IsZero() || deadline.Before(wake) {
				wake = deadline
			}
		}
		if wake.IsZero() {
			<-changed
			continue
		}
		t := time.NewTimer(wake.Sub(now))
		select {
		case <-changed:
		case <-t.C:
		}
		t.Stop()
	}
}

func (c *conn) Write(p []byte) (int, error) {
	c.mu.Lock()
	closed, deadline := c.closed, c.writeDeadline
	c.mu.Unlock()
	if closed {
		return 0, net.ErrClosed
	}
	if !deadline.IsZero() && !time.Now().Before(deadline) {
		return 0, os.ErrDeadlineExceeded
	}
	s := c.out
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.gone || s.eof {
		return 0, io.ErrClosedPipe
	}
	s.chunks = append(s.chunks, chunk{b: append([]byte(nil), p...), at: time.Now().Add(time.Duration(s.latency.Load()))})
	s.notifyLocked()
	return len(p), nil
}

// Close ends both directions: the peer reads EOF after what was written,
// and its writes fail.
func (c *conn) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return net.ErrClosed
	}
	c.closed = true
	c.mu.Unlock()
	c.out.mu.Lock()
	c.out.eof = true
	c.out.notifyLocked()
	c.out.mu.Unlock()
	c.in.mu.Lock()
	c.in.gone = true
	c.in.chunks = nil
	c.in.notifyLocked() // wakes our own blocked Read
	c.in.mu.Unlock()
	return nil
}

func (c *conn) LocalAddr() net.Addr  { return c.local }
func (c *conn) RemoteAddr() net.Addr { return c.remote }

func (c *conn) SetDeadline(t time.Time) error {
	c.SetReadDeadline(t)
	return c.SetWriteDeadline(t)
}

func (c *conn) SetReadDeadline(t time.Time) error {
	c.in.mu.Lock()
	c.in.deadline = t
	c.in.notifyLocked()
	c.in.mu.Unlock()
	return nil
}

func (c *conn) SetWriteDeadline(t time.Time) error {
	c.mu.Lock()
	c.writeDeadline = t
	c.mu.Unlock()
	return nil
}
