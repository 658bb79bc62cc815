package telegram

import (
	"strings"
	"testing"

	"github.com/eebot/eebot/bot/telegram/faketelegram"
)

// The guided crs questions run in one message: each press edits it in
// place with the next question and its keyboard, and the last shows the
// score with Save, Back and Start over; a typed answer is answered in a
// new message.
func TestCRSGuidedEditsOneMessage(t *testing.T) {
	h := start(t, nil, nil)
	chat := faketelegram.PrivateChat(alice)
	first := h.ask(chat, alice, "/crs")
	if !strings.Contains(first.Plain, "spouse") {
		t.Fatalf("first question:\n%s", first.Plain)
	}
	msg := first.MessageID
	markup := first.ReplyMarkup
	edits := 0
	press := func(label string) faketelegram.Call {
		t.Helper()
		var data string
		for _, row := range parseKeyboard(t, markup).Rows {
			for _, b := range row {
				if b.Text == label {
					data = b.CallbackData
				}
			}
		}
		if data == "" {
			t.Fatalf("no button %q in %s", label, markup)
		}
		if len(data) > MaxCallbackData {
			t.Errorf("%q: callback data of %d bytes", label, len(data))
		}
		h.srv.PushCallback(chat, alice, msg, data)
		edits++
		calls, err := h.srv.WaitCalls(ctxT(t), "editMessageText", edits)
		if err != nil {
			t.Fatal(err)
		}
		e := calls[edits-1]
		if e.MessageID != msg || e.ChatID != alice.ID {
			t.Fatalf("edit of message %d in chat %d, want %d", e.MessageID, e.ChatID, msg)
		}
		markup = e.ReplyMarkup
		return e
	}
	press("No")
	e := press("20–29")
	if !strings.Contains(e.Plain, "education") {
		t.Fatalf("after the age:\n%s", e.Plain)
	}
	for _, l := range []string{"Master's / professional", "IELTS General Training", "8.5–9", "8–9", "7.5–9", "7.5–9", "No test", "2", "3+"} {
		press(l)
	}
	for _, l := range []string{"None", "No", "No"} {
		e = press(l)
	}
	if !strings.Contains(e.Plain, "CRS 534") {
		t.Errorf("the score:\n%s", e.Plain)
	}
	var labels []string
	for _, row := range parseKeyboard(t, markup).Rows {
		for _, b := range row {
			labels = append(labels, b.Text)
		}
	}
	if strings.Join(labels, " ") != "Save ◀ Back Start over" {
		t.Errorf("buttons under the score: %v", labels)
	}
	if n := len(h.srv.Sent(alice.ID)); n != 1 {
		t.Errorf("%d messages sent; the questions should edit one", n)
	}
	// Back, then a typed answer: a new message.
	press("◀ Back")
	c := h.ask(chat, alice, "yes")
	if !strings.Contains(c.Plain, "nomination") || c.MessageID == msg {
		t.Errorf("typed answer:\n%s", c.Plain)
	}
}
