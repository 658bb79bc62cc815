package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/store"
	"github.com/eebot/eebot/internal/store/storetest"
)

func TestAlertLifecycle(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.Store(t)
	a, created, err := db.AddAlert(ctx, domain.Alert{Platform: domain.Telegram, Owner: "42", Destination: "42",
		Categories: []domain.Key{"stem", domain.Healthcare, "stem"}, MaxCRS: 470, Lang: "fr"})
	if err != nil || !created || len(a.Categories) != 2 || a.Categories[0] != domain.Healthcare || a.Owner != "42" || a.Lang != "fr" {
		t.Fatalf("add = %+v %v %v", a, created, err)
	}
	again, created, err := db.AddAlert(ctx, domain.Alert{Platform: domain.Telegram, Owner: "42", Destination: "42",
		Categories: []domain.Key{domain.Healthcare, "stem"}, MaxCRS: 470, Lang: "en"})
	if err != nil || created || again.ID != a.ID || again.Lang != "en" {
		t.Fatalf("again = %+v %v %v", again, created, err)
	}
	db.AddAlert(ctx, domain.Alert{Platform: domain.Telegram, Owner: "42", Destination: "42"})
	db.AddAlert(ctx, domain.Alert{Platform: domain.Telegram, Owner: "43", Destination: "43"})
	db.AddAlert(ctx, domain.Alert{Platform: domain.Discord, Owner: "42", Destination: "dm42"})
	if _, _, err := db.AddAlert(ctx, domain.Alert{Platform: domain.Telegram, Destination: "44"}); err == nil {
		t.Error("an alert without an owner was stored")
	}
	mine, err := db.Alerts(ctx, domain.Telegram, "42")
	if err != nil || len(mine) != 2 || mine[0].ID != a.ID || len(mine[1].Categories) != 0 {
		t.Fatalf("alerts = %+v %v", mine, err)
	}
	// They block the bot: both stop; they write again: both come back.
	if err := db.MarkDestinationGone(ctx, domain.Telegram, "42", "Forbidden: bot was blocked by the user"); err != nil {
		t.Fatal(err)
	}
	if mine, _ := db.Alerts(ctx, domain.Telegram, "42"); !mine[0].Dead || !mine[1].Dead || mine[0].LastError == "" {
		t.Fatalf("after a block: %+v", mine)
	}
	db.AddAlert(ctx, domain.Alert{Platform: domain.Telegram, Owner: "42", Destination: "42"})
	if mine, _ := db.Alerts(ctx, domain.Telegram, "42"); len(mine) != 2 || mine[0].Dead || mine[1].Dead || mine[0].LastError != "" {
		t.Fatalf("after writing again: %+v", mine)
	}
	// An alert is a subscription of the private chat, below every channel.
	subs, _ := db.Subscriptions(ctx, domain.Telegram, "42")
	if len(subs) != 2 || !subs[0].Personal() {
		t.Errorf("subscriptions = %+v", subs)
	}
	// Nobody removes another person's alert.
	if n, _ := db.RemoveAlerts(ctx, domain.Telegram, "43", a.ID); n != 0 {
		t.Errorf("someone else removed %d", n)
	}
	if n, _ := db.RemoveAlerts(ctx, domain.Telegram, "42", a.ID); n != 1 {
		t.Errorf("remove one = %d", n)
	}
	if n, _ := db.RemoveAlerts(ctx, domain.Telegram, "42", 0); n != 1 {
		t.Errorf("remove all = %d", n)
	}
	if mine, _ := db.Alerts(ctx, domain.Discord, "42"); len(mine) != 1 {
		t.Errorf("the Discord alert went too: %+v", mine)
	}
}

// A draw fans out to channels and people in one insert; the claim serves
// every channel's post before any person's, whichever was set up first,
// and a person's post is in the language they set the alert up in, unless
// they chose one for their chat since.
func TestAlertsAfterChannels(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.Store(t)
	now := time.Now()
	var people []int64
	for _, id := range []string{"1", "2", "3"} {
		a, _, err := db.AddAlert(ctx, domain.Alert{Platform: domain.Telegram, Owner: id, Destination: id, Lang: "fr"})
		if err != nil {
			t.Fatal(err)
		}
		people = append(people, a.ID)
	}
	// A language chosen for the private chat comes before the alert's own.
	if err := db.SetChatLanguage(ctx, domain.Telegram, "3", "en"); err != nil {
		t.Fatal(err)
	}
	var channels []int64
	for _, id := range []string{"-101", "-102"} {
		s, _, _ := db.Subscribe(ctx, domain.Subscription{Platform: domain.Telegram, Destination: id})
		channels = append(channels, s.ID)
	}
	if n, err := db.Announce(ctx, "437"); err != nil || n != 5 {
		t.Fatalf("announce = %d, %v", n, err)
	}
	var order []int64
	for {
		ds, err := db.ClaimDeliveries(ctx, domain.Telegram, 2, now)
		if err != nil {
			t.Fatal(err)
		}
		if len(ds) == 0 {
			break
		}
		for _, d := range ds {
			order = append(order, d.Sub.ID)
			want := map[bool]string{true: "fr", false: ""}[d.Sub.Personal()]
			if d.Sub.Destination == "3" {
				want = "en"
			}
			if d.Lang != want {
				t.Errorf("delivery to %s in %q, want %q", d.Sub.Destination, d.Lang, want)
			}
		}
	}
	want := append(append([]int64{}, channels...), people...)
	if len(order) != len(want) {
		t.Fatalf("claimed %v, want %v", order, want)
	}
	for i := range want {
		if order[i] != want[i] {
			t.Fatalf("claimed %v, want channels then people %v", order, want)
		}
	}
}

// Forget leaves no row of any table naming the person, and keeps what
// others own: a channel they subscribed stays, without their name.
func TestForgetLeavesNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.Store(t)
	const user = "5550001234"
	a, _, _ := db.AddAlert(ctx, domain.Alert{Platform: domain.Telegram, Owner: user, Destination: user, Categories: []domain.Key{domain.French}, MaxCRS: 480, Lang: "fr"})
	db.AddAlert(ctx, domain.Alert{Platform: domain.Telegram, Owner: "77", Destination: "77"})
	if err := db.SetChatLanguage(ctx, domain.Telegram, user, "fr"); err != nil {
		t.Fatal(err)
	}
	db.Subscribe(ctx, domain.Subscription{Platform: domain.Telegram, Destination: "-100", CreatedBy: user})
	if err := db.SaveCRSProfile(ctx, domain.Telegram, user, "age=29", 470); err != nil {
		t.Fatal(err)
	}
	if err := db.SaveCRSSession(ctx, domain.Telegram, user, `{"age":"29"}`, time.Hour); err != nil {
		t.Fatal(err)
	}
	body := []byte(`{"update_id":9,"message":{"message_id":3,"from":{"id":` + user + `,"first_name":"Ana"},"chat":{"id":` + user + `,"type":"private"},"text":"/forget"}}`)
	other := []byte(`{"update_id":10,"message":{"message_id":4,"from":{"id":77},"chat":{"id":77,"type":"private"},"text":"hi"}}`)
	if _, err := db.KeepInbound(ctx, "telegram:1", 0, []domain.Inbound{{ID: 9, At: time.Now(), Body: body}, {ID: 10, At: time.Now(), Body: other}}); err != nil {
		t.Fatal(err)
	}
	db.Announce(ctx, "437")
	ds, _ := db.ClaimDeliveries(ctx, domain.Telegram, 10, time.Now())
	for _, d := range ds {
		if d.Sub.ID == a.ID {
			db.MarkSent(ctx, domain.Sent{Delivery: d, MessageID: "m" + user})
		}
	}
	if len(storetest.Mentions(t, store.Reader(db), user)) == 0 {
		t.Fatal("nothing named the person before Forget: the test proves nothing")
	}
	f, err := db.Forget(ctx, domain.Telegram, user, user)
	if err != nil {
		t.Fatal(err)
	}
	if f.Alerts != 1 || f.Deliveries != 1 || f.Settings != 1 || !f.CRSProfile || !f.CRSSession || f.Mentions != 1 || f.Inbox != 1 {
		t.Errorf("forgot %+v", f)
	}
	if left := storetest.Mentions(t, store.Reader(db), user); len(left) > 0 {
		t.Errorf("after Forget, rows still name the person:\n%s", left)
	}
	if subs, _ := db.Subscriptions(ctx, domain.Telegram, "-100"); len(subs) != 1 {
		t.Errorf("the channel's subscription went: %+v", subs)
	}
	if mine, _ := db.Alerts(ctx, domain.Telegram, "77"); len(mine) != 1 {
		t.Errorf("someone else's alert went: %+v", mine)
	}
	if waiting, _ := db.WaitingInbound(ctx, "telegram:1"); len(waiting) != 1 || waiting[0].ID != 10 {
		t.Errorf("inbox = %+v", waiting)
	}
	// Forgetting again finds nothing.
	if f, err := db.Forget(ctx, domain.Telegram, user, user); err != nil || f != (domain.Forgotten{}) {
		t.Errorf("again: %+v %v", f, err)
	}
}
