package commands_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/eebot/eebot/commands"
	"github.com/eebot/eebot/commands/commandstest"
	"github.com/eebot/eebot/data"
	"github.com/eebot/eebot/internal/reply"
	"github.com/eebot/eebot/internal/store/storetest"
)

// feedRound is the part of IRCC's feed the golden answers are computed
// from, read here straight from the embedded JSON (not through the bot's
// parser), so the test checks the bot against the data, not against itself.
type feedRound struct {
	Number string `json:"drawNumber"`
	Date   string `json:"drawDate"`
	Name   string `json:"drawName"`
	Size   string `json:"drawSize"`
	CRS    string `json:"drawCRS"`
	DD     map[string]string
}

func rounds(t *testing.T) []feedRound {
	t.Helper()
	b, err := data.Files.ReadFile(data.IRCCFeed)
	if err != nil {
		t.Fatal(err)
	}
	var feed struct {
		Rounds []map[string]any `json:"rounds"`
	}
	if err := json.Unmarshal(b, &feed); err != nil {
		t.Fatal(err)
	}
	var out []feedRound
	for _, r := range feed.Rounds {
		s := func(k string) string { v, _ := r[k].(string); return v }
		fr := feedRound{Number: s("drawNumber"), Date: s("drawDate"), Name: s("drawName"), Size: s("drawSize"), CRS: s("drawCRS"), DD: map[string]string{}}
		for k := range r {
			if strings.HasPrefix(k, "dd") {
				fr.DD[k] = s(k)
			}
		}
		out = append(out, fr)
	}
	return out
}

func num(s string) int {
	n, _ := strconv.Atoi(strings.ReplaceAll(s, ",", ""))
	return n
}

// what the golden answers say of a set of rounds
func facts(rs []feedRound) (draws, invitations, lo, med, mean, hi int) {
	var crs []int
	total := 0
	for _, r := range rs {
		invitations += num(r.Size)
		crs = append(crs, num(r.CRS))
		total += num(r.CRS)
	}
	slices.Sort(crs)
	n := len(crs)
	med = crs[n/2]
	if n%2 == 0 {
		med = (crs[n/2-1] + crs[n/2]) / 2
	}
	return n, invitations, crs[0], med, (total + n/2) / n, crs[n-1]
}

func where(rs []feedRound, keep func(feedRound) bool) []feedRound {
	var out []feedRound
	for _, r := range rs {
		if keep(r) {
			out = append(out, r)
		}
	}
	return out
}

func TestGoldenStats(t *testing.T) {
	e := commandstest.New(t)
	all := rounds(t)
	year := func(y string) func(feedRound) bool {
		return func(r feedRound) bool { return strings.HasPrefix(r.Date, y) }
	}
	cec := func(r feedRound) bool { return r.Name == "Canadian Experience Class" }
	health := func(r feedRound) bool { return strings.HasPrefix(strings.ToLower(r.Name), "healthcare") }
	now := storetest.Now().Format(time.DateOnly)
	tests := []struct {
		line string
		rs   []feedRound
	}{
		{"stats 2025", where(all, year("2025"))},
		{"stats this year", where(all, func(r feedRound) bool { return year("2026")(r) && r.Date <= now })},
		{"stats cec 2024", where(all, func(r feedRound) bool { return cec(r) && year("2024")(r) })},
		{"stats healthcare ever", where(all, health)},
		{"stats french 2026", where(all, func(r feedRound) bool { return year("2026")(r) && strings.HasPrefix(r.Name, "French") })},
	}
	for _, tc := range tests {
		cmd, args, _ := strings.Cut(tc.line, " ")
		r := e.Command(context.Background(), cmd, args, 0, commands.Caller{})
		if r.Status != reply.StatusOK {
			t.Fatalf("%s: %v %s", tc.line, r.Status, r.Summary)
		}
		n, inv, lo, med, mean, hi := facts(tc.rs)
		// The answer is the headline: how many draws and invitations.
		if want := fmt.Sprintf(": %d draws · %s invitations", n, commas(inv)); !strings.HasSuffix(r.Title, want) {
			t.Errorf("%s: headline %q, want …%q (from the feed)", tc.line, r.Title, want)
		}
		if want := fmt.Sprintf("Cutoffs: lowest %d · median %d · mean %d · highest %d", lo, med, mean, hi); r.Summary != want {
			t.Errorf("%s: %q, want %q (from the feed)", tc.line, r.Summary, want)
		}
	}
	// 2025 against 2024, as the comparison line says.
	r := e.Command(context.Background(), "stats", "2025", 0, commands.Caller{})
	n, inv, _, _, _, _ := facts(where(all, year("2024")))
	if want := fmt.Sprintf("In 2024: %d draws, %s invitations", n, commas(inv)); !strings.Contains(strings.Join(r.Lines, "\n"), want) {
		t.Errorf("comparison with 2024 = %q, want %q", r.Lines, want)
	}
}

func TestGoldenPoolRanges(t *testing.T) {
	e := commandstest.New(t)
	latest := rounds(t)[0] // the feed lists the newest round first, with the latest distribution
	dd := func(ks ...int) int {
		s := 0
		for _, k := range ks {
			s += num(latest.DD["dd"+strconv.Itoa(k)])
		}
		return s
	}
	// dd1 601-1200, dd2 501-600, dd4…dd8 491-500 … 451-460, dd10…dd14 441-450 … 401-410,
	// dd15 351-400, dd16 301-350, dd17 0-300, dd18 the total.
	tests := []struct {
		args, title string
	}{
		{"above 500", fmt.Sprintf("Candidates above 500: %s", commas(dd(1, 2)))},
		{"above 470", fmt.Sprintf("Candidates above 470: %s", commas(dd(1, 2, 4, 5, 6)))},
		{"above 475", fmt.Sprintf("Candidates above 475: between %s and %s", commas(dd(1, 2, 4, 5)), commas(dd(1, 2, 4, 5, 6)))},
		{"between 451 500", fmt.Sprintf("Candidates between 451 and 500: %s", commas(dd(4, 5, 6, 7, 8)))},
		{"between 401 and 450", fmt.Sprintf("Candidates between 401 and 450: %s", commas(dd(10, 11, 12, 13, 14)))},
	}
	for _, tc := range tests {
		r := e.Command(context.Background(), "pool", tc.args, 0, commands.Caller{})
		if r.Title != tc.title || !strings.Contains(r.Summary, commas(dd(18))) {
			t.Errorf("pool %s: %q / %q, want %q", tc.args, r.Title, r.Summary, tc.title)
		}
	}
}

func TestGoldenNext(t *testing.T) {
	e := commandstest.New(t)
	hc := where(rounds(t), func(r feedRound) bool { return strings.HasPrefix(strings.ToLower(r.Name), "healthcare") })
	last, _ := time.Parse(time.DateOnly, hc[0].Date)
	days := int(storetest.Now().Truncate(24*time.Hour).Sub(last) / (24 * time.Hour))
	yearAgo := storetest.Now().AddDate(-1, 0, 0).Format(time.DateOnly)
	recent := where(hc, func(r feedRound) bool { return r.Date >= yearAgo })
	r := e.Command(context.Background(), "next", "healthcare", 0, commands.Caller{})
	if !strings.Contains(r.Summary, "nobody can know") {
		t.Errorf("next does not say the date is unknowable: %q", r.Summary)
	}
	last, _ = time.Parse(time.DateOnly, hc[0].Date)
	if want := fmt.Sprintf("Healthcare: last draw %d days ago (CRS %s, %s)", days, hc[0].CRS, last.Format("Jan 2, 2006")); !strings.HasPrefix(r.Title, want) {
		t.Errorf("headline %q, want %q", r.Title, want)
	}
	if want := fmt.Sprintf("Last 12 months: %d draws", len(recent)); !strings.HasPrefix(r.Lines[0], want) {
		t.Errorf("draws in 12 months = %q, want %q", r.Lines[0], want)
	}
	for _, bad := range []string{"will be on", "expected on", "predict"} {
		if strings.Contains(strings.ToLower(r.Summary+r.Title), bad) {
			t.Errorf("next sounds like a prediction: %q", r.Summary)
		}
	}
}

func commas(n int) string {
	s := strconv.Itoa(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
