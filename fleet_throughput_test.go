package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/eebot/eebot/bot/telegram/faketelegram"
	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/pgtest"
	"github.com/eebot/eebot/internal/store"
	"github.com/eebot/eebot/internal/store/storetest"
)

// throughputGroups is how many Telegram groups each run of
// TestFleetThroughput posts to: 10 s at 30 a second.
var throughputGroups = envInt("FLEET_THROUGHPUT_GROUPS", 300)

// TestFleetThroughput fans a new draw out to the same Telegram groups with
// one replica and with three on one Postgres: both go at Telegram's 30
// messages a second, never three times it, because only the leader sends
// and every replica books the bot's rate in the database.
func TestFleetThroughput(t *testing.T) {
	pgtest.Server(t)
	if testing.Short() {
		t.Skip("runs the bot as processes through two fan-outs")
	}
	for _, n := range []int{1, 3} {
		t.Run(fmt.Sprintf("replicas=%d", n), func(t *testing.T) {
			rate, most := fleetFanOut(t, n)
			t.Logf("%d replicas: %d posts at %.1f/s (%.0f %% of 30/s); busiest second %d", n, throughputGroups, rate, rate/30*100, most)
			if float64(most) > 30*overLimit {
				t.Errorf("%d posts in one second with %d replicas: over Telegram's 30", most, n)
			}
		})
	}
}

// fleetFanOut runs n replicas on a fresh database with throughputGroups
// subscribed groups, publishes a draw, and returns the posts' rate as
// Telegram saw them arrive and their busiest second.
func fleetFanOut(t *testing.T, n int) (rate float64, most int) {
	f := newFleet(t, n, false)
	dbURL := storetest.PostgresURL(t, 1)
	ctx := context.Background()
	db, err := store.Open(ctx, dbURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range throughputGroups {
		if _, _, err := db.Subscribe(ctx, domain.Subscription{Platform: domain.Telegram, Destination: fmt.Sprint(-1_000_000_300_000 - i)}); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	f.env = f.environ(dbURL)
	for _, r := range f.replicas {
		f.start(r)
	}
	f.leader("")
	f.poll("the webhook registered", func() bool { info, _ := f.tg.Webhook(); return info.URL == f.env["TELEGRAM_WEBHOOK_URL"] })
	f.feed.Set(newDraw(t, "471"))
	isPost := func(c faketelegram.Call) bool {
		return c.ChatID <= -1_000_000_300_000 && strings.Contains(c.Text, "#438")
	}
	wctx, cancel := context.WithTimeout(ctx, fleetWait)
	defer cancel()
	if err := f.tg.Wait(wctx, func(v faketelegram.View) bool {
		k := 0
		for _, c := range v.Calls("sendMessage") {
			if isPost(c) {
				k++
			}
		}
		return k >= throughputGroups
	}); err != nil {
		t.Fatalf("fan-out: %v\n%s", err, f.dump())
	}
	var at []time.Time
	for _, c := range f.tg.Calls("sendMessage") {
		if isPost(c) {
			at = append(at, c.At)
		}
	}
	if len(at) != throughputGroups {
		t.Errorf("%d posts to %d groups", len(at), throughputGroups)
	}
	most, _ = busiest(at, time.Second)
	return float64(len(at)-1) / at[len(at)-1].Sub(at[0]).Seconds(), most
}
