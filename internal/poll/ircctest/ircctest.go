// Package ircctest is a fake IRCC rounds-feed server for tests: it serves
// the feed bytes it is given, honours ETag/If-None-Match like canada.ca, and
// builds modified copies of the real snapshot.
package ircctest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Server serves one feed body at a time.
type Server struct {
	*httptest.Server
	mu       sync.Mutex
	body     []byte
	status   int
	changed  chan struct{} // closed and replaced when a request arrives
	Requests atomic.Int64
	NotMod   atomic.Int64 // 304 answers
	fetches  []Fetch
}

// Fetch is one request the server received.
type Fetch struct {
	At        time.Time // when it arrived
	UserAgent string
	Status    int // what the server answered
}

// Fetches returns every request so far, in the order they arrived.
func (s *Server) Fetches() []Fetch {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.fetches)
}

// New starts a server serving body.
func New(body []byte) *Server {
	s := &Server{body: body, status: http.StatusOK, changed: make(chan struct{})}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// Set replaces the served body.
func (s *Server) Set(body []byte) {
	s.mu.Lock()
	s.body, s.status = body, http.StatusOK
	s.mu.Unlock()
}

// Fail makes the server answer with status until Set is called.
func (s *Server) Fail(status int) {
	s.mu.Lock()
	s.status = status
	s.mu.Unlock()
}

// AwaitRequests waits until the server has received n requests in all, or
// ctx ends. A poller polls one request at a time, so once request n+1
// arrives, the poll that made request n has finished.
func (s *Server) AwaitRequests(ctx context.Context, n int64) error {
	for {
		s.mu.Lock()
		ch := s.changed
		s.mu.Unlock()
		if s.Requests.Load() >= n {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return fmt.Errorf("ircctest: %d requests, want %d: %w", s.Requests.Load(), n, ctx.Err())
		}
	}
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.Requests.Add(1)
	close(s.changed)
	s.changed = make(chan struct{})
	body, status := s.body, s.status
	i := len(s.fetches)
	s.fetches = append(s.fetches, Fetch{At: time.Now(), UserAgent: r.Header.Get("User-Agent"), Status: status})
	s.mu.Unlock()
	if status != http.StatusOK {
		http.Error(w, http.StatusText(status), status)
		return
	}
	sum := sha256.Sum256(body)
	etag := `"` + hex.EncodeToString(sum[:8]) + `"`
	w.Header().Set("ETag", etag)
	if r.Header.Get("If-None-Match") == etag {
		s.NotMod.Add(1)
		s.mu.Lock()
		s.fetches[i].Status = http.StatusNotModified
		s.mu.Unlock()
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(body)
}

// Round is one feed row in IRCC's shape (every value a string).
type Round map[string]string

// Rounds decodes a feed.
func Rounds(feed []byte) ([]Round, error) {
	var doc struct {
		Rounds []Round `json:"rounds"`
	}
	if err := json.Unmarshal(feed, &doc); err != nil {
		return nil, err
	}
	return doc.Rounds, nil
}

// Encode builds a feed from rows, newest first.
func Encode(rounds []Round) []byte {
	var b bytes.Buffer
	b.WriteString(`{"classes": "wb-tables", "rounds": `)
	json.NewEncoder(&b).Encode(rounds)
	b.WriteString("}")
	return b.Bytes()
}

// NewDraw returns a copy of the newest row renumbered as number, with the
// given fields changed (e.g. drawName, drawDate, drawCRS, drawSize).
func NewDraw(feed []byte, number string, set Round) (Round, error) {
	rounds, err := Rounds(feed)
	if err != nil || len(rounds) == 0 {
		return nil, fmt.Errorf("ircctest: %v", err)
	}
	r := Round{}
	for k, v := range rounds[0] {
		r[k] = v
	}
	r["drawNumber"] = number
	href := fmt.Sprintf("/content/canadasite/en/immigration-refugees-citizenship/corporate/mandate/policies-operational-instructions-agreements/ministerial-instructions/express-entry-rounds/invitations.html?q=%s", number)
	r["drawNumberURL"] = fmt.Sprintf("<a href='%s'>%s</a>", href, number)
	r["mitext"] = fmt.Sprintf("<a href='%s'>Invitations to apply for permanent residence under the Express Entry system #%s</a>", href, number)
	r["DrawText1"] = fmt.Sprintf("<a href='%s'>See full text of Ministerial Instruction</a>", href)
	for k, v := range set {
		r[k] = v
	}
	return r, nil
}

// Prepend returns feed with rows added before the newest.
func Prepend(feed []byte, rows ...Round) ([]byte, error) {
	rounds, err := Rounds(feed)
	if err != nil {
		return nil, err
	}
	return Encode(append(append([]Round{}, rows...), rounds...)), nil
}
