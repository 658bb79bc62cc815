package ircc

import (
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eebot/eebot/internal/domain"
)

const snapshotPath = "../../data/ircc/ee_rounds_123_en.json"

var (
	snapOnce  sync.Once
	snapBytes []byte
	snapErr   error
)

func snapshot(tb testing.TB) []byte {
	tb.Helper()
	snapOnce.Do(func() { snapBytes, snapErr = os.ReadFile(snapshotPath) })
	if snapErr != nil {
		tb.Fatalf("read snapshot: %v", snapErr)
	}
	return snapBytes
}

func parseSnapshot(t *testing.T) ([]domain.Draw, []Warning, map[string]domain.Draw) {
	t.Helper()
	draws, warns, err := ParseReport(snapshot(t))
	if err != nil {
		t.Fatalf("ParseReport(snapshot): %v", err)
	}
	by := make(map[string]domain.Draw, len(draws))
	for _, d := range draws {
		by[d.Number] = d
	}
	return draws, warns, by
}

func utc(s string) time.Time {
	t, err := time.Parse(time.DateTime, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestParseSnapshotShape(t *testing.T) {
	draws, _, by := parseSnapshot(t)
	if len(draws) != 438 {
		t.Fatalf("got %d draws, want 438", len(draws))
	}
	if draws[0].Number != "437" || draws[len(draws)-1].Number != "1" {
		t.Errorf("feed order: first %s last %s, want 437 and 1", draws[0].Number, draws[len(draws)-1].Number)
	}
	noDist := 0
	for i, d := range draws {
		if d.Origin != "" {
			t.Errorf("draw %s: Source %q, want empty", d.Number, d.Origin)
		}
		if d.Dist == nil {
			noDist++
		}
		if i > 0 && d.Date > draws[i-1].Date {
			t.Errorf("draw %s dated %s after newer row %s", d.Number, d.Date, draws[i-1].Number)
		}
		if !strings.HasPrefix(d.URL, "https://www.canada.ca/en/") {
			t.Errorf("draw %s: URL %q", d.Number, d.URL)
		}
		if d.Seq >= 1 && d.Seq <= 76 && (d.TieRaw != "" || !d.TieBreak.IsZero()) {
			t.Errorf("draw %s: TieRaw %q, want empty for draws 1-76", d.Number, d.TieRaw)
		}
		if d.Seq > 76 && d.TieBreak.IsZero() {
			t.Errorf("draw %s: no tie-break time from %q", d.Number, d.TieRaw)
		}
		if d.DrawnAt.IsZero() {
			t.Errorf("draw %s: no draw time from %q", d.Number, d.DrawnRaw)
		}
	}
	if noDist != 218 {
		t.Errorf("%d draws without distribution, want 218", noDist)
	}
	for _, n := range []string{"213", "223", "224", "226", "227", "1"} {
		if by[n].Dist != nil {
			t.Errorf("draw %s: Dist should be nil", n)
		}
	}
	for _, n := range []string{"214", "225", "228", "437"} {
		if by[n].Dist == nil {
			t.Errorf("draw %s: Dist should be set", n)
		}
	}
}

func TestParseSnapshotDraws(t *testing.T) {
	_, _, by := parseSnapshot(t)
	tests := []struct {
		number, date string
		category     domain.Key
		version      int
		kind         domain.RoundType
		size, crs    int
		drawnAt, tie string // "" = zero time
		tieRaw       string
	}{
		{"437", "2026-08-19", domain.French, 2, domain.TypeCategory, 5000, 382, "2026-08-19 12:35:37", "2026-03-01 18:34:05", "March 1, 2026 at 18:34:05 UTC"},
		{"436", "2026-08-18", domain.CEC, 0, domain.TypeProgram, 1000, 523, "2026-08-18 10:13:44", "2026-08-17 22:09:00", "August 17, 2026 at 22:09:00 UTC"},
		{"435", "2026-08-17", domain.PNP, 0, domain.TypeProgram, 442, 760, "", "", ""},
		{"434", "2026-08-07", domain.Transport, 2, domain.TypeCategory, 300, 470, "", "", ""},
		{"422", "2026-06-25", domain.Healthcare, 3, domain.TypeCategory, 4000, 475, "", "2026-05-21 12:14:09", "May 21, 2026 at  12:14:09 UTC"},
		{"408", "2026-04-02", domain.Trades, 3, domain.TypeCategory, 3000, 477, "", "", ""},
		{"388", "2025-12-17", domain.French, 1, domain.TypeCategory, 6000, 399, "", "", ""},
		{"385", "2025-12-11", domain.Healthcare, 2, domain.TypeCategory, 1000, 476, "", "", ""},
		{"294", "2024-04-23", domain.General, 0, domain.TypeProgram, 2095, 529, "", "", ""},
		{"268", "2023-10-10", domain.NoProgram, 0, domain.TypeProgram, 3725, 500, "", "", ""},
		{"240", "2023-02-02", domain.FSW, 0, domain.TypeProgram, 3300, 489, "2023-02-02 15:12:01", "2022-03-29 16:09:00", "March 29, 2022, at 16:09:00 UTC"},
		{"176", "", "", 0, "", 27332, 75, "", "", ""},
		{"91a", "2018-05-30", domain.FST, 0, domain.TypeProgram, 0, 0, "2018-05-30 14:52:06", "2017-06-07 20:11:13", "June 7, 2017 at 20:11:13 UTC"},
		{"91b", "2018-05-30", domain.PNP, 0, domain.TypeProgram, 0, 0, "2018-05-30 14:52:06", "2018-03-23 05:38:02", "March 23, 2018 at 05:38:02 UTC"},
		{"1", "2015-01-31", domain.NoProgram, 0, domain.TypeProgram, 0, 0, "", "", ""},
	}
	for _, tc := range tests {
		d, ok := by[tc.number]
		if !ok {
			t.Errorf("draw %s missing", tc.number)
			continue
		}
		if tc.date != "" && d.Date != tc.date {
			t.Errorf("draw %s: Date %s, want %s", tc.number, d.Date, tc.date)
		}
		if tc.category != "" && (d.Category != tc.category || d.Version != tc.version || d.Type != tc.kind) {
			t.Errorf("draw %s: %s v%d %s, want %s v%d %s", tc.number, d.Category, d.Version, d.Type, tc.category, tc.version, tc.kind)
		}
		if tc.size != 0 && (d.Size != tc.size || d.CRS != tc.crs) {
			t.Errorf("draw %s: size %d CRS %d, want %d %d", tc.number, d.Size, d.CRS, tc.size, tc.crs)
		}
		if tc.drawnAt != "" && !d.DrawnAt.Equal(utc(tc.drawnAt)) {
			t.Errorf("draw %s: DrawnAt %v, want %s", tc.number, d.DrawnAt, tc.drawnAt)
		}
		if tc.tie != "" && (!d.TieBreak.Equal(utc(tc.tie)) || d.TieRaw != tc.tieRaw) {
			t.Errorf("draw %s: TieBreak %v %q, want %s %q", tc.number, d.TieBreak, d.TieRaw, tc.tie, tc.tieRaw)
		}
		if d.Seq == 0 {
			t.Errorf("draw %s: Seq 0", tc.number)
		}
	}
	if by["91a"].Seq != 91 || by["91b"].Seq != 91 {
		t.Errorf("91a/91b Seq = %d/%d, want 91", by["91a"].Seq, by["91b"].Seq)
	}
}

func TestParseSnapshotFirst(t *testing.T) {
	draws, _, _ := parseSnapshot(t)
	d := draws[0]
	want := domain.Draw{
		Number: "437", Seq: 437, Date: "2026-08-19",
		DrawnAt:  utc("2026-08-19 12:35:37"),
		DrawnRaw: "August 19th 2026 at 12:35:37 UTC",
		Name:     "French-Language proficiency 2026-Version 2",
		Category: domain.French, Version: 2, Type: domain.TypeCategory,
		Size: 5000, CRS: 382,
		Programs: "Federal Skilled Worker Program, Canadian Experience Class and Federal Skilled Trades Program",
		TieBreak: utc("2026-03-01 18:34:05"),
		TieRaw:   "March 1, 2026 at 18:34:05 UTC",
		URL:      "https://www.canada.ca/en/immigration-refugees-citizenship/corporate/mandate/policies-operational-instructions-agreements/ministerial-instructions/express-entry-rounds/invitations.html?q=437",
	}
	got := d
	got.Dist = nil
	if got != want {
		t.Errorf("draw 437:\n got %+v\nwant %+v", got, want)
	}
	dist := d.Dist
	if dist == nil {
		t.Fatal("draw 437: no distribution")
	}
	if dist.Total != 226859 || dist.AsOf != "2026-08-16" || dist.AsOfRaw != "August 16, 2026" {
		t.Errorf("draw 437 dist: total %d asof %q raw %q", dist.Total, dist.AsOf, dist.AsOfRaw)
	}
	wantBands := []domain.Band{
		{Lo: 601, Hi: 1200, Candidates: 439}, {Lo: 501, Hi: 600, Candidates: 18657},
		{Lo: 491, Hi: 500, Candidates: 12915}, {Lo: 481, Hi: 490, Candidates: 13066}, {Lo: 471, Hi: 480, Candidates: 16626}, {Lo: 461, Hi: 470, Candidates: 16133}, {Lo: 451, Hi: 460, Candidates: 14814},
		{Lo: 441, Hi: 450, Candidates: 13555}, {Lo: 431, Hi: 440, Candidates: 13229}, {Lo: 421, Hi: 430, Candidates: 11890}, {Lo: 411, Hi: 420, Candidates: 11269}, {Lo: 401, Hi: 410, Candidates: 10688},
		{Lo: 351, Hi: 400, Candidates: 48600}, {Lo: 301, Hi: 350, Candidates: 17269}, {Lo: 0, Hi: 300, Candidates: 7709},
	}
	if len(dist.Bands) != 15 {
		t.Fatalf("draw 437: %d bands, want 15", len(dist.Bands))
	}
	sum := 0
	for i, b := range dist.Bands {
		if b != wantBands[i] {
			t.Errorf("band %d: %+v, want %+v", i, b, wantBands[i])
		}
		if i > 0 && b.Hi >= dist.Bands[i-1].Lo {
			t.Errorf("band %d overlaps or is out of order", i)
		}
		sum += b.Candidates
	}
	if sum != dist.Total {
		t.Errorf("bands sum to %d, total %d", sum, dist.Total)
	}
}

func TestParseSnapshotURLs(t *testing.T) {
	_, _, by := parseSnapshot(t)
	const base = "https://www.canada.ca/en/immigration-refugees-citizenship/corporate/mandate/policies-operational-instructions-agreements/ministerial-instructions/express-entry-rounds/"
	tests := map[string]string{
		"437": base + "invitations.html?q=437", // /content/canadasite/en/ form
		"248": base + "invitations.html?q=248",
		"236": base + "invitations.html?q=236", // /en/ form
		"91a": base + "invitations.html?q=91a",
		"77":  base + "invitations.html?q=77",
		"76":  base + "invitations-76.html", // rounds 1-76 link an older page name
		"65":  base + "invitations-65.html", // its mitext/DrawText1 wrongly point at 64
		"1":   base + "invitations-1.html",
	}
	for n, want := range tests {
		if got := by[n].URL; got != want {
			t.Errorf("draw %s: URL %q, want %q", n, got, want)
		}
	}
	if got := domain.RoundURL("437"); got != tests["437"] {
		t.Errorf("domain.RoundURL(437) = %q", got)
	}
}

func TestParseSnapshotWarnings(t *testing.T) {
	_, warns, by := parseSnapshot(t)
	got := map[string]bool{}
	for _, w := range warns {
		got[w.Number+" "+w.Field] = true
	}
	// The snapshot's known oddities, and nothing else.
	want := []string{"247 dd3", "247 dd18", "357 drawDateTime"}
	for _, k := range want {
		if !got[k] {
			t.Errorf("missing warning %q", k)
		}
	}
	if len(warns) != len(want) {
		t.Errorf("%d warnings, want %d:", len(warns), len(want))
		for _, w := range warns {
			t.Log(w)
		}
	}
	d := by["247"]
	if d.Dist == nil || d.Dist.Total != 230189 || len(d.Dist.Bands) != 15 || d.Dist.Bands[2].Candidates == 0 {
		t.Errorf("draw 247 dist: %+v", d.Dist)
	}
}

func TestParseBad(t *testing.T) {
	row := func(num, date, size, crs string) string {
		return `{"drawNumber":"` + num + `","drawDate":"` + date + `","drawDateFull":"","drawName":"Canadian Experience Class","drawSize":"` + size + `","drawCRS":"` + crs + `"}`
	}
	feed := func(rows ...string) string {
		return `{"classes":"wb-tables","rounds":[` + strings.Join(rows, ",") + `]}`
	}
	good := row("437", "2026-08-19", "5,000", "382")
	tests := []struct {
		name, in, want string
	}{
		{"not json", `<html>`, "not valid JSON"},
		{"empty", ``, "not valid JSON"},
		{"truncated", feed(good)[:40], "not valid JSON"},
		{"no rounds key", `{"classes":"wb-tables"}`, `no "rounds"`},
		{"null rounds", `{"rounds":null}`, `no "rounds"`},
		{"rounds not a list", `{"rounds":{}}`, "not valid JSON"},
		{"zero rounds", feed(), "zero rounds"},
		{"missing number", feed(good, `{"drawDate":"2026-08-19"}`), "round 2 of the feed: drawNumber missing"},
		{"null row", feed(good, `null`), "round 2 of the feed: drawNumber missing"},
		{"number abc", feed(row("abc", "2026-08-19", "1", "1")), `draw abc: drawNumber "abc"`},
		{"number 91ab", feed(row("91ab", "2026-08-19", "1", "1")), `draw 91ab: drawNumber`},
		{"duplicate", feed(good, row("437", "2026-08-18", "1", "1")), "draw 437: drawNumber duplicated"},
		{"duplicate case", feed(row("91a", "2018-05-30", "1", "1"), row("91A", "2018-05-30", "1", "1")), "duplicated"},
		{"bad size", feed(row("437", "2026-08-19", "5,0x0", "382")), `ircc: draw 437: drawSize "5,0x0": not a number`},
		{"bad comma", feed(row("437", "2026-08-19", "5,00", "382")), `drawSize "5,00": not a number`},
		{"negative size", feed(row("437", "2026-08-19", "-5", "382")), `drawSize "-5": negative`},
		{"empty crs", feed(row("437", "2026-08-19", "5", "")), `drawCRS "": empty`},
		{"crs too high", feed(row("437", "2026-08-19", "5", "1,300")), `drawCRS "1,300": above`},
		{"bad date", feed(row("437", "2026-13-45", "5", "382")), `draw 437: drawDate "2026-13-45"`},
		{"number type", `{"rounds":[{"drawNumber":"1","drawDate":"2026-01-01","drawSize":true,"drawCRS":"1"}]}`, `drawSize "true": not a number`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			draws, err := Parse([]byte(tc.in))
			if err == nil {
				t.Fatalf("no error; draws %+v", draws)
			}
			if draws != nil {
				t.Errorf("draws returned with error")
			}
			if !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("error %q, want one line containing %q", err, tc.want)
			}
		})
	}
}

func TestParseLenient(t *testing.T) {
	const base = `"drawName":"Canadian Experience Class","drawSize":" 1,000 ","drawCRS":" 523"`
	tests := []struct {
		name, row string
		wantField string // a warning on this field; "" for none
		check     func(t *testing.T, d domain.Draw)
	}{
		{"odd times", `{"drawNumber":"5",` + base + `,"drawDate":"2026-08-18","drawDateTime":"sometime Tuesday","drawCutOff":"August 17, 2026 at 22:09 EST"}`, "drawDateTime",
			func(t *testing.T, d domain.Draw) {
				if !d.DrawnAt.IsZero() || d.DrawnRaw != "sometime Tuesday" || !d.TieBreak.IsZero() || d.TieRaw != "August 17, 2026 at 22:09 EST" {
					t.Errorf("%+v", d)
				}
				if d.Size != 1000 || d.CRS != 523 {
					t.Errorf("size %d crs %d", d.Size, d.CRS)
				}
			}},
		{"date from drawDateFull", `{"drawNumber":"5",` + base + `,"drawDate":"19/08/2026","drawDateFull":"August 19, 2026"}`, "drawDate",
			func(t *testing.T, d domain.Draw) {
				if d.Date != "2026-08-19" {
					t.Errorf("Date %q", d.Date)
				}
			}},
		{"placeholder date", `{"drawNumber":"5",` + base + `,"drawDate":"9999-99-99","drawDateFull":"August 19, 2026"}`, "drawDate",
			func(t *testing.T, d domain.Draw) {
				if d.Date != "2026-08-19" {
					t.Errorf("Date %q", d.Date)
				}
			}},
		{"javascript link", `{"drawNumber":"5",` + base + `,"drawDate":"2026-08-18","drawNumberURL":"<a href='javascript:alert(1)'>5</a>","mitext":"<a href=\"https://evil.example/en/x?q=5\">x</a>","DrawText1":"<a href='//evil.example/en/?q=5'>x</a>"}`, "drawNumberURL",
			func(t *testing.T, d domain.Draw) {
				if d.URL != domain.RoundURL("5") {
					t.Errorf("URL %q", d.URL)
				}
			}},
		{"absolute canada.ca link", `{"drawNumber":"5",` + base + `,"drawDate":"2026-08-18","drawDateTime":"August 18, 2026 at 10:13:44 UTC","drawNumberURL":"<a href=\"https://www.canada.ca/content/canadasite/en/x/invitations.html?q=5\">5</a>"}`, "",
			func(t *testing.T, d domain.Draw) {
				if d.URL != "https://www.canada.ca/en/x/invitations.html?q=5" {
					t.Errorf("URL %q", d.URL)
				}
			}},
		{"link to another round", `{"drawNumber":"5",` + base + `,"drawDate":"2026-08-18","drawNumberURL":"<a href='/en/x/invitations.html?q=4'>5</a>","mitext":"<a href='/en/x/invitations.html?q=5'>5</a>"}`, "drawNumberURL",
			func(t *testing.T, d domain.Draw) {
				if d.URL != "https://www.canada.ca/en/x/invitations.html?q=5" {
					t.Errorf("URL %q", d.URL)
				}
			}},
		{"no links", `{"drawNumber":"5",` + base + `,"drawDate":"2026-08-18","drawDateTime":"August 18, 2026 at 10:13:44 UTC"}`, "",
			func(t *testing.T, d domain.Draw) {
				if d.URL != domain.RoundURL("5") {
					t.Errorf("URL %q", d.URL)
				}
			}},
		{"bad dd", `{"drawNumber":"5",` + base + `,"drawDate":"2026-08-18","dd1":"1","dd2":"x"}`, "dd2",
			func(t *testing.T, d domain.Draw) {
				if d.Dist != nil {
					t.Errorf("Dist %+v", d.Dist)
				}
			}},
		{"partial dd", `{"drawNumber":"5",` + base + `,"drawDate":"2026-08-18","dd1":"1"}`, "dd",
			func(t *testing.T, d domain.Draw) {
				if d.Dist != nil {
					t.Errorf("Dist %+v", d.Dist)
				}
			}},
		{"unknown name", `{"drawNumber":"5","drawName":"Healthcare and Trades","drawSize":"1","drawCRS":"1","drawDate":"2026-08-18"}`, "drawName",
			func(t *testing.T, d domain.Draw) {
				if d.Category != domain.Unmapped || d.Type != domain.TypeUnmapped || d.Name != "Healthcare and Trades" {
					t.Errorf("%+v", d)
				}
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			draws, warns, err := ParseReport([]byte(`{"rounds":[` + tc.row + `]}`))
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, w := range warns {
				found = found || w.Field == tc.wantField
				if w.Number != "5" {
					t.Errorf("warning names draw %q", w.Number)
				}
			}
			if tc.wantField != "" && !found {
				t.Errorf("no %s warning in %v", tc.wantField, warns)
			}
			if tc.wantField == "" && len(warns) > 0 {
				t.Errorf("unexpected warnings %v", warns)
			}
			tc.check(t, draws[0])
		})
	}
}

func TestParseCount(t *testing.T) {
	good := map[string]int{"0": 0, "5": 5, "5,000": 5000, " 231,533 ": 231533, "1,234,567": 1234567, "1000": 1000, "+7": 7}
	for in, want := range good {
		if got, err := parseCount(in); err != nil || got != want {
			t.Errorf("parseCount(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", " ", "-1", "5,0x0", "5,00", ",500", "5,", "1,0000", "1000,000", "1.5", "1e3", "1234567890", "٣"} {
		if got, err := parseCount(in); err == nil {
			t.Errorf("parseCount(%q) = %d, want error", in, got)
		}
	}
}

func BenchmarkParseFeed(b *testing.B) {
	data := snapshot(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}

// Escaped and invalid UTF-8 strings take the slow decoding path; both must
// give the text encoding/json would give.
func TestParseStringDecoding(t *testing.T) {
	in := []byte("{\"rounds\":[{\"drawNumber\":\"5\",\"drawDate\":\"2026-08-18\",\"drawSize\":\"1\",\"drawCRS\":\"1\"," +
		"\"drawName\":\"Canadian Experience Class \\u0028CEC\\u0029\",\"drawText2\":\"Caf\xe9\"}]}")
	draws, err := Parse(in)
	if err != nil {
		t.Fatal(err)
	}
	d := draws[0]
	if d.Name != "Canadian Experience Class (CEC)" || d.Category != domain.CEC {
		t.Errorf("Name %q category %q", d.Name, d.Category)
	}
	if d.Programs != "Caf\uFFFD" {
		t.Errorf("Programs %q", d.Programs)
	}
}

func TestHrefOf(t *testing.T) {
	tests := map[string]string{
		`<a href='/en/x?q=1'>1</a>`:       "/en/x?q=1",
		`<A HREF="/en/x?q=1">1</A>`:       "/en/x?q=1",
		`<a href=/en/x?q=1>1</a>`:         "/en/x?q=1",
		`<a class='x' href='/en/y'>1</a>`: "/en/y",
		`/en/plain`:                       "/en/plain",
		`<a href='unclosed`:               "",
		`<a href=`:                        "",
		"\u0130\u0130<a href='/en/z'>":    "/en/z", // İ changes length under ToLower
	}
	for in, want := range tests {
		if got := hrefOf(in); got != want {
			t.Errorf("hrefOf(%q) = %q, want %q", in, got, want)
		}
	}
}
