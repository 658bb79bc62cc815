package fakediscord

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gorilla/websocket"

	"github.com/eebot/eebot/internal/memnet"
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
		resp, err := s.Client().Do(req)
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

// post sends a channel message straight to the fake.
func post(t *testing.T, s *Server, channel, body string) (*http.Response, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("POST", s.APIURL+"channels/"+channel+"/messages", strings.NewReader(body))
	req.Header.Set("Authorization", "Bot "+Token)
	resp, err := s.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	return resp, out
}

func TestMessagesNonce(t *testing.T) {
	s := Start(t)
	_, a := post(t, s, "1", `{"content":"a","nonce":"n1","enforce_nonce":true}`)
	_, b := post(t, s, "1", `{"content":"b","nonce":"n1","enforce_nonce":true}`)
	_, c := post(t, s, "2", `{"content":"c","nonce":"n1","enforce_nonce":true}`)
	_, d := post(t, s, "1", `{"content":"d","nonce":"n1"}`) // not enforced: a new message
	if a["id"] != b["id"] || b["content"] != "a" || c["id"] == a["id"] || d["id"] == a["id"] {
		t.Fatalf("a %v b %v c %v d %v", a, b, c, d)
	}
	if got := s.MessageCounts(); got["1"] != 2 || got["2"] != 1 || s.MessageTotal() != 3 {
		t.Fatalf("counts %v", got)
	}
	if m := s.Messages("1"); m[0].Nonce != "n1" || m[1].ID != d["id"] {
		t.Fatalf("messages %+v", m)
	}
	s.RefuseChannel("3", 404)
	if r, body := post(t, s, "3", `{"content":"x"}`); r.StatusCode != 404 || body["code"] != float64(10003) {
		t.Fatalf("refused channel: %d %v", r.StatusCode, body)
	}
	s.RefuseChannel("3", 0)
	if r, _ := post(t, s, "3", `{"content":"x"}`); r.StatusCode != 200 {
		t.Fatalf("after lifting the refusal: %d", r.StatusCode)
	}
}

// TestMessageLimits runs in a synctest bubble, on an in-memory network: the
// limit windows pass on the bubble's clock.
func TestMessageLimits(t *testing.T) {
	synctest.Test(t, testMessageLimits)
}

func testMessageLimits(t *testing.T) {
	s := StartOn(t, memnet.Listen("discord.test"))
	s.EnforceLimits(DiscordLimits(10)) // 5 per 500 ms per channel, 500/s global
	for i := range 5 {
		r, _ := post(t, s, "1", `{"content":"x"}`)
		if r.StatusCode != 200 || r.Header.Get("X-RateLimit-Remaining") != strconv.Itoa(4-i) {
			t.Fatalf("message %d: %d %v", i, r.StatusCode, r.Header)
		}
	}
	r, body := post(t, s, "1", `{"content":"x"}`)
	if ra, _ := body["retry_after"].(float64); r.StatusCode != 429 || ra <= 0 || ra > 0.5 || body["global"] != false {
		t.Fatalf("6th message: %d %v", r.StatusCode, body)
	}
	if r, _ := post(t, s, "2", `{"content":"x"}`); r.StatusCode != 200 {
		t.Fatal("another channel has its own window")
	}
	time.Sleep(time.Duration(body["retry_after"].(float64)*float64(time.Second)) + 10*time.Millisecond)
	if r, _ := post(t, s, "1", `{"content":"x"}`); r.StatusCode != 200 {
		t.Fatalf("after the window: %d", r.StatusCode)
	}

	// Global: 20/s allows a burst of 20, then one every 50 ms.
	s.EnforceLimits(Limits{GlobalPerSecond: 20})
	ok, limited := 0, 0
	for i := range 30 {
		r, body := post(t, s, strconv.Itoa(100+i), `{"content":"x"}`)
		switch r.StatusCode {
		case 200:
			ok++
		case 429:
			limited++
			if body["global"] != true || r.Header.Get("X-RateLimit-Global") != "true" {
				t.Fatalf("global 429 %v %v", body, r.Header)
			}
		}
	}
	if ok < 20 || ok > 22 || limited != 30-ok {
		t.Fatalf("%d accepted, %d limited", ok, limited)
	}
	if ch, gl := s.Limited(); ch != 1 || gl != limited {
		t.Fatalf("Limited() = %d, %d", ch, gl)
	}
}
