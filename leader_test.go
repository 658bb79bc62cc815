package main

import (
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/eebot/eebot/bot/telegram/faketelegram"
	"github.com/eebot/eebot/internal/config"
	"github.com/eebot/eebot/internal/httpserver"
	"github.com/eebot/eebot/internal/leader"
	"github.com/eebot/eebot/internal/store/storetest"
	"github.com/eebot/eebot/internal/testlog"
)

// One instance (SQLite admits no other) leads: it polls IRCC, /readyz says
// it leads and checks the feed, /metrics has eebot_leader 1, /about names
// it (REPLICA_ID is set), and a stop releases the lease. (Two run()s
// cannot share a SQLite file; the election itself is tested with several
// electors in internal/leader.)
func TestLeaderAlone(t *testing.T) {
	e := newE2E(t)
	addr := freeAddr(t)
	base := "http://" + addr
	e.env["HTTP_ADDR"] = addr
	e.env["REPLICA_ID"] = "solo-1"
	stop := e.start()
	ctx, cancel := context.WithTimeout(t.Context(), 15*time.Second)
	defer cancel()
	if err := e.feed.AwaitRequests(ctx, 1); err != nil {
		t.Fatalf("%v\n%s", err, e.logs.String())
	}
	e.waitLog("this replica leads", 1)
	code, body := get(t, base+"/readyz")
	for deadline := time.Now().Add(10 * time.Second); code != 200 && time.Now().Before(deadline); {
		<-time.After(20 * time.Millisecond) // Telegram's getMe
		code, body = get(t, base+"/readyz")
	}
	var rd httpserver.Readiness
	if err := json.Unmarshal([]byte(body), &rd); err != nil || code != 200 || rd.Role == nil ||
		*rd.Role != (httpserver.Role{Replica: "solo-1", Leader: "solo-1", Leading: true}) || rd.Checks["feed"] != "ok" {
		t.Errorf("/readyz: %d %s", code, body)
	}
	waitMetrics(t, base+"/metrics", "eebot_leader 1\n")

	u := faketelegram.User{ID: 5, FirstName: "Q"}
	e.tg.PushText(faketelegram.PrivateChat(u), u, "/about")
	e.waitSent(u.ID, "Answered by replica solo-1, which leads (checks IRCC)", 1)

	if code := stop(); code != 0 {
		t.Errorf("exit %d\n%s", code, e.logs.String())
	}
	if !strings.Contains(e.logs.String(), "released the lease") {
		t.Errorf("no release at the stop:\n%s", e.logs.String())
	}
}

// A follower's /readyz does not check the feed (it does not poll) and
// names the leader; once it leads, the feed check applies, counted from
// when it began to lead.
func TestReadyzFollower(t *testing.T) {
	t.Parallel()
	db := storetest.Store(t)
	ctx := t.Context()
	if _, _, _, err := db.AcquireLease(ctx, leader.DefaultName, "other", time.Hour); err != nil {
		t.Fatal(err)
	}
	cfg := config.Config{HTTPAddr: freeAddr(t), PollInterval: time.Second, ReplicaID: "me"}
	o := newOps(cfg, db, slog.New(slog.NewTextHandler(&testlog.Buffer{}, nil)))
	o.el = &leader.Elector{Store: db, ID: "me", TTL: time.Second, Log: slog.New(slog.NewTextHandler(&testlog.Buffer{}, nil)), OnChange: o.leading}
	o.newServer(db)
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); o.el.Run(runCtx) }()
	defer func() { stop(); <-done }()
	waitFor := func(what string, cond func() bool) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for !cond() {
			if time.Now().After(deadline) {
				t.Fatalf("not %s within 10 s", what)
			}
			<-time.After(10 * time.Millisecond)
		}
	}
	waitFor("following", func() bool { return o.el.Leader() == "other" })
	o.feed.polled(time.Now().Add(-time.Hour), time.Second) // as if it had led an hour ago
	rd := o.srv.Readiness(ctx)
	if len(rd.Failed) != 0 || rd.Checks["feed"] != "ok" || *rd.Role != (httpserver.Role{Replica: "me", Leader: "other"}) {
		t.Errorf("follower: %+v %+v", rd, rd.Role)
	}

	if err := db.ReleaseLease(ctx, leader.DefaultName, "other"); err != nil {
		t.Fatal(err)
	}
	waitFor("leading", o.el.Leading)
	rd = o.srv.Readiness(ctx)
	if len(rd.Failed) != 0 || *rd.Role != (httpserver.Role{Replica: "me", Leader: "me", Leading: true}) {
		t.Errorf("new leader, before its first poll: %+v %+v", rd, rd.Role)
	}
	o.feed.polled(time.Now().Add(-time.Hour), time.Second)
	if rd := o.srv.Readiness(ctx); len(rd.Failed) != 1 || rd.Failed[0] != "feed" {
		t.Errorf("leader with a late feed: %+v", rd)
	}
}
