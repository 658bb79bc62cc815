package telegram

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/eebot/eebot/bot/telegram/faketelegram"
	"github.com/eebot/eebot/internal/reply"
)

func note(i int) reply.Reply {
	return reply.Reply{Title: fmt.Sprintf("Note %d", i), Summary: "Body"}
}

// Test429: flood control on one message pauses that chat for retry_after,
// then the same message goes through once; nothing is lost or doubled and
// order is kept. It runs in a synctest bubble: the pauses pass on the
// bubble's clock.
func Test429(t *testing.T) {
	synctest.Test(t, test429)
}

func test429(t *testing.T) {
	h := startMem(t, nil, nil)
	chat := alice.ID
	h.srv.Script("sendMessage", chat, 2, faketelegram.TooMany(3)) // 3 units = 30ms at 100×
	ctx := ctxT(t)
	t0 := time.Now()
	errs := make(chan error, 5)
	for i := range 5 {
		go func() {
			_, err := h.bot.Post(ctx, chat, note(i))
			errs <- err
		}()
		// Enqueue in order: let this Post queue its message (or send it)
		// and wait for the outcome before posting the next.
		synctest.Wait()
		if n := h.bot.queue.pending() + len(h.srv.Sent(chat)); n < i+1 {
			t.Fatalf("message %d never queued (%d queued or sent)", i, n)
		}
	}
	for range 5 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if d := time.Since(t0); d < 60*time.Millisecond {
		t.Errorf("two 429s with retry_after 3 (×10ms) took only %v", d)
	}
	sent := h.srv.Sent(chat)
	var titles []string
	for _, c := range sent {
		titles = append(titles, strings.SplitN(c.Plain, "\n", 2)[0])
	}
	if got := strings.Join(titles, ","); got != "Note 0,Note 1,Note 2,Note 3,Note 4" {
		t.Errorf("delivered %s", got)
	}
	if r := h.srv.Rejected("sendMessage"); len(r) != 2 || r[0].Code != 429 || !strings.HasPrefix(r[0].Plain+r[0].Text, "<b>Note 0") {
		t.Errorf("rejected: %+v", r)
	}
}

// Test429GivesUp: a chat that stays flooded fails with a typed error.
func Test429GivesUp(t *testing.T) {
	h := start(t, nil, func(c *Config) { c.Limits.MaxRetries = 2 })
	h.srv.Script("sendMessage", alice.ID, 10, faketelegram.TooMany(1))
	_, err := h.bot.Post(ctxT(t), alice.ID, note(1))
	var se *sendError
	if !errors.As(err, &se) || se.Kind != kindRateLimited || se.RetryAfter != 10*time.Millisecond {
		t.Fatalf("err = %#v", err)
	}
	if n := len(h.srv.Rejected("sendMessage")); n != 3 {
		t.Errorf("%d attempts, want 3", n)
	}
}

// Test403: a blocked chat fails with errBlocked, is reported once, and the
// other chats are unaffected.
func Test403(t *testing.T) {
	h := start(t, nil, nil)
	h.srv.Block(bob.ID, "")
	ctx := ctxT(t)
	_, err := h.bot.Post(ctx, bob.ID, note(1))
	if !errors.Is(err, errBlocked) {
		t.Fatalf("err = %v", err)
	}
	var se *sendError
	if errors.As(err, &se); se.ChatID != bob.ID || se.Code != 403 || !strings.Contains(se.Description, "blocked") {
		t.Errorf("error: %+v", se)
	}
	select {
	case id := <-h.gone:
		if id != bob.ID {
			t.Errorf("reported chat %d", id)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("403 not reported")
	}
	if id, err := h.bot.Post(ctx, alice.ID, note(2)); err != nil || id == 0 {
		t.Errorf("other chat: %d %v", id, err)
	}
	// A user who removes the bot is reported through my_chat_member too.
	h.srv.PushRaw(map[string]any{"my_chat_member": map[string]any{
		"chat": faketelegram.GroupChat(-555, "g"), "from": alice, "date": 1,
		"old_chat_member": map[string]any{"user": h.srv.Me(), "status": "member"},
		"new_chat_member": map[string]any{"user": h.srv.Me(), "status": "kicked"},
	}})
	select {
	case id := <-h.gone:
		if id != -555 {
			t.Errorf("reported chat %d", id)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("my_chat_member kick not reported")
	}
}

// TestMigration: a send to a group that became a supergroup is re-sent to
// the new ID and the migration reported; later sends go there directly.
func TestMigration(t *testing.T) {
	h := start(t, nil, nil)
	const oldID, newID = -4001, -1004001
	h.srv.MigrateChat(oldID, newID)
	ctx := ctxT(t)
	id, err := h.bot.Post(ctx, oldID, note(1))
	if err != nil || id == 0 {
		t.Fatalf("Post: %d %v", id, err)
	}
	select {
	case m := <-h.migr:
		if m != (migration{oldID, newID}) {
			t.Errorf("migration %+v", m)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("migration not reported")
	}
	if _, err := h.bot.Post(ctx, oldID, note(2)); err != nil {
		t.Fatal(err)
	}
	if n := len(h.srv.Sent(newID)); n != 2 {
		t.Errorf("%d messages reached the supergroup", n)
	}
	if n := len(h.srv.Rejected("sendMessage")); n != 1 {
		t.Errorf("%d rejected sends, want 1", n)
	}
	// The service message in the group is honoured too.
	h.srv.PushMigration(-4002, -1004002)
	select {
	case m := <-h.migr:
		if m != (migration{-4002, -1004002}) {
			t.Errorf("migration %+v", m)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("service-message migration not reported")
	}
	if _, err := h.bot.Post(ctx, -4002, note(3)); err != nil || len(h.srv.Sent(-1004002)) != 1 {
		t.Errorf("after service message: %v, %d sent", err, len(h.srv.Sent(-1004002)))
	}
}

// TestLongReply: a reply over 4096 characters arrives as several valid
// messages, in order, the keyboard on the last.
func TestLongReply(t *testing.T) {
	h := start(t, nil, nil)
	var rows [][]string
	for i := range 400 {
		rows = append(rows, []string{fmt.Sprint(1000 + i), "2026-01-01", "Healthcare & <social>", "475", "4,000"})
	}
	r := reply.Reply{
		Title: "Long", URL: round422, Summary: strings.Repeat("Lorem ipsum & dolor <sit> amet. ", 100),
		Table: &reply.Table{Header: []string{"#", "Date", "Type", "CRS", "ITAs"}, Rows: rows},
		Pager: &reply.Pager{Command: "history", Args: "healthcare", Page: 1, Pages: 3},
	}
	id, err := h.bot.Post(ctxT(t), alice.ID, r)
	if err != nil {
		t.Fatal(err)
	}
	sent := h.srv.Sent(alice.ID)
	if len(sent) < 3 || sent[0].MessageID != id {
		t.Fatalf("%d parts, first id %d vs %d", len(sent), sent[0].MessageID, id)
	}
	var all strings.Builder
	for i, c := range sent {
		checkMessage(t, c)
		if utf16Len(c.Text) > MaxMessage {
			t.Errorf("part %d too long", i)
		}
		if (c.ReplyMarkup != "") != (i == len(sent)-1) {
			t.Errorf("part %d markup %q", i, c.ReplyMarkup)
		}
		all.WriteString(c.Plain + "\n")
	}
	for i := range 400 {
		if n := strings.Count(all.String(), fmt.Sprintf("%d 2026-01-01 ", 1000+i)); n != 1 {
			t.Fatalf("row %d appears %d times", 1000+i, n)
		}
	}
}

// TestPostCanceled: a Post whose context ends while queued is dropped. It
// runs in a synctest bubble: the chat's one-second spacing passes on the
// bubble's clock.
func TestPostCanceled(t *testing.T) {
	synctest.Test(t, testPostCanceled)
}

func testPostCanceled(t *testing.T) {
	h := startMem(t, nil, func(c *Config) { c.Limits = DefaultLimits() }) // 1/s per chat
	ctx := ctxT(t)
	if _, err := h.bot.Post(ctx, alice.ID, note(1)); err != nil {
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	if _, err := h.bot.Post(short, alice.ID, note(2)); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
	// Past the chat's next slot, when the message would have gone out.
	time.Sleep(1200 * time.Millisecond)
	synctest.Wait()
	if n := len(h.srv.Sent(alice.ID)); n != 1 {
		t.Errorf("canceled message was sent (%d sent)", n)
	}
}

// TestTokenNotLogged: network errors carry the URL, and so the token;
// the bot strips it before logging or returning them.
func TestTokenNotLogged(t *testing.T) {
	h := start(t, nil, nil)
	h.srv.Close() // every call now fails with a connection error
	_, err := h.bot.Post(ctxT(t), alice.ID, note(1))
	if err == nil || strings.Contains(err.Error(), h.srv.Token()) {
		t.Fatalf("err = %v", err)
	}
	if se := (*sendError)(nil); !errors.As(err, &se) || se.Kind != kindTransient {
		t.Errorf("err = %v, want transient", err)
	}
	// Let the poller log its failure, however loaded the machine is.
	h.logs.Wait(ctxT(t), func(log string) bool { return strings.Contains(log, "<token>") })
	h.stop() // checks the logs
	if !strings.Contains(h.logs.String(), "<token>") {
		t.Errorf("expected a redacted URL in the logs:\n%s", h.logs.String())
	}
}
