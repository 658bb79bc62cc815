package ircc

import (
	"encoding/json"
	"testing"
	"time"
)

func TestParseTimeForms(t *testing.T) {
	tests := []struct {
		draw, raw, date, want string // want "" = must fail
	}{
		{"437", "August 19th 2026 at 12:35:37 UTC", "2026-08-19", "2026-08-19 12:35:37"},
		{"432 cutoff", "July 3rd 2026 at 21:35:13 UTC", "2026-07-29", "2026-07-03 21:35:13"},
		{"373", "October 15, 2025 15:55:18 UTC", "2025-10-15", "2025-10-15 15:55:18"},
		{"333", "January 23, 2025 at 2025-01-23 15:30:04 UTC", "2025-01-23", "2025-01-23 15:30:04"},
		{"310", "August 15, 2024 at 2024-08-15 15:11:54 UTC", "2024-08-15", "2024-08-15 15:11:54"},
		{"297", "May 31, 2024 at12:48:30 UTC", "2024-05-31", "2024-05-31 12:48:30"},
		{"270", "October 25, 2023 at 15:48:39 AM UTC", "2023-10-25", "2023-10-25 15:48:39"},
		{"270 cutoff", "September 30, 2023 at 04:22:17 AM UTC", "2023-10-25", "2023-09-30 04:22:17"},
		{"210 cutoff", "June 22, 2021 at 20:19:59 PM UTC", "2021-11-24", "2021-06-22 20:19:59"},
		{"247", "April 26,2023 18:10:04 UTC", "2023-04-26", "2023-04-26 18:10:04"},
		{"244 cutoff", "May 19,2022 06:48:41 UTC", "2023-03-23", "2022-05-19 06:48:41"},
		{"242", "March 01, 2023, at 17:24:39 UTC", "2023-03-01", "2023-03-01 17:24:39"},
		{"215", "February 02 2022 at 14:16:27 UTC", "2022-02-02", "2022-02-02 14:16:27"},
		{"382 cutoff", "May 26 2025 at 12:28:38 UTC", "2025-12-10", "2025-05-26 12:28:38"},
		{"322 cutoff", "March 02. 2024 at 01:58:34 UTC", "2024-10-10", "2024-03-02 01:58:34"},
		{"208 cutoff", "October 7 at 16:38:21 UTC", "2021-10-27", "2021-10-07 16:38:21"},
		{"6", "March 27, 2015 at 23:59:47", "2015-03-27", "2015-03-27 23:59:47"},
		{"258 cutoff", "June 15, 2023 at 23:49:05", "2023-07-07", "2023-06-15 23:49:05"},
		{"383 cutoff", "March 05, 2025 at 05:10:48", "2025-12-16", "2025-03-05 05:10:48"},
		{"386 cutoff", "October 18, 2025 at  7:18:52 UTC", "2025-12-11", "2025-10-18 07:18:52"},
		{"412 cutoff", "April 13, 2026  at 23:10:05 UTC", "2026-04-14", "2026-04-13 23:10:05"},
		{"395 cutoff", "September 05, 2025 at 0:59:13 UTC", "2026-01-20", "2025-09-05 00:59:13"},
		{"38", " July 13, 2016 at 13:56:45 UTC", "2016-07-13", "2016-07-13 13:56:45"},
		{"82 cutoff", " January 17, 2018 at 12:33:00 UTC", "2018-01-24", "2018-01-17 12:33:00"},
		{"262 cutoff", "July 04, 2023 at 19:36:18 UTC ", "2023-08-15", "2023-07-04 19:36:18"},
		{"76", "November 1, 2017, at 12:55:44 UTC", "2017-11-01", "2017-11-01 12:55:44"},
		// Forms not (yet) in the feed.
		{"pm 12h", "June 3, 2026 at 2:05:00 PM UTC", "", "2026-06-03 14:05:00"},
		{"12 am", "June 3, 2026 at 12:05:00 AM", "", "2026-06-03 00:05:00"},
		{"12 pm", "June 3, 2026 at 12:05:00 pm", "", "2026-06-03 12:05:00"},
		{"no seconds", "June 3, 2026 at 14:05 UTC", "", "2026-06-03 14:05:00"},
		{"abbrev month", "Sept. 3, 2026 at 14:05:01 UTC", "", "2026-09-03 14:05:01"},
		{"abbrev jan", "Jan 1st 2026 at 00:00:00 UTC", "", "2026-01-01 00:00:00"},
		{"2nd", "March 2nd, 2026 at 10:00:00 GMT", "", "2026-03-02 10:00:00"},
		{"upper", "MARCH 2, 2026 AT 10:00:00 UTC", "", "2026-03-02 10:00:00"},
		{"iso only", "2026-03-02 10:00:00 UTC", "", "2026-03-02 10:00:00"},
		{"day first", "2 March 2026 at 10:00:00 UTC", "", "2026-03-02 10:00:00"},
		{"no year, later month", "December 20 at 10:00:00 UTC", "2022-01-19", "2021-12-20 10:00:00"},
		// Must fail: text we cannot read with confidence.
		{"empty", "", "2026-01-01", ""},
		{"no time", "June 3, 2026", "2026-01-01", ""},
		{"other zone", "June 3, 2026 at 14:05:00 EST", "", ""},
		{"no year no date", "October 7 at 16:38:21 UTC", "", ""},
		{"feb 30", "February 30, 2026 at 10:00:00 UTC", "", ""},
		{"hour 24", "June 3, 2026 at 24:00:00 UTC", "", ""},
		{"minute 60", "June 3, 2026 at 10:60:00 UTC", "", ""},
		{"two months", "June July 3, 2026 at 10:00:00", "", ""},
		{"iso disagrees", "January 23, 2025 at 2025-01-24 15:30:04 UTC", "", ""},
		{"year 1999", "June 3, 1999 at 10:00:00 UTC", "", ""},
		{"two times", "June 3, 2026 at 10:00:00 11:00:00", "", ""},
		{"stray word", "June 3, 2026 around 10:00:00", "", ""},
		{"ordinal alone", "June th 3, 2026 at 10:00:00", "", ""},
		{"non-ascii", "June 3, 2026 at 10:00:00 UTC\u00e9", "", ""},
	}
	for _, tc := range tests {
		got, ok := ParseTime(tc.raw, tc.date)
		if tc.want == "" {
			if ok {
				t.Errorf("%s: ParseTime(%q) = %v, want failure", tc.draw, tc.raw, got)
			}
			continue
		}
		want := utc(tc.want)
		if !ok || !got.Equal(want) || got.Location() != time.UTC {
			t.Errorf("%s: ParseTime(%q, %q) = %v, %v; want %v", tc.draw, tc.raw, tc.date, got, ok, want)
		}
	}
}

// Every non-empty drawDateTime and drawCutOff of the snapshot must parse.
func TestParseTimeSnapshot(t *testing.T) {
	var feed struct {
		Rounds []map[string]string `json:"rounds"`
	}
	if err := json.Unmarshal(snapshot(t), &feed); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range feed.Rounds {
		for _, f := range []string{"drawDateTime", "drawCutOff"} {
			raw := r[f]
			if raw == "" {
				continue
			}
			n++
			got, ok := ParseTime(raw, r["drawDate"])
			if !ok {
				t.Errorf("draw %s %s %q does not parse", r["drawNumber"], f, raw)
				continue
			}
			// Times fall within a year and a half before the draw (tie-breaks)
			// or around the draw day itself.
			date, _ := time.Parse(time.DateOnly, r["drawDate"])
			if got.After(date.AddDate(0, 0, 2)) || got.Before(date.AddDate(-2, 0, 0)) {
				t.Errorf("draw %s %s %q = %v, far from draw date %s", r["drawNumber"], f, raw, got, r["drawDate"])
			}
		}
	}
	if n != 438+438-76 {
		t.Errorf("checked %d times, want %d", n, 438+438-76)
	}
}

func TestParseLongDate(t *testing.T) {
	tests := map[string]string{
		"August 16, 2026":            "2026-08-16",
		" August 16, 2026 ":          "2026-08-16",
		"Aug 6 2026":                 "2026-08-06",
		"March 02. 2024":             "2024-03-02",
		"2026-08-16":                 "2026-08-16",
		"July 3rd, 2026":             "2026-07-03",
		"":                           "",
		"August 2026":                "",
		"August 16":                  "",
		"August 32, 2026":            "",
		"August 16, 2026 at 10:00":   "",
		"16/08/2026":                 "",
		"August 16, 2026 2026-08-16": "",
	}
	for in, want := range tests {
		got, ok := ParseLongDate(in)
		if got != want || ok != (want != "") {
			t.Errorf("ParseLongDate(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}
