package fakediscord

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// HeartbeatInterval is what HELLO announces. discordgo reconnects after five
// intervals without an ACK, so keep it well above test durations unless a
// test wants that.
const HeartbeatInterval = 41250 * time.Millisecond

// GatewayEvent is something a client did on the gateway.
type GatewayEvent struct {
	Kind      string // "connect", "identify", "resume", "heartbeat", "disconnect"
	SessionID string
	Seq       int64 // for resume: the seq the client sent; for heartbeat: d
	Token     string
	Intents   int64
	At        time.Time
}

type frame struct {
	Op int             `json:"op"`
	D  json.RawMessage `json:"d"`
	S  *int64          `json:"s,omitempty"`
	T  string          `json:"t,omitempty"`
}

type conn struct {
	ws      *websocket.Conn
	wmu     sync.Mutex
	session string // set after READY or RESUMED
	closed  chan struct{}
	once    sync.Once
}

func (c *conn) write(v any) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	c.ws.SetWriteDeadline(time.Now().Add(5 * time.Second))
	return c.ws.WriteJSON(v)
}

func (c *conn) closeCode(code int, text string) {
	c.wmu.Lock()
	c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, text), time.Now().Add(time.Second))
	c.wmu.Unlock()
	c.drop()
}

func (c *conn) drop() {
	c.once.Do(func() {
		close(c.closed)
		c.ws.UnderlyingConn().Close()
	})
}

type dispatch struct {
	seq int64
	raw []byte
}

// gateway holds one logical session (the fake serves one bot).
type gateway struct {
	s        *Server
	upgrader websocket.Upgrader

	mu        sync.Mutex
	cur       *conn // the connection that has identified or resumed
	conns     map[*conn]bool
	sessions  int
	sessionID string
	seq       int64
	backlog   []dispatch // every dispatch of the current session, for RESUME replay
	rejecting int        // close code for every IDENTIFY/RESUME; 0 = accept
	noAck     bool
	silent    bool // no HELLO: a gateway that accepts and then says nothing
	events    []GatewayEvent
}

func newGateway(s *Server) *gateway {
	return &gateway{s: s, conns: map[*conn]bool{}}
}

func (g *gateway) logEvent(e GatewayEvent) {
	e.At = time.Now()
	g.mu.Lock()
	g.events = append(g.events, e)
	g.mu.Unlock()
	g.s.mu.Lock()
	g.s.notify()
	g.s.mu.Unlock()
}

func (g *gateway) serve(w http.ResponseWriter, r *http.Request) {
	ws, err := g.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &conn{ws: ws, closed: make(chan struct{})}
	g.mu.Lock()
	g.conns[c] = true
	g.mu.Unlock()
	defer func() {
		g.mu.Lock()
		delete(g.conns, c)
		if g.cur == c {
			g.cur = nil
		}
		g.mu.Unlock()
		c.drop()
		g.logEvent(GatewayEvent{Kind: "disconnect", SessionID: c.session})
	}()
	g.logEvent(GatewayEvent{Kind: "connect"})
	g.mu.Lock()
	silent := g.silent
	g.mu.Unlock()
	if silent {
		for {
			if _, _, err := ws.ReadMessage(); err != nil {
				return
			}
		}
	}

	hello, _ := json.Marshal(map[string]any{"heartbeat_interval": HeartbeatInterval.Milliseconds()})
	if c.write(frame{Op: 10, D: hello}) != nil {
		return
	}
	for {
		_, msg, err := ws.ReadMessage()
		if err != nil {
			return
		}
		var f frame
		if json.Unmarshal(msg, &f) != nil {
			c.closeCode(4002, "Error while decoding payload.")
			return
		}
		switch f.Op {
		case 1:
			var seq int64
			json.Unmarshal(f.D, &seq)
			g.logEvent(GatewayEvent{Kind: "heartbeat", Seq: seq, SessionID: c.session})
			g.mu.Lock()
			noAck := g.noAck
			g.mu.Unlock()
			if !noAck {
				c.write(frame{Op: 11})
			}
		case 2:
			if !g.identify(c, f.D) {
				return
			}
		case 6:
			if !g.resume(c, f.D) {
				return
			}
		}
	}
}

func (g *gateway) identify(c *conn, d json.RawMessage) bool {
	var id struct {
		Token   string `json:"token"`
		Intents int64  `json:"intents"`
	}
	json.Unmarshal(d, &id)
	g.logEvent(GatewayEvent{Kind: "identify", Token: id.Token, Intents: id.Intents})
	g.mu.Lock()
	reject := g.rejecting
	if reject == 0 && g.s.Token != "" && id.Token != "Bot "+g.s.Token {
		reject = 4004
	}
	if reject != 0 {
		g.mu.Unlock()
		c.closeCode(reject, closeText(reject))
		return false
	}
	g.sessions++
	g.sessionID = fmt.Sprintf("fake-session-%d", g.sessions)
	g.seq = 1
	g.backlog = nil
	if g.cur != nil && g.cur != c {
		g.cur.drop()
	}
	g.cur = c
	c.session = g.sessionID
	seq := g.seq
	ready, _ := json.Marshal(map[string]any{
		"v":                  9,
		"session_id":         g.sessionID,
		"resume_gateway_url": g.s.GatewayURL(),
		"user":               map[string]any{"id": BotUserID, "username": "eebot", "discriminator": "0", "bot": true},
		"application":        map[string]any{"id": AppID, "flags": 0},
		"guilds":             []any{map[string]any{"id": GuildID, "unavailable": true}},
		"private_channels":   []any{},
	})
	g.mu.Unlock()
	return c.write(frame{Op: 0, S: &seq, T: "READY", D: ready}) == nil
}

func (g *gateway) resume(c *conn, d json.RawMessage) bool {
	var rs struct {
		Token     string `json:"token"`
		SessionID string `json:"session_id"`
		Seq       int64  `json:"seq"`
	}
	json.Unmarshal(d, &rs)
	g.logEvent(GatewayEvent{Kind: "resume", Token: rs.Token, SessionID: rs.SessionID, Seq: rs.Seq})
	g.mu.Lock()
	reject := g.rejecting
	if reject == 0 && g.s.Token != "" && rs.Token != "Bot "+g.s.Token {
		reject = 4004
	}
	if reject != 0 {
		g.mu.Unlock()
		c.closeCode(reject, closeText(reject))
		return false
	}
	if rs.SessionID == "" || rs.SessionID != g.sessionID {
		g.mu.Unlock()
		// Invalid session, not resumable.
		return c.write(frame{Op: 9, D: json.RawMessage("false")}) == nil
	}
	if g.cur != nil && g.cur != c {
		g.cur.drop()
	}
	g.cur = c
	c.session = g.sessionID
	// Replay what the client missed, then RESUMED, all under the lock so that
	// new dispatches queue behind them in order.
	var out []frame
	for _, ev := range g.backlog {
		if ev.seq > rs.Seq {
			seq := ev.seq
			out = append(out, frame{Op: 0, S: &seq, T: "INTERACTION_CREATE", D: ev.raw})
		}
	}
	g.seq++
	seq := g.seq
	out = append(out, frame{Op: 0, S: &seq, T: "RESUMED", D: json.RawMessage("{}")})
	var err error
	for _, f := range out {
		if err = c.write(f); err != nil {
			break
		}
	}
	g.mu.Unlock()
	return err == nil
}

// Dispatch sends a dispatch event (op 0) with the next sequence number to
// the identified connection. When no connection is live the event is kept and
// replayed on RESUME, as Discord does.
func (s *Server) Dispatch(eventType string, d any) (int64, error) {
	raw, err := json.Marshal(d)
	if err != nil {
		return 0, err
	}
	g := s.gw
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.sessionID == "" {
		return 0, errors.New("fakediscord: no session has identified yet")
	}
	g.seq++
	seq := g.seq
	if eventType == "INTERACTION_CREATE" {
		g.backlog = append(g.backlog, dispatch{seq: seq, raw: raw})
	}
	if g.cur == nil {
		return seq, nil
	}
	return seq, g.cur.write(frame{Op: 0, S: &seq, T: eventType, D: raw})
}

// DropConnection cuts the live gateway connection without a close frame, as
// a network failure would. The session stays resumable: dispatches from now
// on wait for a RESUME.
func (s *Server) DropConnection() {
	s.gw.mu.Lock()
	c := s.gw.cur
	s.gw.cur = nil
	s.gw.mu.Unlock()
	if c != nil {
		c.drop()
	}
}

// CloseGateway sends a close frame with code on the live connection and
// closes it; dispatches from now on wait for a RESUME.
func (s *Server) CloseGateway(code int) {
	s.gw.mu.Lock()
	c := s.gw.cur
	s.gw.cur = nil
	s.gw.mu.Unlock()
	if c != nil {
		c.closeCode(code, closeText(code))
	}
}

// RejectSessions makes every later IDENTIFY and RESUME end with a close
// frame carrying code (e.g. 4004 for a revoked token); 0 accepts again.
func (s *Server) RejectSessions(code int) {
	s.gw.mu.Lock()
	s.gw.rejecting = code
	s.gw.mu.Unlock()
}

// SilenceGateway makes later gateway connections send nothing, not even
// HELLO, until the client leaves.
func (s *Server) SilenceGateway() {
	s.gw.mu.Lock()
	s.gw.silent = true
	s.gw.mu.Unlock()
}

// StopHeartbeatACKs makes the fake ignore heartbeats (a zombie connection).
func (s *Server) StopHeartbeatACKs(stop bool) {
	s.gw.mu.Lock()
	s.gw.noAck = stop
	s.gw.mu.Unlock()
}

// GatewayEvents returns what clients did on the gateway so far.
func (s *Server) GatewayEvents() []GatewayEvent {
	s.gw.mu.Lock()
	defer s.gw.mu.Unlock()
	return append([]GatewayEvent(nil), s.gw.events...)
}

// AwaitGateway waits until n gateway events of kind have happened.
func (s *Server) AwaitGateway(ctx context.Context, kind string, n int) ([]GatewayEvent, error) {
	var got []GatewayEvent
	err := s.Await(ctx, func() bool {
		s.gw.mu.Lock()
		defer s.gw.mu.Unlock()
		got = got[:0]
		for _, e := range s.gw.events {
			if e.Kind == kind {
				got = append(got, e)
			}
		}
		return len(got) >= n
	})
	return got, err
}

// Connected reports whether a connection has identified or resumed and is
// still open.
func (s *Server) Connected() bool {
	s.gw.mu.Lock()
	defer s.gw.mu.Unlock()
	return s.gw.cur != nil
}

// Connections counts open websocket connections, identified or not.
func (s *Server) Connections() int {
	s.gw.mu.Lock()
	defer s.gw.mu.Unlock()
	return len(s.gw.conns)
}

func (g *gateway) closeAll() {
	g.mu.Lock()
	var cs []*conn
	for c := range g.conns {
		cs = append(cs, c)
	}
	g.mu.Unlock()
	for _, c := range cs {
		c.drop()
	}
}

func closeText(code int) string {
	switch code {
	case 4004:
		return "Authentication failed."
	case 4010:
		return "Invalid shard."
	case 4011:
		return "Sharding required."
	case 4012:
		return "Invalid API version."
	case 4013:
		return "Invalid intent(s)."
	case 4014:
		return "Disallowed intent(s)."
	case 4000:
		return "Unknown error."
	case 4009:
		return "Session timed out."
	}
	return ""
}
