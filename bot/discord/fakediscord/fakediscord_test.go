package fakediscord

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

type wsClient struct {
	t *testing.T
	c *websocket.Conn
}

func dial(t *testing.T, s *Server) *wsClient {
	t.Helper()
	c, _, err := websocket.DefaultDialer.Dial(s.GatewayURL()+"/?v=9&encoding=json", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	w := &wsClient{t: t, c: c}
	if f := w.read(); f.Op != 10 {
		t.Fatalf("first frame op %d, want HELLO", f.Op)
	}
	return w
}

func (w *wsClient) send(op int, d any) {
	w.t.Helper()
	if err := w.c.WriteJSON(map[string]any{"op": op, "d": d}); err != nil {
		w.t.Fatal(err)
	}
}

func (w *wsClient) read() frame {
	w.t.Helper()
	w.c.SetReadDeadline(time.Now().Add(5 * time.Second))
	var f frame
	if err := w.c.ReadJSON(&f); err != nil {
		w.t.Fatal(err)
	}
	return f
}

func TestGatewayProtocol(t *testing.T) {
	s := Start(t)
	w := dial(t, s)
	w.send(2, map[string]any{"token": "Bot " + Token, "intents": 0})
	ready := w.read()
	if ready.T != "READY" || *ready.S != 1 {
		t.Fatalf("got %+v", ready)
	}
	w.send(1, 1)
	if f := w.read(); f.Op != 11 {
		t.Fatalf("heartbeat answered with op %d", f.Op)
	}
	id, err := s.Push(Interaction{Name: "pool"})
	if err != nil {
		t.Fatal(err)
	}
	f := w.read()
	var in map[string]any
	json.Unmarshal(f.D, &in)
	if f.T != "INTERACTION_CREATE" || *f.S != 2 || in["id"] != id {
		t.Fatalf("dispatch %+v", f)
	}

	// Drop, push while away, resume from seq 2: the missed event is replayed.
	s.DropConnection()
	missed, _ := s.Push(Interaction{Name: "about"})
	w2 := dial(t, s)
	w2.send(6, map[string]any{"token": "Bot " + Token, "session_id": "fake-session-1", "seq": 2})
	f = w2.read()
	json.Unmarshal(f.D, &in)
	if f.T != "INTERACTION_CREATE" || in["id"] != missed {
		t.Fatalf("replay %+v", f)
	}
	if f = w2.read(); f.T != "RESUMED" {
		t.Fatalf("got %+v, want RESUMED", f)
	}

	// A revoked token: close 4004.
	s.RejectSessions(4004)
	w3 := dial(t, s)
	w3.send(2, map[string]any{"token": "Bot " + Token})
	w3.c.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, _, err = w3.c.ReadMessage()
	if !websocket.IsCloseError(err, 4004) {
		t.Fatalf("got %v, want close 4004", err)
	}
}

func TestScriptedREST(t *testing.T) {
	s := Start(t)
	s.RateLimit("POST", "/api/v9/channels/", 1, 250*time.Millisecond, false)
	do := func(auth string) *http.Response {
		req, _ := http.NewRequest("POST", s.APIURL+"channels/1/messages", strings.NewReader(`{"content":"x"}`))
		req.Header.Set("Authorization", auth)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	if r := do("Bot " + Token); r.StatusCode != 429 || r.Header.Get("Retry-After") == "" || r.Header.Get("X-RateLimit-Reset-After") != "0.250" {
		t.Fatalf("got %d %v", r.StatusCode, r.Header)
	}
	if r := do("Bot " + Token); r.StatusCode != 200 {
		t.Fatalf("second call %d", r.StatusCode)
	}
	if r := do("Bot wrong"); r.StatusCode != 401 {
		t.Fatalf("wrong token %d", r.StatusCode)
	}
	if n := len(s.Requests("POST", "/api/v9/channels/1/messages")); n != 3 {
		t.Fatalf("%d requests recorded", n)
	}
}
