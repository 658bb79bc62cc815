package commands_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/eebot/eebot/commands"
	"github.com/eebot/eebot/internal/store/storetest"
)

// In a fleet, /about says in one line which replica answered and which
// leads, in the asker's language; a single instance says nothing of it.
func TestAboutFleet(t *testing.T) {
	db := storetest.Store(t)
	var replica, leader string
	show := true
	e := commands.New(db, commands.WithClock(storetest.Now), commands.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))),
		commands.WithFleet(func() (string, string, bool) { return replica, leader, show }))
	tests := []struct {
		replica, leader string
		show            bool
		locale          string
		want            string
	}{
		{"web-2", "web-1", true, "", "Answered by replica web-2; replica web-1 leads (checks IRCC)"},
		{"web-1", "web-1", true, "", "Answered by replica web-1, which leads (checks IRCC)"},
		{"web-2", "", true, "", "Answered by replica web-2; no replica leads right now"},
		{"web-2", "web-1", true, "fr", "Réponse de l’instance web-2 ; l’instance principale (qui consulte IRCC) est web-1"},
		{"web-1", "web-1", true, "fr", "Réponse de l’instance web-1, l’instance principale (qui consulte IRCC)"},
		{"web-2", "", true, "fr", "Réponse de l’instance web-2 ; pas d’instance principale en ce moment"},
		{"host-42", "host-42", false, "", ""},
	}
	for _, tc := range tests {
		replica, leader, show = tc.replica, tc.leader, tc.show
		r := handle(e, context.Background(), call{Command: "about", Caller: commands.Caller{Locale: tc.locale}})
		got := text(r)
		lines := strings.Split(spaced(r.Summary), "\n")
		if tc.want == "" {
			if strings.Contains(got, "replica") || len(lines) != 2 {
				t.Errorf("%+v: a single instance's about says:\n%s", tc, got)
			}
			continue
		}
		if len(lines) != 3 || lines[2] != tc.want {
			t.Errorf("%+v: summary %q, want its last line %q", tc, r.Summary, tc.want)
		}
	}
}
