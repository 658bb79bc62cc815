package commands_test

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/eebot/eebot/commands"
	"github.com/eebot/eebot/commands/commandstest"
	"github.com/eebot/eebot/internal/reply"
)

// Typed lines and the question shapes the first version knew still become
// the same requests.
func TestUnderstandKnownShapes(t *testing.T) {
	e := commandstest.New(t)
	tests := []struct{ in, want string }{
		{"is 33109 eligible", "eligible 33109"},
		{"is noc 33109 eligible?", "eligible 33109"},
		{"Is NOC 33109 eligible for a category?", "eligible 33109"},
		{"is nurse eligible", "eligible nurse"},
		{"am i eligible with noc 21231", "eligible 21231"},
		{"33109 eligibility", "eligible 33109"},
		{"33109", "eligible 33109"},
		{"last healthcare cutoff", "cutoff healthcare"},
		{"Last Healthcare cut-off?", "cutoff healthcare"},
		{"what was the last french draw", "cutoff french"},
		{"what's the latest stem crs", "cutoff stem"},
		{"latest cec draw", "cutoff cec"},
		{"last draw", "cutoff all"},
		{"cutoff for stem", "cutoff for stem"},
		{"cutoff stem", "cutoff stem"},
		{"/cutoff stem", "cutoff stem"},
		{"/cutoff@EEBot stem", "cutoff stem"},
		{"pnp cutoff", "cutoff pnp"},
		{"healthcare", "cutoff healthcare"},
		{"latest draws", "draws"},
		{"draws 5 cec", "draws 5 cec"},
		{"pool", "pool"},
		{"crs distribution", "pool"},
		{"my score is 470", "match 470"},
		{"score 470 healthcare", "match 470 healthcare"},
		{"match 470 healthcare", "match 470 healthcare"},
		{"healthcare history", "history healthcare"},
		{"categories", "categories"},
		{"HELP", "help"},
		{"about", "about"},
		{"", "empty"},
		{"what is the meaning of life", "decline"},
		{"@everyone hello", "decline"},
	}
	for _, tc := range tests {
		if got, _ := commands.Understand(e, tc.in); got != tc.want {
			t.Errorf("Understand(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// Questions reach the same answers as commands; what the bot cannot place
// gets a short reply with three suggestions, never the whole help.
func TestAsk(t *testing.T) {
	e := commandstest.New(t)
	ctx := context.Background()
	tests := []struct {
		q, want string
		status  reply.Status
	}{
		{"is 33109 eligible", "❌ NOC 33109 is not on a current category list", reply.StatusOK},
		{"last healthcare cutoff", "Healthcare: CRS 475 · 4,000 invitations · Jun 25, 2026", reply.StatusOK},
		{"what was the last french draw", "French-language: CRS 382", reply.StatusOK},
		{"cutoff for stem", "STEM: CRS 491", reply.StatusOK},
		{"latest draws", "Last 10 Express Entry draws", reply.StatusOK},
		{"tell me a joke", "I can't answer that", reply.StatusHelp},
		{"cutoff for astrology", "“astrology” isn't a category I know", reply.StatusInvalid},
		{"dernier tirage santé ?", "Santé : SCG 475", reply.StatusOK},
		{"combien de tirages en 2025", "Tous les tirages en 2025 : 58 tirages", reply.StatusOK},
		{"bonjour", "Bonjour !", reply.StatusOK},
		{"healthcare 2025", "Which did you mean?", reply.StatusHelp},
		{"what will the next cec cutoff be", "Nobody can know that", reply.StatusHelp},
		{"my crs is 2025", "That isn't a CRS score", reply.StatusHelp},
	}
	for _, tc := range tests {
		r := e.Ask(ctx, tc.q, commands.Caller{})
		if !strings.HasPrefix(spaced(r.Title), tc.want) || r.Status != tc.status {
			t.Errorf("Ask(%q) = %v %q, want %v %q", tc.q, r.Status, r.Title, tc.status, tc.want)
		}
	}
	r := e.Ask(ctx, "tell me a joke", commands.Caller{})
	if len(r.Choices) != 3 || len(r.Actions) != 3 || len(r.Lines) != 0 || strings.Count(r.Summary, "\n") != 0 {
		t.Errorf("a declined question should get two lines and three suggestions: %+v", r)
	}
	for _, a := range r.Actions {
		if got := e.Command(ctx, a.Command, a.Args, 0, commands.Caller{}); got.Status != reply.StatusOK {
			t.Errorf("suggestion %q does not answer: %s", a.Label, got.Title)
		}
	}
	r = e.Ask(ctx, "healthcare 2025", commands.Caller{})
	if len(r.Actions) != 2 || r.Actions[0].Command != "draws" || r.Actions[1].Command != "stats" {
		t.Errorf("clarification buttons: %+v", r.Actions)
	}
	// A press of a clarification button runs that reading.
	if got := e.Command(ctx, r.Actions[1].Command, r.Actions[1].Args, 0, commands.Caller{}); !strings.HasPrefix(got.Title, "Healthcare in 2025: 7 draws") {
		t.Errorf("pressed %+v: %q", r.Actions[1], got.Title)
	}
}

// The question reader never panics and always gives a verdict.
func FuzzUnderstand(f *testing.F) {
	for _, s := range []string{"is 33109 eligible", "last healthcare cutoff", "/cutoff@Bot stem", "score 470 hc", "draws 5 cec", "history all 44",
		"\x00", "é", "combien de candidats entre 451 et 500", "8 500 invitations", "600+", "451-500", "l'an dernier", "depuis 2024", "last 12 months"} {
		f.Add(s)
	}
	e := commandstest.New(f)
	f.Fuzz(func(t *testing.T, s string) {
		if got, _ := commands.Understand(e, s); got == "" {
			t.Fatalf("Understand(%q) gave nothing", s)
		}
	})
}

// Any input gives a well-formed reply and never panics or leaks internals.
func FuzzAsk(f *testing.F) {
	e := commandstest.New(f)
	for _, s := range []string{"is 33109 eligible", "eligible 3310", "noc \"*", "match 99999999999999999999", "history all 9999", "draws -1", "cutoff ' OR 1=1 --", "noc NEAR(a b)", "eligible é"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r := e.Ask(context.Background(), s, commands.Caller{})
		if r.Status == reply.StatusInternal {
			t.Fatalf("Ask(%q) failed internally", s)
		}
		if r.Title == "" || !utf8.ValidString(r.Title+r.Summary) && utf8.ValidString(s) {
			t.Fatalf("Ask(%q) = %+v", s, r)
		}
	})
}
