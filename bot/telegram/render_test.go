package telegram

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/eebot/eebot/bot/telegram/faketelegram"
	"github.com/eebot/eebot/internal/reply"
)

func TestEscape(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"a < b & c > d", "a &lt; b &amp; c &gt; d"},
		{"<b>bold</b>", "&lt;b&gt;bold&lt;/b&gt;"},
		{"@everyone @here", "@\u2060everyone @\u2060here"},
		{"mail a@b", "mail a@\u2060b"},
		{"lone @ sign", "lone @ sign"},
		{"&amp;", "&amp;amp;"},
		{"é — ünïcode", "é — ünïcode"},
	} {
		if got := escape(tc.in); got != tc.want {
			t.Errorf("escape(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestRenderHostile(t *testing.T) {
	r := reply.Reply{
		Title:   "<script>&",
		URL:     `javascript:alert("x")`,
		Summary: `No NOC matches "<b>&@everyone".`,
		Fields:  []reply.Field{{Name: "<i>", Value: "a&b"}},
		Lines:   []string{"</pre>"},
		Table:   &reply.Table{Header: []string{"<a>", "n"}, Rows: [][]string{{"&", "1"}}},
		Links:   []reply.Link{{Label: "ok", URL: `https://example.com/?a="b"&c=<d>`}, {Label: "bad", URL: "tg://resolve?domain=x"}},
		Note:    "@admin",
		Choices: []string{"cutoff healthcare", "<b>x</b>"},
		Footer:  "<src> · data as of Jan 1, 2026",
	}
	out := renderHTML(r, testWords)
	plain, err := faketelegram.ParseHTML(out)
	if err != nil {
		t.Fatalf("invalid HTML: %v\n%s", err, out)
	}
	for _, want := range []string{`No NOC matches "<b>&@` + "\u2060" + `everyone".`, "<script>&", "<src> · data as of Jan 1, 2026", "/cutoff_healthcare"} {
		if !strings.Contains(plain, want) {
			t.Errorf("plain text lacks %q:\n%s", want, plain)
		}
	}
	if strings.Contains(out, "javascript:") || strings.Contains(out, "tg://") {
		t.Errorf("unsafe link rendered:\n%s", out)
	}
	if !strings.Contains(out, `href="https://example.com/?a=&quot;b&quot;&amp;c=&lt;d&gt;"`) {
		t.Errorf("href not escaped:\n%s", out)
	}
	if strings.Contains(plain, "<b>x") || strings.Contains(out, "<b>x") {
		t.Errorf("a choice that is no command was rendered:\n%s", out)
	}
	if strings.Contains(plain, "@everyone") || strings.Contains(plain, "@admin") {
		t.Errorf("a mention survived:\n%s", plain)
	}
}

func TestRenderTableWidth(t *testing.T) {
	wide := reply.Table{
		Header: []string{"#", "Date", "Round type", "Programs", "CRS", "Invitations"},
		Rows: [][]string{
			{"422", "2026-06-25", "Healthcare and Social Services Occupations, 2026-Version 3", "Federal Skilled Worker, CEC", "475", "4,000"},
			{"91a", "2018-06-13", "Provincial Nominee Program", "PNP", "902", "200"},
		},
	}
	for _, width := range []int{32, 36, 40} {
		out := renderTable(wide, width)
		for _, l := range strings.Split(out, "\n") {
			if n := utf8.RuneCountInString(l); n > width {
				t.Errorf("width %d: line of %d: %q", width, n, l)
			}
		}
		if !strings.Contains(out, "422 2026-06-25") || !strings.Contains(out, "…") || !strings.Contains(out, "4,000") {
			t.Errorf("width %d: unexpected table:\n%s", width, out)
		}
	}
	// Numbers are right-aligned and never cut.
	out := renderTable(reply.Table{Header: []string{"CRS", "n"}, Rows: [][]string{{"501-600", "18,657"}, {"0-300", "7"}}}, 36)
	want := "CRS          n\n──────────────\n501-600 18,657\n0-300        7"
	if out != want {
		t.Errorf("table:\n%s\nwant:\n%s", out, want)
	}
}

func TestSplitHTML(t *testing.T) {
	long := strings.Repeat("word &amp; <b>bold</b> ", 400)
	var rows []string
	for i := range 300 {
		rows = append(rows, fmt.Sprintf("%3d 2026-01-%02d Healthcare… 475 4,000", i, i%28+1))
	}
	table := "<b>Title</b>\n\n<pre>" + strings.Join(rows, "\n") + "</pre>\n\n<i>footer</i>"
	link := "<b><a href=\"https://example.com/x\">" + strings.Repeat("é", 5000) + "</a></b>"
	emoji := strings.Repeat("🇨🇦 ", 3000)
	for _, tc := range []struct {
		name  string
		in    string
		limit int
	}{
		{"short", "<b>hi</b>", 4096},
		{"prose", long, 4096},
		{"table", table, 4096},
		{"small limit table", table, 200},
		{"one long link", link, 4096},
		{"astral", emoji, 4096},
		{"entities", strings.Repeat("&lt;&gt;", 3000), 100},
	} {
		t.Run(tc.name, func(t *testing.T) {
			parts := splitHTML(tc.in, tc.limit)
			var all strings.Builder
			for i, p := range parts {
				if n := utf16Len(p); n > tc.limit {
					t.Errorf("part %d: %d units > %d", i, n, tc.limit)
				}
				plain, err := faketelegram.ParseHTML(p)
				if err != nil {
					t.Fatalf("part %d invalid: %v\n%s", i, err, p)
				}
				all.WriteString(plain)
			}
			want, _ := faketelegram.ParseHTML(tc.in)
			strip := func(s string) string { return strings.Join(strings.Fields(s), "") }
			if strip(all.String()) != strip(want) {
				t.Errorf("text lost or changed across %d parts", len(parts))
			}
			if tc.name == "table" || tc.name == "small limit table" {
				for i, p := range parts[:len(parts)-1] {
					if strings.Contains(p, "<pre>") && !strings.HasSuffix(p, "</pre>") {
						t.Errorf("part %d does not close <pre>", i)
					}
				}
				if len(parts) < 2 || !strings.HasPrefix(parts[1], "<pre>") {
					t.Errorf("second part does not reopen <pre>: %.60q", parts[1])
				}
				// rows are never cut in the middle
				for _, p := range parts {
					for _, l := range strings.Split(strings.TrimSuffix(strings.TrimPrefix(p, "<pre>"), "</pre>"), "\n") {
						if strings.Contains(l, "Healthcare") && !strings.HasSuffix(l, "4,000") && !strings.HasSuffix(l, "4,000</pre>") {
							t.Errorf("cut row %q", l)
						}
					}
				}
			}
		})
	}
}

func TestPageData(t *testing.T) {
	k := newPageKeys(2)
	p := reply.Pager{Command: "history", Args: "healthcare", Page: 1, Pages: 2}
	if got := k.pageData(p, 2); got != "pg:history:2:healthcare" {
		t.Errorf("pageData = %q", got)
	}
	long := reply.Pager{Command: "history", Args: strings.Repeat("x:y ", 30), Page: 3, Pages: 9}
	for _, page := range []int{2, 4} {
		d := k.pageData(long, page)
		if len(d) > MaxCallbackData {
			t.Fatalf("data %q too long", d)
		}
		req, ok := k.parsePageData(d)
		if !ok || req.command != "history" || req.args != long.Args || req.page != page {
			t.Errorf("round trip of %q: %+v %v", d, req, ok)
		}
	}
	req, ok := k.parsePageData("pg:history:2:a:b")
	if !ok || req.args != "a:b" || req.page != 2 {
		t.Errorf("args with colons: %+v", req)
	}
	for _, bad := range []string{"", "pg:", "pg:history:x:a", "pg:history:0:a", "pk:zzz:2", "other"} {
		if _, ok := k.parsePageData(bad); ok {
			t.Errorf("parsePageData(%q) accepted", bad)
		}
	}
	k.pageData(long, 5) // evicts the oldest key (capacity 2)
	if _, ok := k.parsePageData("pk:1:2"); ok {
		t.Error("evicted key still resolves")
	}
}
