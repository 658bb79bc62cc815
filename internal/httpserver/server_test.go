package httpserver

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

func start(t *testing.T, s *Server) (base string, stop func() time.Duration) {
	t.Helper()
	if err := s.Listen("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx) }()
	return "http://" + s.Addr(), func() time.Duration {
		t0 := time.Now()
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Serve: %v", err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("Serve did not return")
		}
		return time.Since(t0)
	}
}

// A stop waits for requests in flight up to ShutdownTimeout, then closes
// them: the server is gone within the bot's 2 s budget. From the stop on,
// /readyz fails with "stopping".
func TestServeStopsWithinBudget(t *testing.T) {
	t.Parallel()
	s := New(nil, nil)
	entered := make(chan struct{})
	s.Handle("GET /hang", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		<-r.Context().Done()
	}))
	base, stop := start(t, s)
	go func() {
		resp, err := http.Get(base + "/hang")
		if err == nil {
			resp.Body.Close()
		}
	}()
	<-entered
	s.stopping.Store(true) // as Serve does first thing on a stop
	if rd := s.Readiness(context.Background()); rd.Status != "not ready" || rd.Checks["stopping"] == "" {
		t.Errorf("readiness while stopping: %+v", rd)
	}
	if took := stop(); took > ShutdownTimeout+500*time.Millisecond {
		t.Errorf("stop took %v with a request hanging, want about %v", took, ShutdownTimeout)
	}
}

// /healthz answers as long as the process serves; /readyz runs the checks
// at once and lists the failing ones, sorted; Probe reports them.
func TestReadyz(t *testing.T) {
	t.Parallel()
	s := New(nil, nil)
	s.AddCheck("b", func(context.Context) error { return errors.New("b is down") })
	s.AddCheck("a", func(context.Context) error { return nil })
	s.AddCheck("c", func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() })
	base, stop := start(t, s)
	defer stop()
	resp, err := http.Get(base + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != "ok\n" {
		t.Errorf("/healthz: %d %q", resp.StatusCode, body)
	}
	t0 := time.Now()
	resp, err = http.Get(base + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	want := `{"status":"not ready","failed":["b","c"],"checks":{"a":"ok","b":"b is down","c":"context deadline exceeded"}}`
	if resp.StatusCode != 503 || strings.TrimSpace(string(body)) != want {
		t.Errorf("/readyz: %d %s\nwant 503 %s", resp.StatusCode, body, want)
	}
	if took := time.Since(t0); took > checkTimeout+time.Second {
		t.Errorf("/readyz took %v with a hung check", took)
	}
	if err := Probe(context.Background(), base+"/readyz"); err == nil || err.Error() != "503 Service Unavailable: b: b is down; c: context deadline exceeded" {
		t.Errorf("Probe: %v", err)
	}
	if resp, err := http.Post(base+"/readyz", "text/plain", nil); err != nil || resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /readyz: %v %v", err, resp.StatusCode)
	}
}

// With a role set, /readyz says which replica this is, which leads, and
// whether it is this one, as of each request.
func TestReadyzRole(t *testing.T) {
	t.Parallel()
	s := New(nil, nil)
	s.AddCheck("a", func(context.Context) error { return nil })
	leader := "web-1"
	var mu sync.Mutex
	s.SetRole(func() Role {
		mu.Lock()
		defer mu.Unlock()
		return Role{Replica: "web-2", Leader: leader, Leading: leader == "web-2"}
	})
	base, stop := start(t, s)
	defer stop()
	get := func() string {
		resp, err := http.Get(base + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return strings.TrimSpace(string(body))
	}
	if got, want := get(), `{"status":"ready","checks":{"a":"ok"},"replica":"web-2","leader":"web-1","leading":false}`; got != want {
		t.Errorf("/readyz %s\nwant %s", got, want)
	}
	mu.Lock()
	leader = "web-2"
	mu.Unlock()
	if got, want := get(), `{"status":"ready","checks":{"a":"ok"},"replica":"web-2","leader":"web-2","leading":true}`; got != want {
		t.Errorf("/readyz %s\nwant %s", got, want)
	}
}
