package console_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/eebot/eebot/bot/console"
	"github.com/eebot/eebot/commands/commandstest"
)

func TestRunAnswersEachLine(t *testing.T) {
	e := commandstest.New(t)
	in := strings.NewReader("is 33109 eligible\n\nlast healthcare cutoff\nhistory healthcare\ngibberish words\n")
	var out bytes.Buffer
	if err := console.Run(context.Background(), e, in, &out); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{
		"❌ NOC 33109 is not on a current category list\nOther assisting occupations in support of health services · TEER 3\n",
		"Healthcare: CRS 475 · 4,000 invitations · Jun 25, 2026\n",
		"#422 · ▲8 vs the previous healthcare draw (467, Feb 20, 2026) · 56 days ago\n",
		"  Official round #422: https://www.canada.ca/en/immigration-refugees-citizenship/corporate/mandate/policies-operational-instructions-agreements/ministerial-instructions/express-entry-rounds/invitations.html?q=422\n",
		"  IRCC rounds feed · data as of Aug 20, 2026\n",
		"  422  Jun 25, 2026  3  475  4,000\n",
		"  Page 1 of 2 (next: history healthcare 2)\n",
		"I can't answer that\n",
		"  Try: ",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
	if n := strings.Count(got, "\n\n"); n != 4 {
		t.Errorf("%d answers separated, want 4", n)
	}
}

func TestAskExitStatus(t *testing.T) {
	e := commandstest.New(t)
	tests := []struct {
		q    string
		code int
		want string
	}{
		{"last healthcare cutoff", 0, "Healthcare: CRS 475"},
		{"cutoff researchers", 0, "No researchers draw yet"},
		{"eligible 99999", 2, "99999 isn't a NOC 2021 code"},
		{"dernier tirage santé", 0, "Santé\u00a0: SCG 475"},
		{"what is love", 2, "I can't answer that"},
	}
	for _, tc := range tests {
		var out bytes.Buffer
		if code := console.Ask(context.Background(), e, tc.q, &out); code != tc.code || !strings.Contains(out.String(), tc.want) {
			t.Errorf("Ask(%q) = %d\n%s", tc.q, code, out.String())
		}
	}
}

func TestRunRefusesHugeLine(t *testing.T) {
	e := commandstest.New(t)
	var out bytes.Buffer
	err := console.Run(context.Background(), e, strings.NewReader(strings.Repeat("a", 10000)+"\n"), &out)
	if err == nil || !strings.Contains(err.Error(), "longer than") {
		t.Errorf("err = %v", err)
	}
}
