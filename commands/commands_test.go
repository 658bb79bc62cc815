package commands_test

import (
	"context"
	"strings"
	"testing"

	"github.com/eebot/eebot/commands"
	"github.com/eebot/eebot/commands/commandstest"
	"github.com/eebot/eebot/internal/reply"
)

// call is a command typed as text, as the console, Telegram and the bot's
// buttons send it.
type call struct {
	Command, Args string
	Page          int
	Caller        commands.Caller
}

func handle(e *commands.Engine, ctx context.Context, c call) reply.Reply {
	return e.Command(ctx, c.Command, c.Args, c.Page, c.Caller)
}

// text is everything a user reads in a reply, for substring checks.
func text(r reply.Reply) string {
	var b strings.Builder
	b.WriteString(r.Title + "\n" + r.Summary + "\n")
	for _, f := range r.Fields {
		b.WriteString(f.Name + ": " + f.Value + "\n")
	}
	if r.Table != nil {
		for _, row := range r.Table.Rows {
			b.WriteString(strings.Join(row, " | ") + "\n")
		}
	}
	for _, l := range r.Lines {
		b.WriteString(l + "\n")
	}
	for _, l := range r.Links {
		b.WriteString(l.Label + " " + l.URL + "\n")
	}
	b.WriteString(r.Note + "\n" + r.Source + " " + r.AsOf + "\n" + r.Footer)
	return spaced(b.String())
}

// spaced reads French no-break spaces (digit groups, dates, before
// colons) as spaces, so expectations stay readable.
func spaced(s string) string { return strings.ReplaceAll(s, "\u00a0", " ") }

const roundURL = "https://www.canada.ca/en/immigration-refugees-citizenship/corporate/mandate/policies-operational-instructions-agreements/ministerial-instructions/express-entry-rounds/invitations.html?q="

func TestCutoff(t *testing.T) {
	e := commandstest.New(t)
	tests := []struct {
		args                  string
		number, headline, chg string
		category              string
	}{
		{"healthcare", "422", "Healthcare: CRS 475 · 4,000 invitations · Jun 25, 2026", "▲8 vs the previous healthcare draw (467, Feb 20, 2026)", "healthcare"},
		{"health", "422", "Healthcare: CRS 475 · 4,000 invitations · Jun 25, 2026", "▲8 vs the previous healthcare draw (467, Feb 20, 2026)", "healthcare"},
		{"HC", "422", "Healthcare: CRS 475 · 4,000 invitations · Jun 25, 2026", "▲8 vs the previous healthcare draw (467, Feb 20, 2026)", "healthcare"},
		{"Healthcare and social services", "422", "Healthcare: CRS 475 · 4,000 invitations · Jun 25, 2026", "▲8 vs the previous healthcare draw (467, Feb 20, 2026)", "healthcare"},
		{"french", "437", "French-language: CRS 382 · 5,000 invitations · Aug 19, 2026", "▼9 vs the previous French-language draw (391, Aug 6, 2026)", "french"},
		{"francophone", "437", "French-language: CRS 382 · 5,000 invitations · Aug 19, 2026", "▼9 vs the previous French-language draw (391, Aug 6, 2026)", "french"},
		{"cec", "436", "CEC: CRS 523 · 1,000 invitations · Aug 18, 2026", "", "cec"},
		{"pnp", "435", "PNP: CRS 760 · 442 invitations · Aug 17, 2026", "", "pnp"},
		{"transport", "434", "Transport: CRS 470 · 300 invitations · Aug 7, 2026", "", "transport"},
		{"transportation", "434", "Transport: CRS 470 · 300 invitations · Aug 7, 2026", "", "transport"},
		{"trades", "408", "Trades: CRS 477 · 3,000 invitations · Apr 2, 2026", "", "trades"},
		{"trade", "408", "Trades: CRS 477 · 3,000 invitations · Apr 2, 2026", "", "trades"},
		{"stem", "293", "STEM: CRS 491 · 4,500 invitations · Apr 11, 2024", "", "stem"},
		{"agriculture", "285", "Agriculture: CRS 437 · 150 invitations · Feb 16, 2024", "", "agriculture"},
		{"education", "367", "Education: CRS 462 · 2,500 invitations · Sep 17, 2025", "", "education"},
		{"physicians", "421", "Physicians: CRS 223 · 271 invitations · Jun 24, 2026", "", "physicians"},
		{"senior managers", "426", "Senior managers: CRS 392 · 500 invitations · Jul 10, 2026", "", "senior_managers"},
		{"military", "430", "Military recruits: CRS 368 · 4 invitations · Jul 23, 2026", "the first military draw", "military"},
		{"general", "294", "General: CRS 529 · 2,095 invitations · Apr 23, 2024", "", "general"},
		{"fsw", "240", "FSW: CRS 489 · 3,300 invitations · Feb 2, 2023", "the first FSW draw", "fsw"},
		{"fst", "159", "FST: CRS 415 · 250 invitations · Aug 6, 2020", "", "fst"},
		{"all", "437", "Latest draw, French-language: CRS 382 · 5,000 invitations · Aug 19, 2026", "", "french"},
	}
	for _, tc := range tests {
		t.Run(tc.args, func(t *testing.T) {
			r := handle(e, context.Background(), call{Command: "cutoff", Args: tc.args})
			if r.Status != reply.StatusOK {
				t.Fatalf("status %v: %s", r.Status, text(r))
			}
			// The answer is the first line: category, cutoff, invitations, date.
			if r.Title != tc.headline || !strings.HasPrefix(r.Summary, "#"+tc.number+" · ") {
				t.Errorf("got %q / %q", r.Title, r.Summary)
			}
			if tc.chg != "" && !strings.Contains(r.Summary, tc.chg) {
				t.Errorf("change missing: %q", r.Summary)
			}
			if r.URL != roundURL+tc.number || r.Category != tc.category || r.AsOf != "2026-08-20" || r.Footer != "IRCC rounds feed · data as of Aug 20, 2026" {
				t.Errorf("url %q category %q asOf %q footer %q", r.URL, r.Category, r.AsOf, r.Footer)
			}
			if !strings.Contains(text(r), "Tie-break: ") {
				t.Error("no tie-break")
			}
		})
	}
}

func TestCutoffDetails(t *testing.T) {
	e := commandstest.New(t)
	ctx := context.Background()
	r := handle(e, ctx, call{Command: "cutoff", Args: "healthcare"})
	if !strings.Contains(text(r), "Tie-break: May 21, 2026 12:14:09 UTC") || !strings.Contains(text(r), "Round: Healthcare and Social Services Occupations, 2026-Version 3") {
		t.Errorf("tie-break and round name:\n%s", text(r))
	}
	if !strings.HasSuffix(r.Summary, "56 days ago") {
		t.Errorf("summary = %q", r.Summary)
	}
	// Each fact once: the date and the days since are not said twice.
	if strings.Count(text(r), "56 days") != 1 || strings.Count(text(r), "Jun 25, 2026") != 1 {
		t.Errorf("a fact repeats:\n%s", text(r))
	}
	// STEM has not drawn since April 2024: the answer says how long, once.
	r = handle(e, ctx, call{Command: "cutoff", Args: "stem"})
	if !strings.Contains(r.Summary, "861 days ago") || strings.Count(text(r), "861") != 1 {
		t.Errorf("stale STEM answer:\n%s", text(r))
	}
	// A category that never drew is a clear "not found", not an error.
	r = handle(e, ctx, call{Command: "cutoff", Args: "researchers"})
	if r.Status != reply.StatusNotFound || r.Title != "No researchers draw yet" {
		t.Errorf("researchers = %v %q", r.Status, r.Title)
	}
	// Draws 1-76 have no tie-break at all.
	r = handle(e, ctx, call{Command: "draws", Args: "1 no program"})
	if r.Status != reply.StatusOK || r.Table.Rows[0][0] != "268" {
		t.Errorf("no-program draws = %s", text(r))
	}
}

// The same answer in French: official French names, numbers and dates.
func TestCutoffFrench(t *testing.T) {
	e := commandstest.New(t)
	r := e.Command(context.Background(), "cutoff", "healthcare", 0, commands.Caller{Locale: "fr"})
	want := []string{"Santé : SCG 475 · 4 000 invitations · 25 juin 2026",
		"nº 422 · ▲8 par rapport au tirage santé précédent (467, 20 février 2026) · il y a 56 jours",
		"Ronde : Professions de la santé et des services sociaux 2026-version 3",
		"Départage : 21 mai 2026 à 12:14:09 UTC", "Flux des rondes d’IRCC · données au 20 août 2026"}
	for _, w := range want {
		if !strings.Contains(text(r)+r.Footer, w) {
			t.Errorf("missing %q in:\n%s", w, text(r))
		}
	}
	if r.Lang != "fr" {
		t.Errorf("lang = %q", r.Lang)
	}
	// Transport 2026's French name is not known: the English one is shown.
	r = e.Command(context.Background(), "cutoff", "transport", 0, commands.Caller{Locale: "fr"})
	if !strings.Contains(text(r), "Ronde : Transport Occupations, 2026-Version 2") {
		t.Errorf("transport:\n%s", text(r))
	}
}

func TestEligible(t *testing.T) {
	e := commandstest.New(t)
	tests := []struct {
		args    string
		status  reply.Status
		title   string
		want    []string
		notWant []string
	}{
		{"33109", reply.StatusOK, "❌ NOC 33109 is not on a current category list",
			[]string{"Other assisting occupations in support of health services · TEER 3", "Was on Healthcare occupations (Version 1), May 31, 2023 to Feb 27, 2025",
				"Not on version 3, in force since Feb 18, 2026", "Latest healthcare draw: CRS 475 on Jun 25, 2026 (#422)",
				"under a list with this code: CRS 463 on Nov 20, 2024 (#327)", "CEC, FSW, PNP and general draws are still open to it"},
			[]string{"Listed since"}},
		{"noc 33109", reply.StatusOK, "❌ NOC 33109", nil, nil},
		{"31301", reply.StatusOK, "✅ NOC 31301 is on the current Healthcare list",
			[]string{"Registered nurses and registered psychiatric nurses · TEER 1",
				"Listed since Feb 18, 2026 (version 3) · 12 months in a listed job within 3 years",
				"Also on earlier lists: version 1 (2023 to 2025) and version 2 (2025 to 2026)", "Latest healthcare draw: CRS 475 on Jun 25, 2026 (#422)"},
			[]string{"Not on", "CEC, FSW"}},
		{"63201", reply.StatusOK, "✅ NOC 63201 is on the current Trades list",
			[]string{"Butchers - retail and wholesale", "Agriculture: was on Agriculture and agri-food occupations (Version 1), May 31, 2023 to Feb 27, 2025", "Agriculture: no list in force",
				"Trades: listed since Feb 18, 2026 (version 3)"}, nil},
		{"21231", reply.StatusOK, "❌ NOC 21231", []string{"Was on STEM occupations (Version 1)", "Not on version 3, number inferred, in force since"}, nil},
		{"00012", reply.StatusOK, "✅ NOC 00012", []string{"Listed since", "(version 1)", "CRS 392 on Jul 10, 2026 (#426)"}, nil},
		{"41200", reply.StatusOK, "✅ NOC 41200 is on the current Researchers list", []string{"No researchers draw yet"}, nil},
		{"65200", reply.StatusOK, "❌ NOC 65200 is on no Express Entry category list", []string{"TEER 5 work is not skilled work"}, nil},
		{"registered nurses", reply.StatusOK, "✅ NOC 31301", nil, nil},
		{"nurse", reply.StatusOK, "“nurse”: best match",
			[]string{"31301 Registered nurses and registered psychiatric nurses (TEER 1): eligible now (Healthcare v3)",
				"32101 Licensed practical nurses (TEER 2): eligible now (Healthcare v3)"}, nil},
		{"99999", reply.StatusInvalid, "99999 isn't a NOC 2021 code", []string{"Search by job title instead: noc nurse"}, []string{"90010"}},
		{"3310", reply.StatusInvalid, "“3310” isn't a NOC code: NOC 2021 codes have five digits", []string{"Codes that start the same way:", "33100 Dental assistants"}, nil},
		{"331090", reply.StatusInvalid, "", []string{"five digits"}, nil},
		{"abc", reply.StatusInvalid, "No NOC 2021 unit group matches “abc”", nil, nil},
		{"nursse", reply.StatusInvalid, "No NOC 2021 unit group matches “nursse”", []string{"Did you mean", "Nurse"}, nil},
		{"<b>&@everyone", reply.StatusInvalid, "", []string{"Try a five-digit NOC code"}, []string{"Did you mean"}},
		{"", reply.StatusInvalid, "", []string{"Which occupation?"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.args, func(t *testing.T) {
			r := handle(e, context.Background(), call{Command: "eligible", Args: tc.args})
			got := text(r)
			if r.Status != tc.status || !strings.HasPrefix(r.Title, tc.title) {
				t.Fatalf("status %v title %q:\n%s", r.Status, r.Title, got)
			}
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("missing %q in:\n%s", w, got)
				}
			}
			for _, w := range tc.notWant {
				if strings.Contains(got, w) {
					t.Errorf("unexpected %q in:\n%s", w, got)
				}
			}
			if r.Status == reply.StatusOK && (r.AsOf == "" || len(r.Links) == 0 && r.Footer == "") {
				t.Errorf("answer without source or as-of: %+v", r)
			}
			if r.Status == reply.StatusInvalid && !r.Private {
				t.Error("errors should be private")
			}
		})
	}
}

func TestDrawsHistoryPoolMatch(t *testing.T) {
	e := commandstest.New(t)
	ctx := context.Background()
	tests := []struct {
		req    call
		status reply.Status
		want   []string
	}{
		{call{Command: "draws"}, reply.StatusOK, []string{"Last 10 Express Entry draws: newest CRS 382 on Aug 19, 2026", "437 | Aug 19 | French | 382 | 5,000", "428 | Jul 21 | CEC | 516 | 2,000"}},
		{call{Command: "draws", Args: "3 healthcare"}, reply.StatusOK, []string{"Last 3 healthcare draws: newest CRS 475 on Jun 25, 2026", "422 | Jun 25, 2026 | 3 | 475 | 4,000", "385 | Dec 11, 2025 | 2 | 476 | 1,000"}},
		{call{Command: "draws", Args: "pnp 2"}, reply.StatusOK, []string{"435 | Aug 17 | 760 | 442", "431 | Aug 4 | 768 | 507"}},
		{call{Command: "draws", Args: "0"}, reply.StatusInvalid, []string{"1 to 25"}},
		{call{Command: "draws", Args: "99"}, reply.StatusInvalid, []string{"1 to 25"}},
		{call{Command: "draws", Args: "astrology"}, reply.StatusInvalid, []string{"“astrology” isn't a category I know"}},
		{call{Command: "draws", Args: "researchers"}, reply.StatusNotFound, []string{"No researchers draw yet"}},
		{call{Command: "history", Args: "healthcare"}, reply.StatusOK, []string{"15 healthcare draws since Jun 28, 2023 · newest CRS 475 on Jun 25, 2026", "Page 1 of 2", "345 | May 2, 2025 | 2 | 510 | 500", "327 | Nov 20, 2024 | 1 | 463 | 3,000"}},
		{call{Command: "history", Args: "healthcare", Page: 2}, reply.StatusOK, []string{"Page 2 of 2", "252 | Jun 28, 2023 | 1 | 476 | 500"}},
		{call{Command: "history", Args: "healthcare 3"}, reply.StatusInvalid, []string{"Pick a page from 1 to 2"}},
		{call{Command: "history", Args: "all", Page: 44}, reply.StatusOK, []string{"Page 44 of 44", "8 | Apr 17 | None | 453 | 715", "1 | Jan 31 | None | 886 | 779"}},
		{call{Command: "history", Args: "fst", Page: 1}, reply.StatusOK, []string{"91a | May 30, 2018 | 288 | 500"}},
		{call{Command: "draws", Args: "pnp 25"}, reply.StatusOK, []string{"Last 25 PNP draws"}},
		{call{Command: "history"}, reply.StatusInvalid, []string{"Which category?"}},
		{call{Command: "pool"}, reply.StatusOK, []string{"226,859 candidates in the pool on Aug 16, 2026 (▼2,241 since Aug 3, 2026)", "19,096 of them above 500", "601-1200 | 439 | -61", "0-300 | 7,709 | +26"}},
		{call{Command: "match", Args: "470 healthcare"}, reply.StatusOK, []string{"470 would have cleared 4 of the last 10 healthcare draws", "lowest 462 · median 473 · highest 510 · latest 475 (#422, Jun 25, 2026)", "not a prediction"}},
		{call{Command: "match", Args: "600"}, reply.StatusOK, []string{"600 would have cleared 10 of the last 10 draws open to most candidates", "Counted: CEC, FSW and general draws"}},
		{call{Command: "match", Args: "abc"}, reply.StatusInvalid, []string{"isn't a CRS score"}},
		{call{Command: "match", Args: "1300 cec"}, reply.StatusInvalid, []string{"0 to 1200"}},
		{call{Command: "match", Args: "-5"}, reply.StatusInvalid, []string{"0 to 1200"}},
		{call{Command: "match", Args: "450 researchers"}, reply.StatusNotFound, []string{"No researchers draws to compare with yet"}},
		{call{Command: "noc", Args: "331"}, reply.StatusOK, []string{"33100 Dental assistants", "33109 Other assisting occupations in support of health services (TEER 3): on past lists only"}},
		{call{Command: "noc", Args: "infirmière"}, reply.StatusOK, []string{"31301"}},
		{call{Command: "noc", Args: "zzzzqqq"}, reply.StatusNotFound, []string{"No NOC 2021 unit group matches"}},
		{call{Command: "noc", Args: "999"}, reply.StatusInvalid, []string{"No NOC 2021 unit group matches “999”"}},
		{call{Command: "oinp", Args: "3"}, reply.StatusOK, []string{"Ontario (OINP): latest draw I have is from Feb 2, 2026, 199 days ago",
			"Feb 2, 2026 · Foreign worker · 129 invitations · score 33+ · Physicians", "Feb 2, 2026 · Foreign worker · 14 invitations · score 44+ · Regional Economic Development through Immigration (REDI)", "not refreshed"}},
		{call{Command: "oinp", Args: "x"}, reply.StatusInvalid, []string{"1 to 25 Ontario draws"}},
		{call{Command: "categories"}, reply.StatusOK, []string{"10 categories in force", "Most need 12 months in a listed job within 3 years.", "Healthcare v3, since Feb 18, 2026: last draw CRS 475 on Jun 25, 2026 · 37 jobs", "No current version: Agriculture."}},
		{call{Command: "about"}, reply.StatusOK, []string{"Not legal or immigration advice", "Latest draw: #437 on Aug 19, 2026", "IRCC not checked yet"}},
		{call{Command: "help"}, reply.StatusOK, []string{"eligible 33109", "cutoff healthcare"}},
		{call{Command: "frobnicate"}, reply.StatusHelp, []string{"I don't know the command “frobnicate”"}},
		{call{Command: "cutoff", Args: strings.Repeat("x", 500)}, reply.StatusInvalid, []string{"too long"}},
	}
	for _, tc := range tests {
		t.Run(tc.req.Command+" "+tc.req.Args, func(t *testing.T) {
			r := handle(e, ctx, tc.req)
			got := text(r)
			if r.Status != tc.status {
				t.Fatalf("status %v, want %v:\n%s", r.Status, tc.status, got)
			}
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("missing %q in:\n%s", w, got)
				}
			}
		})
	}
	r := handle(e, ctx, call{Command: "history", Args: "healthcare"})
	if r.Pager == nil || r.Pager.Page != 1 || r.Pager.Pages != 2 || r.Pager.Args != "healthcare" || r.Pager.HasPrev() || !r.Pager.HasNext() {
		t.Errorf("pager = %+v", r.Pager)
	}
	if r := handle(e, ctx, call{Command: "match", Args: "470"}); !r.Private {
		t.Error("match answers are personal and should be private")
	}
}

func TestCategoryChoices(t *testing.T) {
	cs := commands.CategoryChoices()
	if len(cs) > 25 {
		t.Fatalf("%d choices; Discord allows 25", len(cs))
	}
	e := commandstest.New(t)
	for _, c := range cs {
		r := handle(e, context.Background(), call{Command: "history", Args: c.Value})
		if r.Status != reply.StatusOK && r.Status != reply.StatusNotFound {
			t.Errorf("choice %q not accepted: %s", c.Value, text(r))
		}
	}
}

func TestCompleteNOC(t *testing.T) {
	e := commandstest.New(t)
	ctx := context.Background()
	got := e.CompleteNOC(ctx, "331", "", 25)
	if len(got) != 5 || got[4].Value != "33109" || got[4].Name != "33109 Other assisting occupations in support of health services" {
		t.Errorf("CompleteNOC(331) = %+v", got)
	}
	got = e.CompleteNOC(ctx, "nurse", "", 25)
	if len(got) == 0 || !strings.Contains(got[0].Name, "Nurse") {
		t.Errorf("CompleteNOC(nurse) = %+v", got)
	}
	for _, c := range e.CompleteNOC(ctx, "", "", 25) {
		if len([]rune(c.Name)) > 100 {
			t.Errorf("choice name over 100 characters: %q", c.Name)
		}
	}
	if got := e.CompleteNOC(ctx, "manager", "", 25); len(got) != 25 {
		t.Errorf("limit not applied: %d", len(got))
	}
}
