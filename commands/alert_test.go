package commands_test

import (
	"context"
	"strings"
	"testing"

	"github.com/eebot/eebot/commands"
	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/reply"
	"github.com/eebot/eebot/internal/store/storetest"
)

// A person's alerts, from what they type to what they read: set up only
// in a private chat, listed and removed by their owner alone, at most 10,
// and every word of the answer in their language.
func TestAlertCommands(t *testing.T) {
	t.Parallel()
	db := storetest.Store(t)
	e := commands.New(db)
	ctx := context.Background()
	ana := commands.Caller{Platform: domain.Telegram, UserID: "21", Destination: "21", Private: true}
	bob := commands.Caller{Platform: domain.Telegram, UserID: "22", Destination: "22", Private: true}
	elise := commands.Caller{Platform: domain.Telegram, UserID: "23", Destination: "23", Private: true, Locale: "fr"}
	inGroup := commands.Caller{Platform: domain.Telegram, UserID: "21", Destination: "-100", CanManage: true}
	steps := []struct {
		caller commands.Caller
		cmd    string
		args   string
		status reply.Status
		want   string
	}{
		{inGroup, "alert", "healthcare 470", reply.StatusInvalid, "Personal alerts are set up in a private chat with me"},
		{inGroup, "alerts", "", reply.StatusInvalid, "someone who manages it can use subscribe"},
		{consoleU, "alert", "", reply.StatusInvalid, "Personal alerts come through Telegram or Discord"},
		{ana, "alerts", "", reply.StatusNotFound, "You have no draw alerts"},
		{ana, "alert", "healthcare 470", reply.StatusOK, "🔔 I'll message you here for healthcare draws with a cutoff of 470 or less"},
		{ana, "alert", "470 healthcare", reply.StatusOK, "You had this alert already"},
		{ana, "alert", "", reply.StatusOK, "I'll message you here for every draw"},
		{ana, "alert", "astrology", reply.StatusInvalid, "“astrology” isn't a category I know"},
		{ana, "alert", "cec 2000", reply.StatusInvalid, "isn't a CRS threshold"},
		{ana, "alerts", "", reply.StatusOK, "You have 2 draw alerts"},
		{bob, "alerts", "", reply.StatusNotFound, "You have no draw alerts"},
		{ana, "alert", "off", reply.StatusHelp, "You have several draw alerts: which one should stop?"},
		{ana, "alert", "off 999", reply.StatusNotFound, "You have no alert #999"},
		{ana, "alert", "off x y", reply.StatusInvalid, "isn't one of your alerts"},
		{bob, "alert", "off all", reply.StatusNotFound, "nothing to remove"},
		{elise, "alert", "french 450", reply.StatusOK, "dont le seuil est de 450 ou moins"},
		{elise, "alerts", "", reply.StatusOK, "Arrêtez-en une avec /alert_off <numéro>"},
		{ana, "alert", "off all", reply.StatusOK, "Removed 2 of your draw alerts"},
		{elise, "forget", "", reply.StatusOK, "1 alerte, avec les publications en attente pour elle"},
		{elise, "forget", "", reply.StatusOK, "Je ne gardais rien sur vous."},
		{consoleU, "forget", "", reply.StatusInvalid, "There is nobody to forget here"},
	}
	for i, s := range steps {
		r := handle(e, ctx, call{Command: s.cmd, Args: s.args, Caller: s.caller})
		if r.Status != s.status || !strings.Contains(text(r), s.want) {
			t.Errorf("step %d %s %q: %v\n%s", i, s.cmd, s.args, r.Status, text(r))
		}
		if !r.Private {
			t.Errorf("step %d: alert replies should be private", i)
		}
	}
	if subs, _ := db.Subscriptions(ctx, "", ""); len(subs) != 0 {
		t.Errorf("left: %+v", subs)
	}

	// Ask to stop one of several: each is a button that removes it.
	handle(e, ctx, call{Command: "alert", Args: "stem", Caller: ana})
	handle(e, ctx, call{Command: "alert", Args: "cec", Caller: ana})
	r := handle(e, ctx, call{Command: "alert", Args: "off", Caller: ana})
	if len(r.Actions) != 3 || r.Actions[0].Command != "alert" || !strings.HasPrefix(r.Actions[0].Args, "off ") || r.Actions[2].Args != "off all" {
		t.Fatalf("which buttons: %+v", r.Actions)
	}
	if r := handle(e, ctx, call{Command: r.Actions[0].Command, Args: r.Actions[0].Args, Caller: ana}); !strings.Contains(text(r), "Removed 1 of your draw alerts") {
		t.Errorf("button press: %s", text(r))
	}
	if r := handle(e, ctx, call{Command: r.Actions[0].Command, Args: r.Actions[0].Args, Caller: bob}); r.Status != reply.StatusNotFound {
		t.Errorf("bob pressed ana's button: %s", text(r))
	}

	// Ten at most; asking again for one of them still works.
	for _, c := range []string{"healthcare", "french", "trades", "transport", "agriculture", "education", "physicians", "senior managers", "fsw"} {
		handle(e, ctx, call{Command: "alert", Args: c, Caller: ana})
	}
	if r := handle(e, ctx, call{Command: "alert", Args: "pnp", Caller: ana}); r.Status != reply.StatusInvalid || !strings.Contains(text(r), "You have 10 alerts already") {
		t.Errorf("an eleventh: %v %s", r.Status, text(r))
	}
	if r := handle(e, ctx, call{Command: "alert", Args: "fsw", Caller: ana}); r.Status != reply.StatusOK {
		t.Errorf("the same again: %v %s", r.Status, text(r))
	}

	// In a group, forget deletes as much and says less.
	if r := handle(e, ctx, call{Command: "forget", Caller: inGroup}); !strings.Contains(text(r), "I deleted everything I kept about you") || len(r.Lines) != 0 {
		t.Errorf("forget in a group: %s", text(r))
	}
	if mine, _ := db.Alerts(ctx, domain.Telegram, "21"); len(mine) != 0 {
		t.Errorf("after forget in a group: %+v", mine)
	}
}

// A person's own post is the channel post plus how to stop it, in the
// language of the alert, and the channel post says nothing of alerts.
func TestAlertPost(t *testing.T) {
	t.Parallel()
	e := commands.New(storetest.Store(t))
	ctx := context.Background()
	channel := domain.Delivery{Number: "437", Kind: domain.PostNew, Sub: domain.Subscription{Platform: domain.Telegram, Destination: "-100"}}
	person := channel
	person.Sub = domain.Subscription{Platform: domain.Telegram, Destination: "21", Priority: domain.AlertPriority}
	frDM := person
	frDM.Lang, frDM.Sub.Platform = "fr", domain.Discord
	c, err := e.RenderPost(ctx, channel)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := e.RenderPost(ctx, person)
	f, _ := e.RenderPost(ctx, frDM)
	if strings.Contains(c.Summary, "alert") || p.Title != c.Title || p.Summary != c.Summary+"\n\n🔔 Your alert. Stop: /alert_off · yours: /alerts" {
		t.Errorf("channel:\n%s\nperson:\n%s", c.Summary, p.Summary)
	}
	if !strings.HasPrefix(f.Title, "🆕 Tirage") || !strings.HasSuffix(f.Summary, "🔔 Votre alerte. Arrêter\u00a0: /alert off · les vôtres\u00a0: /alerts") {
		t.Errorf("French DM post:\n%s\n%s", f.Title, f.Summary)
	}
}
