package discord

import (
	"context"
	"net"
	"net/http"
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
// dial replaces TCP when not nil (tests dial an in-memory network).
func gatewayDialer(idle time.Duration, dial dialFunc) *websocket.Dialer {
	if dial == nil {
		dial = (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	}
	return &websocket.Dialer{
		Proxy:            http.ProxyFromEnvironment,
		HandshakeTimeout: 15 * time.Second,
		NetDialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := dial(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			return &idleConn{Conn: c, idle: idle}, nil
		},
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
