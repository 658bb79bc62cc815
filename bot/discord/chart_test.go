package discord

import (
	"bytes"
	"context"
	"encoding/json"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/eebot/eebot/bot/discord/fakediscord"
	"github.com/eebot/eebot/commands"
	"github.com/eebot/eebot/internal/reply"
)

// TestSlashChart: /chart answers with an embed whose image is the PNG
// uploaded with it (multipart, attachment://name), its alt text in the
// attachment's description, and the headline as the title.
func TestSlashChart(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	h.start()
	for _, tc := range []struct {
		name   string
		in     fakediscord.Interaction
		title  string
		locale string
	}{
		{"one category", slash("chart", str("categories", "healthcare")), "Healthcare cutoffs since Express Entry began: 422 to 510, latest 475 on Jun 25, 2026", ""},
		{"three, 2025", slash("chart", str("categories", "cec french healthcare"), str("period", "2025")), "CRS cutoffs in 2025, latest: CEC 515 · French-language 399 · Healthcare 476", ""},
		{"pool", slash("chart", str("what", "pool")), "226,859 candidates in the pool on Aug 16, 2026 (▼2,241 since Aug 3, 2026)", ""},
		{"french", slash("chart", str("categories", "healthcare")), "Santé\u00a0: seuils depuis le début d’Entrée express de 422 à 510, dernier 475 le 25\u00a0juin\u00a02026", "fr"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// Drawn beforehand, as a repeat is served: a render takes ~10 ms,
			// but seconds under -race on a busy machine, past Discord's
			// 3-second window. What is tested here is the upload.
			warm(h, tc.in, tc.locale)
			tc.in.ID = fakediscord.NextID()
			tc.in.Locale = tc.locale
			if _, err := h.fake.Push(tc.in); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			cb, err := h.fake.AwaitCallback(ctx, tc.in.ID)
			if err != nil {
				t.Fatalf("no valid callback: %v\nlogs:\n%s", err, h.logs)
			}
			if len(cb.Files) != 1 {
				t.Fatalf("want 1 file, got %d", len(cb.Files))
			}
			f := cb.Files[0]
			img, err := png.Decode(bytes.NewReader(f.Data))
			if err != nil || img.Bounds().Dx() < 800 || img.Bounds().Dy() < 450 {
				t.Fatalf("file %s: %v, %v", f.Name, err, img.Bounds())
			}
			if f.ContentType != "image/png" || !strings.HasSuffix(f.Name, ".png") {
				t.Errorf("file %q of type %q", f.Name, f.ContentType)
			}
			var data struct {
				Embeds []struct {
					Title       string `json:"title"`
					Description string `json:"description"`
					Image       struct {
						URL string `json:"url"`
					} `json:"image"`
				} `json:"embeds"`
				Attachments []struct {
					ID          int    `json:"id"`
					Filename    string `json:"filename"`
					Description string `json:"description"`
				} `json:"attachments"`
			}
			if err := json.Unmarshal(cb.Body.Data, &data); err != nil || len(data.Embeds) != 1 {
				t.Fatalf("data %v: %s", err, cb.Raw)
			}
			e := data.Embeds[0]
			if e.Title != tc.title {
				t.Errorf("title %q, want %q", e.Title, tc.title)
			}
			if e.Image.URL != "attachment://"+f.Name {
				t.Errorf("embed image %q, file %q", e.Image.URL, f.Name)
			}
			if len(data.Attachments) != 1 || data.Attachments[0].Filename != f.Name || !strings.HasPrefix(data.Attachments[0].Description, e.Title) {
				t.Errorf("attachments %+v", data.Attachments)
			}
			if strings.Contains(e.Description, "•") {
				t.Errorf("the embed repeats the details beside the picture: %q", e.Description)
			}
		})
	}
}

// TestFakeRejectsBadAttachments: the fake refuses what Discord refuses, so
// the tests above mean something.
func TestFakeRejectsBadAttachments(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	h.start()
	m := render(reply.Reply{Status: reply.StatusOK, Title: "t", Image: &reply.Image{Name: "a.png", Type: "image/png", Data: []byte("x"), Alt: "alt"}}, testWords)
	m.Embed.Image.URL = "attachment://b.png" // names no uploaded file
	i := &discordgo.Interaction{ID: fakediscord.NextID(), Token: "itok-x"}
	if err := h.bot.respond(context.Background(), i, m.response(discordgo.InteractionResponseChannelMessageWithSource)); err == nil || !strings.Contains(err.Error(), "50035") {
		t.Errorf("an embed naming no uploaded file was accepted: %v", err)
	}
}

// warm asks the engine for an interaction's chart, so that its answer is
// in the engine's memory.
func warm(h *harness, in fakediscord.Interaction, locale string) {
	var what, cats, per string
	for _, o := range in.Options {
		switch o.Name {
		case "what":
			what = o.Value.(string)
		case "categories":
			cats = o.Value.(string)
		case "period":
			per = o.Value.(string)
		}
	}
	h.bot.eng.Command(context.Background(), "chart", strings.TrimSpace(cats+" "+per+" "+what), 0, commands.Caller{Locale: locale})
}
