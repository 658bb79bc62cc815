package ircc

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/eebot/eebot/internal/domain"
)

// seedRows returns small feeds cut from the snapshot: rows with and without
// distributions, both link forms, and 91a/91b.
func seedFeeds(f *testing.F) [][]byte {
	var feed struct {
		Rounds []json.RawMessage `json:"rounds"`
	}
	if err := json.Unmarshal(snapshot(f), &feed); err != nil {
		f.Fatal(err)
	}
	pick := func(idx ...int) []byte {
		parts := make([][]byte, 0, len(idx))
		for _, i := range idx {
			parts = append(parts, feed.Rounds[i])
		}
		return []byte(`{"classes":"wb-tables","rounds":[` + string(bytes.Join(parts, []byte(","))) + `]}`)
	}
	n := len(feed.Rounds)
	return [][]byte{
		pick(0), pick(0, 1, 2), pick(n - 1), pick(n - 92), // 437, 437-435, 1, ~91
		pick(190, 191), // around 247: the subtotal typo
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range seedFeeds(f) {
		f.Add(s)
		f.Add(bytes.Replace(s, []byte(`"5,000"`), []byte(`"5,0x0"`), 1))
		f.Add(bytes.Replace(s, []byte(`/content/canadasite`), []byte(`javascript:`), 1))
		f.Add(bytes.Replace(s, []byte(` at `), []byte(` AT  `), -1))
		f.Add(bytes.Replace(s, []byte(`"2026-08-19"`), []byte(`"2026-02-30"`), 1))
	}
	f.Add([]byte(`{"rounds":[{"drawNumber":"1","drawDate":"2015-01-31","drawSize":"1","drawCRS":"1","drawNumberURL":"<a href='/en/a-1.html'>1</a>"}]}`))
	f.Add([]byte(`{"rounds":[]}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, b []byte) {
		draws, warns, err := ParseReport(b)
		if err != nil {
			if draws != nil || warns != nil || strings.Contains(err.Error(), "\n") {
				t.Fatalf("error %q with draws or warnings", err)
			}
			return
		}
		if len(draws) == 0 {
			t.Fatal("no error and no draws")
		}
		for _, d := range draws {
			if d.Number == "" || d.Seq < 0 {
				t.Fatalf("bad number %q/%d", d.Number, d.Seq)
			}
			if _, err := time.Parse(time.DateOnly, d.Date); err != nil {
				t.Fatalf("draw %s: bad date %q", d.Number, d.Date)
			}
			if d.Size < 0 || d.CRS < 0 || d.CRS > 1200 {
				t.Fatalf("draw %s: size %d CRS %d", d.Number, d.Size, d.CRS)
			}
			if !strings.HasPrefix(d.URL, "https://www.canada.ca/") || strings.ContainsAny(d.URL, " \"'<>\\") {
				t.Fatalf("draw %s: URL %q", d.Number, d.URL)
			}
			for _, s := range []string{d.Number, d.Name, d.Programs, d.DrawnRaw, d.TieRaw} {
				if !utf8.ValidString(s) {
					t.Fatalf("draw %s: invalid UTF-8 %q", d.Number, s)
				}
			}
			if d.Category == "" || d.Type == "" {
				t.Fatalf("draw %s: empty category or kind", d.Number)
			}
			for _, tm := range []time.Time{d.DrawnAt, d.TieBreak} {
				if !tm.IsZero() && (tm.Location() != time.UTC || tm.Year() < 2000 || tm.Year() > 2099) {
					t.Fatalf("draw %s: time %v", d.Number, tm)
				}
			}
			if d.Dist != nil {
				if len(d.Dist.Bands) != 15 || d.Dist.Total < 0 {
					t.Fatalf("draw %s: dist %+v", d.Number, d.Dist)
				}
			}
		}
	})
}

func FuzzParseTime(f *testing.F) {
	for _, s := range []string{
		"August 19th 2026 at 12:35:37 UTC", "October 15, 2025 15:55:18 UTC",
		"January 23, 2025 at 2025-01-23 15:30:04 UTC", "May 31, 2024 at12:48:30 UTC",
		"October 25, 2023 at 15:48:39 AM UTC", "June 22, 2021 at 20:19:59 PM UTC",
		"April 26,2023 18:10:04 UTC", "March 01, 2023, at 17:24:39 UTC",
		"February 02 2022 at 14:16:27 UTC", "March 02. 2024 at 01:58:34 UTC",
		"October 7 at 16:38:21 UTC", "March 27, 2015 at 23:59:47", " January 17, 2018 at 12:33:00 UTC",
		"2026-03-02 10:00", "Dec 31 at 12:00 AM",
	} {
		f.Add(s, "2021-10-27")
		f.Add(s, "")
	}
	f.Fuzz(func(t *testing.T, raw, date string) {
		got, ok := ParseTime(raw, date)
		if !ok {
			if !got.IsZero() {
				t.Fatalf("failure with non-zero time %v", got)
			}
			return
		}
		if got.Location() != time.UTC || got.Year() < 2000 || got.Year() >= 2100 {
			t.Fatalf("ParseTime(%q, %q) = %v", raw, date, got)
		}
		if iso, ok := ParseLongDate(raw); ok {
			t.Fatalf("ParseLongDate accepted a date-time %q as %s", raw, iso)
		}
	})
}

func FuzzClassify(f *testing.F) {
	for _, s := range []string{
		"French-Language proficiency 2026-Version 2", "Canadian Experience Class (CEC)",
		"Federal Skilled Trades", "Trade occupations (Version 1)", "Trades occupation (2023-1)",
		"Science, Technology, Engineering and Math", "Healthcare and Trades",
		"Senior managers with Canadian Work Experience, 2026-Version 1", "v99", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		key, ver, kind := Classify(name)
		if key == "" || ver < 0 {
			t.Fatalf("Classify(%q) = %q, %d", name, key, ver)
		}
		switch kind {
		case domain.TypeUnmapped:
			if key != domain.Unmapped || ver != 0 {
				t.Fatalf("Classify(%q) = %q, %d, unmapped", name, key, ver)
			}
		case domain.TypeProgram:
			if ver != 0 {
				t.Fatalf("program %q with version %d", name, ver)
			}
		case domain.TypeCategory:
		default:
			t.Fatalf("kind %q", kind)
		}
	})
}
