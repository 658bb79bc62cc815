package discord

import (
	"context"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// gatewayIdleTimeout bounds how long the gateway connection may stay silent.
// Discord acknowledges every heartbeat (about every 41 s), so a longer
// silence means a dead or half-open connection. discordgo v0.29.0 sets no
// read deadline: without this, Open could wait forever for HELLO, and a
// half-open connection would only be noticed after five missed ACKs.
const gatewayIdleTimeout = 100 * time.Second

// dialFunc opens a network connection, as net.Dialer.DialContext does.
type dialFunc func(ctx context.Context, network, addr string) (net.Conn, error)

// gatewayDialer dials the gateway with connect and idle timeouts. The
// deadline sits on the TCP connection, under TLS, so it works for wss://.
// dial replaces TCP when not nil (tests dial an in-memory network). A dial
// ends when life does, and each connection is handed to opened, so a stop
// can close one that is still opening (discordgo's Open takes no context).
func gatewayDialer(life context.Context, idle time.Duration, dial dialFunc, opened *opening) *websocket.Dialer {
	if dial == nil {
		dial = (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	}
	return &websocket.Dialer{
		Proxy:            http.ProxyFromEnvironment,
		HandshakeTimeout: 15 * time.Second,
		NetDialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			ctx, cancel := context.WithCancel(ctx)
			defer cancel()
			defer context.AfterFunc(life, cancel)()
			c, err := dial(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			ic := &idleConn{Conn: c, idle: idle}
			opened.set(ic)
			return ic, nil
		},
	}
}

// opening holds the gateway connection of the Open in progress.
type opening struct {
	mu   sync.Mutex
	conn net.Conn
}

func (o *opening) set(c net.Conn) {
	o.mu.Lock()
	o.conn = c
	o.mu.Unlock()
}

// abort closes the connection being opened, which fails Open at once.
func (o *opening) abort() {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.conn != nil {
		o.conn.Close()
	}
}

// idleConn fails a Read that waits longer than idle for data.
type idleConn struct {
	net.Conn
	idle time.Duration
}

func (c *idleConn) Read(p []byte) (int, error) {
	if err := c.Conn.SetReadDeadline(time.Now().Add(c.idle)); err != nil {
		return 0, err
	}
	return c.Conn.Read(p)
}
