package main

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/eebot/eebot/bot/telegram/faketelegram"
	"github.com/eebot/eebot/internal/domain"
)

// BenchmarkFanOutAlerts posts one draw to 1,000 Telegram groups and
// 100,000 people's own alerts through the outbox, the sender and the
// bot's send queue, against a fake that enforces Telegram's limits at
// fanScale× speed (so 101,000 messages take about 34 s instead of 56 min).
//
// It reports x-ideal, the time taken over the ideal the global limit
// allows (target ≤ 1.05), and checks that the groups come first: the last
// group's post must be among the first groups + one claim batch messages
// (a batch claimed just before the last group's can still be in the
// queue beside it). last-group-at is that position; groups-done-x is when
// the last group got its post, over the ideal time for the groups alone.
// FAN_ALERTS and FAN_GROUPS change the counts, FAN_SCALE the speed-up.
func BenchmarkFanOutAlerts(b *testing.B) {
	people, groups := envInt("FAN_ALERTS", 100_000), envInt("FAN_GROUPS", 1_000)
	scale := float64(envInt("FAN_SCALE", fanScale))
	n := people + groups
	ideal := time.Duration(float64(n-1) / (30 * scale) * float64(time.Second))
	groupsIdeal := time.Duration(float64(groups) / (30 * scale) * float64(time.Second))
	var total, groupsDone time.Duration
	lastGroup, floods := 0, 0
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		f := newFanoutAt(b, 0, scale) // returns once the bot is polling
		// People first, so that their subscriptions have the lower ids: the
		// claim must put the groups first by priority, not by age.
		for p := range people {
			id := strconv.Itoa(1_000_000 + p)
			if _, _, err := f.db.AddAlert(ctx, domain.Alert{Platform: domain.Telegram, Owner: id, Destination: id, Lang: []string{"en", "fr"}[p%2]}); err != nil {
				b.Fatal(err)
			}
		}
		for g := range groups {
			if _, _, err := f.db.Subscribe(ctx, domain.Subscription{Platform: domain.Telegram, Destination: strconv.Itoa(-1_001_000_000 - g)}); err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer()
		start := time.Now()
		if q, err := f.db.Announce(ctx, "437"); err != nil || q != n {
			b.Fatalf("queued %d posts, want %d: %v", q, n, err)
		}
		f.await(b, "fan-out stalled", 10*time.Minute, func(v faketelegram.View) bool { return v.Count("sendMessage") >= n })
		total += time.Since(start)
		b.StopTimer()
		f.halt()
		calls := f.srv.Calls("sendMessage")
		if rec := f.sent(b); len(calls) != n || rec != n {
			b.Fatalf("%d messages, %d recorded as sent, want %d", len(calls), rec, n)
		}
		seen, last := 0, 0
		var lastAt time.Time
		for k, c := range calls {
			group := c.ChatID < 0
			if group {
				seen++
				last, lastAt = k+1, c.At
			}
			// Each person's post says how to stop it; a group's does not.
			if personal := strings.Contains(c.Plain, "/alert_off"); personal == group {
				b.Fatalf("message %d to %d: personal %v: %s", k, c.ChatID, personal, c.Plain)
			}
			if !group && (c.ChatID%2 == 1) != strings.Contains(c.Plain, "Votre alerte") {
				b.Fatalf("message to %d in the wrong language: %s", c.ChatID, c.Plain)
			}
		}
		if seen != groups {
			b.Fatalf("%d groups got the post, want %d", seen, groups)
		}
		if batch := f.sender.Workers * 4; last > groups+batch {
			b.Errorf("the last group's post was message %d of %d: groups do not come first (allowed: %d)", last, n, groups+batch)
		}
		lastGroup += last
		groupsDone += lastAt.Sub(start)
		floods += f.srv.FloodErrors()
		f.close()
	}
	b.ReportMetric(float64(total)/float64(b.N)/float64(ideal), "x-ideal")
	b.ReportMetric(float64(total.Seconds())/float64(b.N), "s/fan-out")
	b.ReportMetric(float64(groupsDone)/float64(b.N)/float64(groupsIdeal), "groups-done-x")
	b.ReportMetric(float64(lastGroup)/float64(b.N), "last-group-at")
	b.ReportMetric(float64(floods)/float64(b.N), "429s/op")
	b.ReportMetric(float64(n)/(total.Seconds()/float64(b.N)), "posts/s")
}
