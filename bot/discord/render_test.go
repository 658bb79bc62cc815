package discord

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/eebot/eebot/internal/reply"
)

func sampleReply() reply.Reply {
	return reply.Reply{
		Status:   reply.StatusOK,
		Command:  "cutoff",
		Title:    "Express Entry draw #422: Healthcare",
		URL:      "https://www.canada.ca/x.html?q=422",
		Category: "healthcare",
		Summary:  "Latest draw.",
		Fields:   []reply.Field{{Name: "Date", Value: "2026-06-25", Inline: true}, {Name: "CRS cutoff", Value: "475", Inline: true}},
		Lines:    []string{"first", "second"},
		Table:    &reply.Table{Header: []string{"#", "Type", "CRS"}, Rows: [][]string{{"422", "Healthcare v3", "475"}, {"398", "Healthcare v3", "467"}}},
		Links:    []reply.Link{{Label: "Official round #422", URL: "https://www.canada.ca/x.html?q=422"}, {Label: "Category-based selection", URL: "https://www.canada.ca/cbs.html"}},
		Source:   "IRCC",
		AsOf:     "2026-08-20",
		Footer:   "IRCC rounds feed · data as of Aug 20, 2026",
		Time:     time.Date(2026, 6, 25, 13, 51, 43, 0, time.UTC),
		Note:     "Not legal advice.",
	}
}

func TestRenderEmbed(t *testing.T) {
	m := render(sampleReply(), testWords)
	e := m.Embed
	if e.Title != "Express Entry draw #422: Healthcare" || e.URL != "https://www.canada.ca/x.html?q=422" {
		t.Errorf("title/url %q %q", e.Title, e.URL)
	}
	if e.Color != categoryColors["healthcare"] {
		t.Errorf("color %#x", e.Color)
	}
	// One date only: the reply's own footer, no embed timestamp beside it.
	if e.Timestamp != "" {
		t.Errorf("timestamp %q", e.Timestamp)
	}
	if e.Footer == nil || e.Footer.Text != "IRCC rounds feed · data as of Aug 20, 2026" {
		t.Errorf("footer %+v", e.Footer)
	}
	if len(e.Fields) != 2 || e.Fields[1].Name != "CRS cutoff" || e.Fields[1].Value != "475" || !e.Fields[1].Inline {
		t.Errorf("fields %+v", e.Fields)
	}
	wantDesc := "Latest draw.\n\n• first\n• second\n\n```\n  #  Type           CRS\n-----------------------\n422  Healthcare v3  475\n398  Healthcare v3  467\n```" +
		"\n\n[Category-based selection](https://www.canada.ca/cbs.html)\n\n_Not legal advice._" // the title already opens round #422
	if e.Description != wantDesc {
		t.Errorf("description\n%s\nwant\n%s", e.Description, wantDesc)
	}
	if m.Ephemeral {
		t.Error("an OK public reply must not be ephemeral")
	}
	if len(m.Components) != 0 || m.Components == nil {
		t.Errorf("components %v (want empty, non-nil)", m.Components)
	}
}

func TestRenderEphemeral(t *testing.T) {
	for _, tt := range []struct {
		r    reply.Reply
		want bool
	}{
		{reply.Reply{Status: reply.StatusOK}, false},
		{reply.Reply{Status: reply.StatusOK, Private: true}, true},
		{reply.Reply{Status: reply.StatusInvalid}, true},
		{reply.Reply{Status: reply.StatusNotFound}, true},
		{reply.Reply{Status: reply.StatusHelp}, true},
		{reply.Reply{Status: reply.StatusInternal}, true},
	} {
		m := render(tt.r, testWords)
		if m.Ephemeral != tt.want {
			t.Errorf("status %d private %v: ephemeral %v", tt.r.Status, tt.r.Private, m.Ephemeral)
		}
		resp := m.response(discordgo.InteractionResponseChannelMessageWithSource)
		if got := resp.Data.Flags&discordgo.MessageFlagsEphemeral != 0; got != tt.want {
			t.Errorf("flags %d", resp.Data.Flags)
		}
	}
}

func TestRenderDropsBadURLs(t *testing.T) {
	r := reply.Reply{Title: "t", URL: "javascript:alert(1)", Links: []reply.Link{{Label: "x", URL: "ftp://a"}}}
	m := render(r, testWords)
	if m.Embed.URL != "" || strings.Contains(m.Embed.Description, "ftp") {
		t.Fatalf("bad URL kept: %+v", m.Embed)
	}
}

func TestRenderHugeReplyFitsLimits(t *testing.T) {
	r := sampleReply()
	r.Title = strings.Repeat("T", 400)
	r.Summary = strings.Repeat("summary ", 300)
	for i := range 40 {
		r.Fields = append(r.Fields, reply.Field{Name: strings.Repeat("n", 300), Value: strings.Repeat("v", 1500)})
		r.Lines = append(r.Lines, fmt.Sprintf("line %d %s", i, strings.Repeat("l", 50)))
	}
	r.Table = &reply.Table{Header: []string{"a", "b"}}
	for i := range 500 {
		r.Table.Rows = append(r.Table.Rows, []string{fmt.Sprint(i), "row"})
	}
	m := render(r, testWords)
	e := m.Embed
	if n := embedLen(e); n > maxEmbedTotal {
		t.Fatalf("total %d", n)
	}
	if textLen(e.Title) > maxTitle || textLen(e.Description) > maxDescription || len(e.Fields) > maxFields {
		t.Fatalf("limits: title %d description %d fields %d", textLen(e.Title), textLen(e.Description), len(e.Fields))
	}
	if strings.Count(e.Description, "```")%2 != 0 {
		t.Fatalf("unbalanced code fences")
	}
}

func TestRenderTableBudget(t *testing.T) {
	tb := reply.Table{Header: []string{"n"}}
	for i := range 100 {
		tb.Rows = append(tb.Rows, []string{fmt.Sprintf("%03d", i)})
	}
	got := renderTable(tb, 80)
	if textLen(got) > 80 || !strings.Contains(got, "more") || !strings.HasSuffix(got, "```") {
		t.Fatalf("table %q (%d)", got, textLen(got))
	}
	if renderTable(tb, 5) != "" {
		t.Fatal("a table whose header does not fit must be dropped")
	}
	if got := renderTable(reply.Table{Rows: [][]string{{"a```b", "1"}}}, 100); strings.Count(got, "```") != 2 {
		t.Fatalf("fence inside a cell escaped the block: %q", got)
	}
}

func TestHostileTextCannotPing(t *testing.T) {
	r := reply.Reply{Title: "@everyone", Summary: "hi @everyone and @here <@123> <@&456>", Fields: []reply.Field{{Name: "<@123>", Value: "@everyone"}}}
	resp := render(r, testWords).response(discordgo.InteractionResponseChannelMessageWithSource)
	raw, _ := json.Marshal(resp)
	if !strings.Contains(string(raw), `"allowed_mentions":{"parse":[]`) {
		t.Fatalf("allowed_mentions not empty: %s", raw)
	}
	if strings.Contains(resp.Data.Embeds[0].Description, " <@123>") || strings.Contains(resp.Data.Embeds[0].Description, " <@&456>") {
		t.Fatalf("mention syntax kept: %q", resp.Data.Embeds[0].Description)
	}
	if resp.Data.Content != "" {
		t.Fatalf("content %q", resp.Data.Content)
	}
}
