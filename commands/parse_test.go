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

func TestParseText(t *testing.T) {
	e := commandstest.New(t)
	tests := []struct {
		in   string
		cmd  string
		args string
		ok   bool
	}{
		{"is 33109 eligible", "eligible", "33109", true},
		{"is noc 33109 eligible?", "eligible", "33109", true},
		{"Is NOC 33109 eligible for a category?", "eligible", "33109", true},
		{"is nurse eligible", "eligible", "nurse", true},
		{"am i eligible with noc 21231", "eligible", "21231", true},
		{"33109 eligibility", "eligible", "33109", true},
		{"33109", "eligible", "33109", true},
		{"last healthcare cutoff", "cutoff", "healthcare", true},
		{"Last Healthcare cut-off?", "cutoff", "healthcare", true},
		{"what was the last french draw", "cutoff", "french", true},
		{"what's the latest stem crs", "cutoff", "stem", true},
		{"latest cec draw", "cutoff", "cec", true},
		{"last draw", "cutoff", "all", true},
		{"cutoff for stem", "cutoff", "stem", true},
		{"cutoff stem", "cutoff", "stem", true},
		{"/cutoff stem", "cutoff", "stem", true},
		{"/cutoff@EEBot stem", "cutoff", "stem", true},
		{"pnp cutoff", "cutoff", "pnp", true},
		{"healthcare", "cutoff", "healthcare", true},
		{"latest draws", "draws", "", true},
		{"draws 5 cec", "draws", "5 cec", true},
		{"pool", "pool", "", true},
		{"crs distribution", "pool", "", true},
		{"my score is 470", "match", "470", true},
		{"score 470 healthcare", "match", "470 healthcare", true},
		{"match 470 healthcare", "match", "470 healthcare", true},
		{"healthcare history", "history", "healthcare", true},
		{"categories", "categories", "", true},
		{"HELP", "help", "", true},
		{"about", "about", "", true},
		{"", "help", "", false},
		{"what is the meaning of life", "help", "", false},
		{"@everyone hello", "help", "", false},
	}
	for _, tc := range tests {
		cmd, args, ok := commands.ParseText(e, tc.in)
		if cmd != tc.cmd || args != tc.args || ok != tc.ok {
			t.Errorf("ParseText(%q) = %q %q %v, want %q %q %v", tc.in, cmd, args, ok, tc.cmd, tc.args, tc.ok)
		}
	}
}

// Questions reach the same answers as commands.
func TestAsk(t *testing.T) {
	e := commandstest.New(t)
	ctx := context.Background()
	tests := []struct {
		q, want string
		status  reply.Status
	}{
		{"is 33109 eligible", "NOC 33109: Other assisting occupations in support of health services", reply.StatusOK},
		{"last healthcare cutoff", "Express Entry draw #422: Healthcare and Social Services Occupations, 2026-Version 3", reply.StatusOK},
		{"what was the last french draw", "Express Entry draw #437", reply.StatusOK},
		{"cutoff for stem", "Express Entry draw #293", reply.StatusOK},
		{"latest draws", "Latest 10 draws", reply.StatusOK},
		{"tell me a joke", "What you can ask", reply.StatusHelp},
		{"cutoff for astrology", "I can't use that", reply.StatusInvalid},
	}
	for _, tc := range tests {
		r := e.Ask(ctx, tc.q, commands.Caller{})
		if !strings.HasPrefix(r.Title, tc.want) || r.Status != tc.status {
			t.Errorf("Ask(%q) = %v %q, want %v %q", tc.q, r.Status, r.Title, tc.status, tc.want)
		}
	}
	if r := e.Ask(ctx, "tell me a joke", commands.Caller{}); !strings.Contains(r.Summary, "didn't understand") {
		t.Errorf("unknown question summary = %q", r.Summary)
	}
}

func FuzzParseText(f *testing.F) {
	for _, s := range []string{"is 33109 eligible", "last healthcare cutoff", "/cutoff@Bot stem", "score 470 hc", "draws 5 cec", "history all 44", "\x00", "é"} {
		f.Add(s)
	}
	e := commandstest.New(f)
	f.Fuzz(func(t *testing.T, s string) {
		cmd, _, ok := commands.ParseText(e, s)
		if cmd == "" {
			t.Fatalf("ParseText(%q) gave no command", s)
		}
		if !ok && cmd != "help" {
			t.Fatalf("ParseText(%q) not ok but command %q", s, cmd)
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
