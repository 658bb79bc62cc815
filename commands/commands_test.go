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

// field returns the value of the named field, or "" when absent.
func field(r reply.Reply, name string) string {
	for _, f := range r.Fields {
		if f.Name == name {
			return f.Value
		}
	}
	return ""
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
	b.WriteString(r.Note + "\n" + r.Source + " " + r.AsOf)
	return b.String()
}

const roundURL = "https://www.canada.ca/en/immigration-refugees-citizenship/corporate/mandate/policies-operational-instructions-agreements/ministerial-instructions/express-entry-rounds/invitations.html?q="

func TestCutoff(t *testing.T) {
	e := commandstest.New(t)
	tests := []struct {
		args                         string
		number, date, crs, itas, chg string
		category                     string
	}{
		{"healthcare", "422", "2026-06-25", "475", "4,000", "+8 vs #398 (467 on 2026-02-20)", "healthcare"},
		{"health", "422", "2026-06-25", "475", "4,000", "+8 vs #398 (467 on 2026-02-20)", "healthcare"},
		{"HC", "422", "2026-06-25", "475", "4,000", "+8 vs #398 (467 on 2026-02-20)", "healthcare"},
		{"Healthcare and social services", "422", "2026-06-25", "475", "4,000", "+8 vs #398 (467 on 2026-02-20)", "healthcare"},
		{"french", "437", "2026-08-19", "382", "5,000", "-9 vs #433 (391 on 2026-08-06)", "french"},
		{"francophone", "437", "2026-08-19", "382", "5,000", "-9 vs #433 (391 on 2026-08-06)", "french"},
		{"cec", "436", "2026-08-18", "523", "1,000", "", "cec"},
		{"pnp", "435", "2026-08-17", "760", "442", "", "pnp"},
		{"transport", "434", "2026-08-07", "470", "300", "", "transport"},
		{"transportation", "434", "2026-08-07", "470", "300", "", "transport"},
		{"trades", "408", "2026-04-02", "477", "3,000", "", "trades"},
		{"trade", "408", "2026-04-02", "477", "3,000", "", "trades"},
		{"stem", "293", "2024-04-11", "491", "4,500", "", "stem"},
		{"agriculture", "285", "2024-02-16", "437", "150", "", "agriculture"},
		{"education", "367", "2025-09-17", "462", "2,500", "", "education"},
		{"physicians", "421", "2026-06-24", "223", "271", "", "physicians"},
		{"senior managers", "426", "2026-07-10", "392", "500", "", "senior_managers"},
		{"military", "430", "2026-07-23", "368", "4", "first draw of this type", "military"},
		{"general", "294", "2024-04-23", "529", "2,095", "", "general"},
		{"fsw", "240", "2023-02-02", "489", "3,300", "first draw of this type", "fsw"},
		{"fst", "159", "2020-08-06", "415", "250", "", "fst"},
		{"all", "437", "2026-08-19", "382", "5,000", "", "french"},
	}
	for _, tc := range tests {
		t.Run(tc.args, func(t *testing.T) {
			r := handle(e, context.Background(), call{Command: "cutoff", Args: tc.args})
			if r.Status != reply.StatusOK {
				t.Fatalf("status %v: %s", r.Status, text(r))
			}
			if !strings.Contains(r.Title, "#"+tc.number) || field(r, "Date") != tc.date || field(r, "CRS cutoff") != tc.crs || field(r, "Invitations") != tc.itas {
				t.Errorf("got %q date %q crs %q itas %q", r.Title, field(r, "Date"), field(r, "CRS cutoff"), field(r, "Invitations"))
			}
			if tc.chg != "" && field(r, "Change") != tc.chg {
				t.Errorf("change = %q, want %q", field(r, "Change"), tc.chg)
			}
			if r.URL != roundURL+tc.number || r.Category != tc.category || r.AsOf != "2026-08-20" || r.Source == "" {
				t.Errorf("url %q category %q asOf %q source %q", r.URL, r.Category, r.AsOf, r.Source)
			}
			if field(r, "Tie-break") == "" {
				t.Error("no tie-break field")
			}
		})
	}
}

func TestCutoffDetails(t *testing.T) {
	e := commandstest.New(t)
	ctx := context.Background()
	r := handle(e, ctx, call{Command: "cutoff", Args: "healthcare"})
	if got := field(r, "Tie-break"); got != "2026-05-21 12:14:09 UTC" {
		t.Errorf("tie-break = %q", got)
	}
	if !strings.Contains(r.Summary, "56 days ago") {
		t.Errorf("summary = %q", r.Summary)
	}
	// STEM has not drawn since April 2024: the answer says how long.
	r = handle(e, ctx, call{Command: "cutoff", Args: "stem"})
	if !strings.Contains(text(r), "No STEM draw for 861 days.") {
		t.Errorf("stale STEM answer:\n%s", text(r))
	}
	// A category that never drew is a clear "not found", not an error.
	r = handle(e, ctx, call{Command: "cutoff", Args: "researchers"})
	if r.Status != reply.StatusNotFound || !strings.Contains(r.Summary, "no Researchers with Canadian work experience draw") {
		t.Errorf("researchers = %v %q", r.Status, r.Summary)
	}
	// Draw 208's tie-break has no year in IRCC's text; it is still parsed.
	// Draws 1-76 have none at all.
	r = handle(e, ctx, call{Command: "draws", Args: "1 no program"})
	if r.Status != reply.StatusOK || r.Table.Rows[0][0] != "268" {
		t.Errorf("no-program draws = %s", text(r))
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
		{"33109", reply.StatusOK, "NOC 33109: Other assisting occupations in support of health services",
			[]string{"Not on any current category list", "past: Healthcare occupations (Version 1) (2023-05-31 to 2025-02-27); 6 months",
				"not on the current list: Healthcare and Social Services Occupations, 2026-Version 3", "#422 on 2026-06-25: CRS 475",
				"under a list that included this code: #327 on 2024-11-20, CRS 463", "CEC, FSW, PNP, general", "TEER: 3"},
			[]string{"current: "}},
		{"noc 33109", reply.StatusOK, "NOC 33109:", nil, nil},
		{"31301", reply.StatusOK, "NOC 31301: Registered nurses and registered psychiatric nurses",
			[]string{"Eligible now: NOC 31301 is on Healthcare and Social Services Occupations, 2026-Version 3",
				"current: Healthcare and Social Services Occupations, 2026-Version 3 (since 2026-02-18); 12 months",
				"past: Healthcare and social services occupations (Version 2)", "#422 on 2026-06-25: CRS 475, 4,000 invitations"},
			[]string{"not on the current list"}},
		{"63201", reply.StatusOK, "NOC 63201: Butchers - retail and wholesale",
			[]string{"Trades", "Agriculture and agri-food", "this category has no current version", "current: Trades Occupations, 2026-Version 3"}, nil},
		{"21231", reply.StatusOK, "NOC 21231: Software engineers and designers",
			[]string{"past: STEM occupations (Version 1)", "not on the current list: Science, Technology, Engineering and Math (STEM) occupations (version 3, number inferred)"}, nil},
		{"00012", reply.StatusOK, "NOC 00012:", []string{"current: Senior managers with Canadian Work Experience, 2026-Version 1", "#426 on 2026-07-10: CRS 392"}, nil},
		{"41200", reply.StatusOK, "NOC 41200:", []string{"Researchers", "no draw yet"}, nil},
		{"65200", reply.StatusOK, "NOC 65200:", []string{"not on any Express Entry category list", "TEER 5 work is not skilled work"}, nil},
		{"registered nurses", reply.StatusOK, "NOC 31301:", nil, nil},
		{"nurse", reply.StatusOK, `Occupations matching "nurse"`,
			[]string{"31301 Registered nurses and registered psychiatric nurses (TEER 1): eligible now: Healthcare and social services v3",
				// Whole-word matches rank before "Nursery".
				"32101 Licensed practical nurses (TEER 2): eligible now: Healthcare and social services v3\n85103 Nursery"}, nil},
		{"99999", reply.StatusInvalid, "", []string{"99999 is not a NOC 2021 unit group.", "Closest codes:", "90010 Manufacturing managers"}, nil},
		{"3310", reply.StatusInvalid, "", []string{"NOC 2021 codes have five digits", "33109 Other assisting occupations in support of health services"}, nil},
		{"331090", reply.StatusInvalid, "", []string{"five digits"}, nil},
		{"abc", reply.StatusInvalid, "", []string{`No NOC 2021 unit group matches "abc"`}, nil},
		{"nursse", reply.StatusInvalid, "", []string{"Did you mean", "Nurse"}, nil},
		{"<b>&@everyone", reply.StatusInvalid, "", []string{"Try a NOC code"}, []string{"Did you mean"}},
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
			if r.Status == reply.StatusOK && (r.AsOf == "" || len(r.Links) == 0) {
				t.Errorf("answer without source link or as-of: %+v", r)
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
		{call{Command: "draws"}, reply.StatusOK, []string{"Latest 10 draws", "437 | 2026-08-19 | French v2 | 382 | 5,000", "428 | 2026-07-21 | CEC | 516 | 2,000"}},
		{call{Command: "draws", Args: "3 healthcare"}, reply.StatusOK, []string{"Latest 3 Healthcare and social services draws", "422 | 2026-06-25 | Healthcare v3 | 475 | 4,000", "385 | 2025-12-11 | Healthcare v2 | 476 | 1,000"}},
		{call{Command: "draws", Args: "pnp 2"}, reply.StatusOK, []string{"435 | 2026-08-17 | PNP | 760 | 442", "431 | 2026-08-04 | PNP | 768 | 507"}},
		{call{Command: "draws", Args: "0"}, reply.StatusInvalid, []string{"1 to 25"}},
		{call{Command: "draws", Args: "99"}, reply.StatusInvalid, []string{"1 to 25"}},
		{call{Command: "draws", Args: "astrology"}, reply.StatusInvalid, []string{`I don't know the category "astrology"`}},
		{call{Command: "draws", Args: "researchers"}, reply.StatusNotFound, []string{"no Researchers"}},
		{call{Command: "history", Args: "healthcare"}, reply.StatusOK, []string{"page 1 of 2", "15 draws in all", "345 | 2025-05-02 | Healthcare v2 | 510 | 500", "327 | 2024-11-20 | Healthcare v1 | 463 | 3,000"}},
		{call{Command: "history", Args: "healthcare", Page: 2}, reply.StatusOK, []string{"page 2 of 2", "252 | 2023-06-28 | Healthcare v1 | 476 | 500"}},
		{call{Command: "history", Args: "healthcare 3"}, reply.StatusInvalid, []string{"pick a page from 1 to 2"}},
		{call{Command: "history", Args: "all", Page: 44}, reply.StatusOK, []string{"page 44 of 44", "8 | 2015-04-17 | No program | 453 | 715", "1 | 2015-01-31 | No program | 886 | 779"}},
		{call{Command: "history", Args: "fst", Page: 1}, reply.StatusOK, []string{"91a | 2018-05-30 | FST | 288 | 500"}},
		{call{Command: "draws", Args: "pnp 25"}, reply.StatusOK, []string{"Latest 25 Provincial Nominee Program draws"}},
		{call{Command: "history"}, reply.StatusInvalid, []string{"Which category?"}},
		{call{Command: "pool"}, reply.StatusOK, []string{"226,859 candidates in the pool as of 2026-08-16", "2026-08-03: -2,241", "601-1200 | 439 | -61", "0-300 | 7,709 | +26", "Total | 226,859 | -2,241"}},
		{call{Command: "match", Args: "470 healthcare"}, reply.StatusOK, []string{"met the cutoff in 4 of the last 10", "Lowest cutoff: 462", "Median cutoff: 473", "Highest cutoff: 510", "5 below the latest cutoff (#422, 475)", "not a prediction"}},
		{call{Command: "match", Args: "600"}, reply.StatusOK, []string{"draws other than PNP", "10 of 10"}},
		{call{Command: "match", Args: "abc"}, reply.StatusInvalid, []string{"not a CRS score"}},
		{call{Command: "match", Args: "1300 cec"}, reply.StatusInvalid, []string{"0 to 1200"}},
		{call{Command: "match", Args: "-5"}, reply.StatusInvalid, []string{"0 to 1200"}},
		{call{Command: "match", Args: "450 researchers"}, reply.StatusNotFound, []string{"no Researchers"}},
		{call{Command: "noc", Args: "331"}, reply.StatusOK, []string{"33100 Dental assistants", "33109 Other assisting occupations in support of health services (TEER 3): on past lists only"}},
		{call{Command: "noc", Args: "infirmière"}, reply.StatusOK, []string{"31301"}},
		{call{Command: "noc", Args: "zzzzqqq"}, reply.StatusNotFound, []string{"No NOC 2021 unit group matches"}},
		{call{Command: "noc", Args: "999"}, reply.StatusInvalid, []string{"Closest codes"}},
		{call{Command: "oinp", Args: "3"}, reply.StatusOK, []string{"Ontario (OINP) draws: latest 3", "the newest I have is 2026-02-02, 199 days old",
			"2026-02-02 | Foreign worker | 129 | 33+ | Physicians", "2026-02-02 | Foreign worker | 14 | 44+ | Regional Economic Development through Immigration (REDI)", "not refreshed"}},
		{call{Command: "oinp", Args: "x"}, reply.StatusInvalid, []string{"1 to 25 Ontario draws"}},
		{call{Command: "categories"}, reply.StatusOK, []string{"10 categories have a current version", "Healthcare and Social Services Occupations, 2026-Version 3, since 2026-02-18; 37 occupations", "No current version: Agriculture and agri-food."}},
		{call{Command: "about"}, reply.StatusOK, []string{"nothing I say is legal or immigration advice", "438, newest on 2026-08-19", "not yet (answering from the embedded snapshot)"}},
		{call{Command: "help"}, reply.StatusOK, []string{"eligible 33109", "cutoff healthcare"}},
		{call{Command: "frobnicate"}, reply.StatusHelp, []string{`I don't know the command "frobnicate"`}},
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
	got := e.CompleteNOC(ctx, "331", 25)
	if len(got) != 5 || got[4].Value != "33109" || got[4].Name != "33109 Other assisting occupations in support of health services" {
		t.Errorf("CompleteNOC(331) = %+v", got)
	}
	got = e.CompleteNOC(ctx, "nurse", 25)
	if len(got) == 0 || !strings.Contains(got[0].Name, "Nurse") {
		t.Errorf("CompleteNOC(nurse) = %+v", got)
	}
	for _, c := range e.CompleteNOC(ctx, "", 25) {
		if len([]rune(c.Name)) > 100 {
			t.Errorf("choice name over 100 characters: %q", c.Name)
		}
	}
	if got := e.CompleteNOC(ctx, "manager", 25); len(got) != 25 {
		t.Errorf("limit not applied: %d", len(got))
	}
}
