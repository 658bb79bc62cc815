// Package httpserver is the bot's one HTTP server (HTTP_ADDR): GET /healthz
// (the process is alive), GET /readyz (every readiness check passes; 503
// with a JSON body naming the ones that fail), GET /metrics (Prometheus),
// and the routes the platforms add (Discord's interactions, Telegram's
// webhook). Probe is the client side of /readyz for `eebot healthcheck`.
package httpserver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Check is one readiness check: nil when ready, else why not.
type Check func(ctx context.Context) error

// Server serves the bot's HTTP endpoints. Add routes and checks, then
// Listen and Serve.
type Server struct {
	log    *slog.Logger
	mux    *http.ServeMux
	srv    *http.Server
	ln     net.Listener
	mu     sync.Mutex
	checks []namedCheck
	role   func() Role // nil: /readyz says nothing of a fleet
	// stopping makes /readyz fail from the moment a stop begins, so a load
	// balancer sends nothing more while the server drains.
	stopping atomic.Bool
}

type namedCheck struct {
	name  string
	check Check
}

// Timeouts.
const (
	// checkTimeout bounds all of /readyz's checks together.
	checkTimeout = 2 * time.Second
	// ShutdownTimeout is how long a stop waits for requests in flight
	// before closing their connections: within the bot's 2 s to exit.
	ShutdownTimeout = time.Second
)

// New returns a server with /healthz and /readyz; metrics, when not nil, is
// served at /metrics.
func New(log *slog.Logger, metrics http.Handler) *Server {
	if log == nil {
		log = slog.Default()
	}
	s := &Server{log: log, mux: http.NewServeMux()}
	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = io.WriteString(w, "ok\n")
	})
	s.mux.HandleFunc("GET /readyz", s.ready)
	if metrics != nil {
		s.mux.Handle("GET /metrics", metrics)
	}
	s.srv = &http.Server{
		Handler:           s.mux,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      15 * time.Second,
		IdleTimeout:       60 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	return s
}

// Handle adds a route (a net/http pattern, e.g. "POST /telegram/webhook").
func (s *Server) Handle(pattern string, h http.Handler) { s.mux.Handle(pattern, h) }

// AddCheck adds a readiness check, reported under name.
func (s *Server) AddCheck(name string, c Check) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.checks = append(s.checks, namedCheck{name, c})
}

// Role is, for /readyz, this replica's name in the fleet, the leader's as
// last seen ("" when unknown) and whether this replica leads.
type Role struct {
	Replica string `json:"replica"`
	Leader  string `json:"leader"`
	Leading bool   `json:"leading"`
}

// SetRole makes /readyz say the replica's role, as role returns it then.
func (s *Server) SetRole(role func() Role) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.role = role
}

// Listen binds addr, so that a taken port fails at start, in one line.
func (s *Server) Listen(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("HTTP_ADDR %s: %w", addr, err)
	}
	s.ln = ln
	return nil
}

// Addr is the address the server listens on (after Listen).
func (s *Server) Addr() string {
	if s.ln == nil {
		return ""
	}
	return s.ln.Addr().String()
}

// Serve serves until ctx ends, then stops taking requests, waits up to
// ShutdownTimeout for those in flight and closes the rest. It returns nil
// after a stop, or the error that ended serving.
func (s *Server) Serve(ctx context.Context) error {
	if s.ln == nil {
		return errors.New("httpserver: Serve before Listen")
	}
	failed := make(chan error, 1)
	go func() {
		if err := s.srv.Serve(s.ln); !errors.Is(err, http.ErrServerClosed) {
			failed <- err
		}
		close(failed)
	}()
	select {
	case err := <-failed:
		return err
	case <-ctx.Done():
	}
	s.stopping.Store(true)
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), ShutdownTimeout)
	defer cancel()
	if err := s.srv.Shutdown(sctx); err != nil {
		s.log.Warn("http: requests still in flight at shutdown; closing them", "err", err)
		_ = s.srv.Close()
	}
	<-failed
	return nil
}

// Readiness is /readyz's JSON body.
type Readiness struct {
	Status string            `json:"status"` // "ready" or "not ready"
	Failed []string          `json:"failed,omitempty"`
	Checks map[string]string `json:"checks"` // "ok" or why not
	*Role                    // replica, leader, leading; absent without SetRole
}

func (s *Server) ready(w http.ResponseWriter, r *http.Request) {
	rd := s.Readiness(r.Context())
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	status := http.StatusOK
	if len(rd.Failed) > 0 {
		status = http.StatusServiceUnavailable
	}
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(rd)
}

// Readiness runs every check, at once, within checkTimeout.
func (s *Server) Readiness(ctx context.Context) Readiness {
	s.mu.Lock()
	checks := slices.Clone(s.checks)
	role := s.role
	s.mu.Unlock()
	ctx, cancel := context.WithTimeout(ctx, checkTimeout)
	defer cancel()
	rd := Readiness{Checks: map[string]string{}}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, c := range checks {
		wg.Go(func() {
			res := "ok"
			if err := c.check(ctx); err != nil {
				res = err.Error()
			}
			mu.Lock()
			rd.Checks[c.name] = res
			mu.Unlock()
		})
	}
	wg.Wait()
	if s.stopping.Load() {
		rd.Checks["stopping"] = "the bot is shutting down"
	}
	for name, res := range rd.Checks {
		if res != "ok" {
			rd.Failed = append(rd.Failed, name)
		}
	}
	slices.Sort(rd.Failed)
	if role != nil {
		r := role()
		rd.Role = &r
	}
	rd.Status = "ready"
	if len(rd.Failed) > 0 {
		rd.Status = "not ready"
	}
	return rd
}

// Probe asks url (a /readyz) once: nil when it answers 200, else an error
// saying what failed, for `eebot healthcheck`.
func Probe(ctx context.Context, url string) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode == http.StatusOK {
		return nil
	}
	var rd Readiness
	if json.Unmarshal(body, &rd) == nil && len(rd.Failed) > 0 {
		var why []string
		for _, f := range rd.Failed {
			why = append(why, f+": "+rd.Checks[f])
		}
		return fmt.Errorf("%s: %s", resp.Status, strings.Join(why, "; "))
	}
	return fmt.Errorf("%s", resp.Status)
}
