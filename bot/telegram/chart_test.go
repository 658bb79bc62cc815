package telegram

import (
	"bytes"
	"context"
	"image/png"
	"log/slog"
	"strings"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/eebot/eebot/bot/telegram/faketelegram"
	"github.com/eebot/eebot/commands"
	"github.com/eebot/eebot/commands/commandstest"
	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/i18n"
	"github.com/eebot/eebot/internal/reply"
	"github.com/eebot/eebot/internal/store/storetest"
)

// askPhoto sends text and waits for the n-th sendPhoto to the chat.
func (h *harness) askPhoto(chat faketelegram.Chat, from faketelegram.User, text string) faketelegram.Call {
	h.t.Helper()
	before := len(h.photos(chat.ID))
	h.srv.PushText(chat, from, text)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := h.srv.Wait(ctx, func(v faketelegram.View) bool {
		n := 0
		for _, c := range v.Calls("sendPhoto") {
			if c.ChatID == chat.ID {
				n++
			}
		}
		return n > before
	})
	if err != nil {
		h.t.Fatalf("no photo for %q: %v\nlogs:\n%s", text, err, h.logs)
	}
	return h.photos(chat.ID)[before]
}

func (h *harness) photos(chatID int64) []faketelegram.Call {
	var out []faketelegram.Call
	for _, c := range h.srv.Calls("sendPhoto") {
		if c.ChatID == chatID {
			out = append(out, c)
		}
	}
	return out
}

// TestChartPhoto: a chart is a sendPhoto with the answer as its caption
// (within 1,024 characters, the key numbers in it); the same chart again
// is sent by the file_id Telegram returned; a new draw makes a new
// picture, uploaded.
func TestChartPhoto(t *testing.T) {
	db := storetest.Store(t)
	eng := commands.New(db, commands.WithClock(storetest.Now), commands.WithLogger(slog.New(slog.DiscardHandler)))
	h := start(t, eng, nil)
	chat := faketelegram.PrivateChat(alice)

	first := h.askPhoto(chat, alice, "/chart healthcare")
	img, err := png.Decode(bytes.NewReader(first.Photo))
	if err != nil || img.Bounds().Dx() < 800 || img.Bounds().Dy() < 450 {
		t.Fatalf("photo: %v %v", err, img.Bounds())
	}
	if first.FileID != "" {
		t.Errorf("the first chart should be uploaded, not sent by file_id %q", first.FileID)
	}
	for _, w := range []string{"Healthcare cutoffs since Express Entry began: 422 to 510, latest 475 on Jun 25, 2026", "15 draws", "38,350 invitations", "v3 Feb 20, 2026", "data as of Aug 20, 2026"} {
		if !strings.Contains(first.Plain, w) {
			t.Errorf("caption lacks %q:\n%s", w, first.Plain)
		}
	}

	again := h.askPhoto(chat, alice, "healthcare trend")
	if again.FileID == "" || !bytes.Equal(again.Photo, first.Photo) {
		t.Errorf("the same chart was uploaded again (file_id %q)", again.FileID)
	}

	// A new healthcare draw moves the last point: a new picture.
	d := domain.Draw{Number: "438", Seq: 438, Date: "2026-08-20", Name: "Healthcare and social services occupations (Version 3)",
		Category: domain.Healthcare, Version: 3, Type: domain.TypeCategory, Size: 2500, CRS: 455, URL: domain.RoundURL("438")}
	if _, err := db.SaveDraws(context.Background(), []domain.Draw{d}, domain.OriginModerator); err != nil {
		t.Fatal(err)
	}
	after := h.askPhoto(chat, alice, "/chart healthcare")
	if after.FileID != "" || bytes.Equal(after.Photo, first.Photo) {
		t.Errorf("after a new draw the chart is the old one (file_id %q)", after.FileID)
	}
	if !strings.Contains(after.Plain, "latest 455 on Aug 20, 2026") {
		t.Errorf("caption after the new draw:\n%s", after.Plain)
	}

	if r := h.srv.Rejected(""); len(r) > 0 {
		t.Errorf("refused: %s %d %s", r[0].Method, r[0].Code, r[0].Description)
	}
	// French, several categories, the pool: every caption fits.
	for _, q := range []string{"graphique santé", "/chart cec french healthcare 2025", "/chart pool", "/chart", "/chart cec french healthcare stem trades education"} {
		c := h.askPhoto(chat, bob, q)
		if n := len([]rune(c.Plain)); n == 0 || n > faketelegram.MaxCaption {
			t.Errorf("%q: caption of %d characters", q, n)
		}
		if _, err := png.Decode(bytes.NewReader(c.Photo)); err != nil {
			t.Errorf("%q: %v", q, err)
		}
	}
	if r := h.srv.Rejected(""); len(r) > 0 {
		t.Errorf("refused: %s %d %s", r[0].Method, r[0].Code, r[0].Description)
	}
}

// TestCaptionFits: a reply too long for a caption keeps its headline and
// summary in the caption and sends the rest as a text message.
func TestCaptionFits(t *testing.T) {
	words, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	w := words.Printer(i18n.EN)
	b := &Bot{pages: newPageKeys(16)}
	r := reply.Reply{Status: reply.StatusOK, Title: "CRS cutoffs", Summary: "Key numbers.", Footer: "IRCC rounds feed",
		Note: "A note.", Image: &reply.Image{Name: "c.png", Data: []byte{1}, Key: "k"}}
	for range 30 {
		r.Lines = append(r.Lines, strings.Repeat("detail ", 8))
	}
	parts := b.photoMessages(r, 7, w)
	if len(parts) != 2 || parts[0].photo == nil || parts[0].replyTo != 7 || parts[1].photo != nil {
		t.Fatalf("parts %+v", parts)
	}
	plain, err := faketelegram.ParseHTML(parts[0].text)
	if err != nil || len([]rune(plain)) > MaxCaption || !strings.Contains(plain, "CRS cutoffs") || !strings.Contains(plain, "Key numbers.") {
		t.Errorf("caption %q (%v)", plain, err)
	}
	if !strings.Contains(parts[1].text, "detail") {
		t.Errorf("the details were lost: %q", parts[1].text)
	}
}

// TestPhotoIDForgotten: a file_id Telegram refuses is forgotten and the
// picture uploaded again, in the same send.
func TestPhotoIDForgotten(t *testing.T) {
	h := start(t, nil, nil)
	chat := faketelegram.PrivateChat(alice)
	first := h.askPhoto(chat, alice, "/chart stem")
	h.srv.ForgetPhotos()
	again := h.askPhoto(chat, alice, "/chart stem")
	if again.FileID != "" || !bytes.Equal(again.Photo, first.Photo) {
		t.Errorf("file_id %q after Telegram forgot it", again.FileID)
	}
	if n := len(h.srv.Rejected("sendPhoto")); n != 1 {
		t.Errorf("%d refused sends, want the one by the forgotten file_id", n)
	}
	third := h.askPhoto(chat, alice, "/chart stem")
	if third.FileID == "" {
		t.Error("the new upload's file_id was not kept")
	}
}

// TestFakePhotoChecks: the fake refuses what Telegram refuses.
func TestFakePhotoChecks(t *testing.T) {
	srv := faketelegram.New()
	t.Cleanup(srv.Close)
	api, err := tgbotapi.NewBotAPIWithClient(srv.Token(), srv.Endpoint(), srv.Client())
	if err != nil {
		t.Fatal(err)
	}
	png := chartPNG(t)
	for _, tc := range []struct {
		name    string
		file    tgbotapi.RequestFileData
		caption string
		want    string
	}{
		{"caption too long", tgbotapi.FileBytes{Name: "c.png", Bytes: png}, strings.Repeat("é", 1025), "caption is too long"},
		{"not an image", tgbotapi.FileBytes{Name: "c.png", Bytes: []byte("not a picture")}, "x", "IMAGE_PROCESS_FAILED"},
		{"unknown file_id", tgbotapi.FileID("AgACAgNope"), "x", "wrong file identifier"},
		{"bad HTML", tgbotapi.FileBytes{Name: "c.png", Bytes: png}, "<b>open", "can't parse entities"},
	} {
		c := tgbotapi.NewPhoto(alice.ID, tc.file)
		c.Caption, c.ParseMode = tc.caption, tgbotapi.ModeHTML
		if _, err := api.Send(c); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
	c := tgbotapi.NewPhoto(alice.ID, tgbotapi.FileBytes{Name: "c.png", Bytes: png})
	c.Caption, c.ParseMode = strings.Repeat("é", 1024), tgbotapi.ModeHTML
	m, err := api.Send(c)
	if err != nil || len(m.Photo) == 0 {
		t.Fatalf("a 1,024-character caption: %v", err)
	}
	c = tgbotapi.NewPhoto(alice.ID, tgbotapi.FileID(largest(m.Photo)))
	if _, err := api.Send(c); err != nil {
		t.Errorf("by file_id: %v", err)
	}
}

func chartPNG(t *testing.T) []byte {
	r := commandstest.New(t).Command(context.Background(), "chart", "stem", 0, commands.Caller{})
	if r.Image == nil {
		t.Fatal("no chart")
	}
	return r.Image.Data
}
