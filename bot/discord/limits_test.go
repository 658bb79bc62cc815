package discord

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
)

func TestClip(t *testing.T) {
	tests := []struct {
		name string
		in   string
		max  int
		want string
	}{
		{"fits", "hello", 5, "hello"},
		{"empty", "", 3, ""},
		{"zero budget", "hello", 0, ""},
		{"cut ascii", "hello world", 8, "hello w…"},
		{"drops trailing space", "hello world", 7, "hello…"},
		{"cut accented", "éééééé", 4, "ééé…"},
		{"never splits a surrogate pair", "a😀😀", 3, "a…"}, // 😀 is 2 UTF-16 units
		{"pair that fits", "a😀😀", 5, "a😀😀"},
		{"exact pair budget", "a😀😀b", 5, "a😀…"},
		{"invalid utf8 byte", "ab\xffcdef", 4, "ab\xff…"},
		{"ellipsis only", "hello", 1, "…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := clip(tt.in, tt.max)
			if got != tt.want {
				t.Fatalf("clip(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
			}
			if textLen(got) > max(tt.max, 0) {
				t.Fatalf("clip(%q, %d) = %q has length %d", tt.in, tt.max, got, textLen(got))
			}
		})
	}
}

func TestTextLenCountsUTF16(t *testing.T) {
	for in, want := range map[string]int{"": 0, "abc": 3, "é": 1, "😀": 2, "日本": 2, "\xff": 1} {
		if got := textLen(in); got != want {
			t.Errorf("textLen(%q) = %d, want %d", in, got, want)
		}
	}
}

func TestClipMarkdownClosesCodeBlock(t *testing.T) {
	in := "intro\n```\n" + strings.Repeat("row row row\n", 50) + "```"
	got := clipMarkdown(in, 100)
	if textLen(got) > 100 {
		t.Fatalf("length %d > 100", textLen(got))
	}
	if strings.Count(got, "```")%2 != 0 || !strings.HasSuffix(got, "\n```") {
		t.Fatalf("code block not closed: %q", got)
	}
	// Cut before the block opens: nothing to close.
	if got := clipMarkdown(in, 6); strings.Contains(got, "```") || got != "intro…" {
		t.Fatalf("got %q", got)
	}
}

func TestFitEmbedLimits(t *testing.T) {
	long := func(n int) string { return strings.Repeat("x", n) }
	field := func(name, value string) *discordgo.MessageEmbedField {
		return &discordgo.MessageEmbedField{Name: name, Value: value, Inline: true}
	}
	tests := []struct {
		name  string
		embed *discordgo.MessageEmbed
		check func(t *testing.T, e *discordgo.MessageEmbed)
	}{
		{"title 256", &discordgo.MessageEmbed{Title: long(300)}, func(t *testing.T, e *discordgo.MessageEmbed) {
			if textLen(e.Title) != 256 || !strings.HasSuffix(e.Title, "…") {
				t.Errorf("title length %d", textLen(e.Title))
			}
		}},
		{"description 4096", &discordgo.MessageEmbed{Description: long(5000)}, func(t *testing.T, e *discordgo.MessageEmbed) {
			if textLen(e.Description) != 4096 {
				t.Errorf("description length %d", textLen(e.Description))
			}
		}},
		{"25 fields", &discordgo.MessageEmbed{Fields: func() (fs []*discordgo.MessageEmbedField) {
			for range 30 {
				fs = append(fs, field("n", "v"))
			}
			return fs
		}()}, func(t *testing.T, e *discordgo.MessageEmbed) {
			if len(e.Fields) != 25 {
				t.Errorf("%d fields", len(e.Fields))
			}
		}},
		{"field name 256 value 1024", &discordgo.MessageEmbed{Fields: []*discordgo.MessageEmbedField{field(long(300), long(2000))}}, func(t *testing.T, e *discordgo.MessageEmbed) {
			if textLen(e.Fields[0].Name) != 256 || textLen(e.Fields[0].Value) != 1024 {
				t.Errorf("field %d/%d", textLen(e.Fields[0].Name), textLen(e.Fields[0].Value))
			}
		}},
		{"empty field gets zero-width space", &discordgo.MessageEmbed{Fields: []*discordgo.MessageEmbedField{field("", " ")}}, func(t *testing.T, e *discordgo.MessageEmbed) {
			if e.Fields[0].Name != zeroWidthSpace || e.Fields[0].Value != zeroWidthSpace {
				t.Errorf("field %q/%q", e.Fields[0].Name, e.Fields[0].Value)
			}
		}},
		{"footer 2048", &discordgo.MessageEmbed{Footer: &discordgo.MessageEmbedFooter{Text: long(3000)}}, func(t *testing.T, e *discordgo.MessageEmbed) {
			if textLen(e.Footer.Text) != 2048 {
				t.Errorf("footer %d", textLen(e.Footer.Text))
			}
		}},
		{"total 6000 shrinks description first", &discordgo.MessageEmbed{
			Title: long(200), Description: long(4096),
			Fields: []*discordgo.MessageEmbedField{field("a", long(1000)), field("b", long(1000))},
			Footer: &discordgo.MessageEmbedFooter{Text: long(100)},
		}, func(t *testing.T, e *discordgo.MessageEmbed) {
			if n := embedLen(e); n > 6000 {
				t.Errorf("total %d", n)
			}
			if len(e.Fields) != 2 || textLen(e.Title) != 200 {
				t.Errorf("fields %d title %d: should only have shrunk the description", len(e.Fields), textLen(e.Title))
			}
		}},
		{"total 6000 drops fields when description is short", &discordgo.MessageEmbed{
			Title: long(256), Description: long(50),
			Fields: func() (fs []*discordgo.MessageEmbedField) {
				for range 25 {
					fs = append(fs, field(long(256), long(1024)))
				}
				return fs
			}(),
			Footer: &discordgo.MessageEmbedFooter{Text: long(2048)},
		}, func(t *testing.T, e *discordgo.MessageEmbed) {
			if n := embedLen(e); n > 6000 {
				t.Errorf("total %d", n)
			}
			if len(e.Fields) == 0 || len(e.Fields) >= 25 {
				t.Errorf("%d fields left", len(e.Fields))
			}
		}},
		{"multibyte counted in UTF-16", &discordgo.MessageEmbed{Title: strings.Repeat("😀", 200)}, func(t *testing.T, e *discordgo.MessageEmbed) {
			if textLen(e.Title) > 256 || !utf8.ValidString(e.Title) {
				t.Errorf("title %d units, valid %v", textLen(e.Title), utf8.ValidString(e.Title))
			}
		}},
		{"untouched when within limits", &discordgo.MessageEmbed{Title: "t", Description: "d", Fields: []*discordgo.MessageEmbedField{field("n", "v")}}, func(t *testing.T, e *discordgo.MessageEmbed) {
			if e.Title != "t" || e.Description != "d" || e.Fields[0].Name != "n" || e.Fields[0].Value != "v" {
				t.Errorf("changed: %+v", e)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fitEmbed(tt.embed)
			tt.check(t, tt.embed)
			if n := embedLen(tt.embed); n > maxEmbedTotal {
				t.Errorf("total %d > %d", n, maxEmbedTotal)
			}
		})
	}
}

func TestFitContent(t *testing.T) {
	if got := fitContent(strings.Repeat("a", 2500)); textLen(got) != 2000 {
		t.Fatalf("content length %d", textLen(got))
	}
	if got := fitContent("short"); got != "short" {
		t.Fatalf("got %q", got)
	}
}
