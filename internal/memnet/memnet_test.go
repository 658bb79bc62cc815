package memnet_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"testing/synctest"
	"time"

	"github.com/eebot/eebot/internal/memnet"
)

func TestHTTPInBubble(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := memnet.Listen("fake.test")
		srv := &httptest.Server{Listener: l, Config: &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			time.Sleep(time.Hour) // fake time: instant
			io.WriteString(w, "hello "+r.URL.Path)
		})}}
		srv.Start()
		defer srv.Close()
		if srv.URL != "http://fake.test" {
			t.Errorf("URL = %s", srv.URL)
		}
		tr := &http.Transport{DialContext: l.Dial}
		defer tr.CloseIdleConnections()
		c := &http.Client{Transport: tr}
		start := time.Now()
		for range 3 { // the second and third reuse the connection
			resp, err := c.Get(srv.URL + "/x")
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if string(b) != "hello /x" {
				t.Errorf("body %q", b)
			}
		}
		if d := time.Since(start); d != 3*time.Hour {
			t.Errorf("took %v of fake time", d)
		}
	})
}

func TestConn(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		a, b := memnet.Pair("a", "b")
		// Both write before reading: no deadlock.
		if _, err := a.Write([]byte("ping")); err != nil {
			t.Fatal(err)
		}
		if _, err := b.Write([]byte("pong")); err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 8)
		if n, err := b.Read(buf); err != nil || string(buf[:n]) != "ping" {
			t.Fatalf("b read %q, %v", buf[:n], err)
		}
		if n, err := a.Read(buf); err != nil || string(buf[:n]) != "pong" {
			t.Fatalf("a read %q, %v", buf[:n], err)
		}

		// A read deadline fails a blocked Read with a timeout.
		start := time.Now()
		a.SetReadDeadline(start.Add(time.Second))
		_, err := a.Read(buf)
		var ne net.Error
		if !errors.Is(err, os.ErrDeadlineExceeded) || !errors.As(err, &ne) || !ne.Timeout() || time.Since(start) != time.Second {
			t.Errorf("Read past the deadline = %v after %v", err, time.Since(start))
		}
		// Moving the deadline into the past wakes a blocked Read.
		a.SetReadDeadline(time.Time{})
		done := make(chan error)
		go func() { _, err := a.Read(buf); done <- err }()
		synctest.Wait()
		a.SetReadDeadline(time.Unix(1, 0))
		if err := <-done; !errors.Is(err, os.ErrDeadlineExceeded) {
			t.Errorf("Read after the deadline moved = %v", err)
		}
		a.SetReadDeadline(time.Time{})

		// Close: the peer reads what was written, then EOF; its writes fail.
		a.Write([]byte("bye"))
		a.Close()
		if n, err := b.Read(buf); err != nil || string(buf[:n]) != "bye" {
			t.Errorf("b read %q, %v", buf[:n], err)
		}
		if _, err := b.Read(buf); err != io.EOF {
			t.Errorf("b read after close = %v", err)
		}
		if _, err := b.Write([]byte("x")); err == nil {
			t.Error("write to a closed peer succeeded")
		}
		if _, err := a.Read(buf); !errors.Is(err, net.ErrClosed) {
			t.Errorf("read on a closed conn = %v", err)
		}
		b.Close()
	})
}

func TestListenerClose(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := memnet.Listen("x")
		accepted := make(chan error)
		go func() { _, err := l.Accept(); accepted <- err }()
		synctest.Wait()
		l.Close()
		if err := <-accepted; !errors.Is(err, net.ErrClosed) {
			t.Errorf("Accept after Close = %v", err)
		}
		if _, err := l.Dial(context.Background(), "tcp", "x:80"); err == nil {
			t.Error("Dial after Close succeeded")
		}
	})
}

func TestLatency(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := memnet.Listen("x")
		go func() {
			c, err := l.Accept()
			if err != nil {
				return
			}
			io.Copy(c, c) // echo
			c.Close()
		}()
		c, err := l.Dial(context.Background(), "tcp", "x:1")
		if err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 8)
		start := time.Now()
		c.Write([]byte("a"))
		if n, err := c.Read(buf); err != nil || string(buf[:n]) != "a" || time.Since(start) != 0 {
			t.Fatalf("read %q, %v after %v", buf[:n], err, time.Since(start))
		}
		l.SetLatency(time.Second)
		c.Write([]byte("b"))
		if n, err := c.Read(buf); err != nil || string(buf[:n]) != "b" || time.Since(start) != 2*time.Second {
			t.Fatalf("read %q, %v after %v; want 2s there and back", buf[:n], err, time.Since(start))
		}
		// A deadline before the data arrives still fails the read.
		c.Write([]byte("c"))
		c.SetReadDeadline(time.Now().Add(time.Second))
		if _, err := c.Read(buf); !errors.Is(err, os.ErrDeadlineExceeded) {
			t.Fatalf("read = %v, want a timeout", err)
		}
		c.SetReadDeadline(time.Time{})
		if n, err := c.Read(buf); err != nil || string(buf[:n]) != "c" {
			t.Fatalf("read %q, %v", buf[:n], err)
		}
		c.Close()
		l.Close()
	})
}
