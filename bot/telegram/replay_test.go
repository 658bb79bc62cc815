package telegram

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/eebot/eebot/commands/commandstest"
)

// replayCase is one fixture under testdata/updates: an update as
// getUpdates delivers it, and what the bot must queue in answer.
type replayCase struct {
	About        string          `json:"about"`
	MemberStatus string          `json:"member_status"` // getChatMember's answer for the sender
	Update       json.RawMessage `json:"update"`
	Want         []struct {
		Chat     int64    `json:"chat"`
		ReplyTo  int      `json:"reply_to"`
		Edit     int      `json:"edit"`
		Contains []string `json:"contains"`
	} `json:"want"`
	Calls []string `json:"calls"` // Bot API methods called while answering
}

// memoryAPI answers the Bot API calls made while handling an update
// (getMe at New, getChatMember, answerCallbackQuery) in memory, so replayed
// updates go through the real client library without a socket.
type memoryAPI struct {
	mu     sync.Mutex
	status string
	calls  []string
}

func (m *memoryAPI) RoundTrip(r *http.Request) (*http.Response, error) {
	method := r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:]
	m.mu.Lock()
	m.calls = append(m.calls, method)
	status := m.status
	m.mu.Unlock()
	result := `true`
	switch method {
	case "getMe":
		result = `{"id":7312345678,"is_bot":true,"first_name":"EE Bot","username":"OurBot"}`
	case "getChatMember":
		result = `{"user":{"id":4242,"is_bot":false,"first_name":"Alice"},"status":"` + status + `"}`
	}
	body := `{"ok":true,"result":` + result + `}`
	return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(strings.NewReader(body)), Request: r}, nil
}

// queued lists the jobs waiting in the send queue, oldest first.
func queued(q *queue) []*job {
	q.mu.Lock()
	defer q.mu.Unlock()
	var out []*job
	for _, c := range q.chats {
		out = append(out, c.jobs...)
	}
	slices.SortFunc(out, func(a, b *job) int { return int(a.seq) - int(b.seq) })
	return out
}

// Real updates replayed through the adapter's handler: what is queued to
// send (text, chat, reply, edit) and which API calls were made.
func TestReplayUpdates(t *testing.T) {
	files, err := filepath.Glob("testdata/updates/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	eng := commandstest.New(t)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var tc replayCase
			if err := json.Unmarshal(raw, &tc); err != nil {
				t.Fatal(err)
			}
			var u tgbotapi.Update
			if err := json.Unmarshal(tc.Update, &u); err != nil {
				t.Fatal(err)
			}
			api := &memoryAPI{status: tc.MemberStatus}
			b, err := New(Config{Token: "7312345678:AAHfake", HTTPClient: &http.Client{Transport: api},
				Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, eng)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := b.identify(t.Context()); err != nil {
				t.Fatal(err)
			}
			api.calls = nil // getMe
			b.handleUpdate(t.Context(), u)
			jobs := queued(b.queue)
			if len(jobs) != len(tc.Want) {
				t.Fatalf("%s: %d messages queued, want %d", tc.About, len(jobs), len(tc.Want))
			}
			for i, w := range tc.Want {
				j := jobs[i]
				text := j.parts[0].text
				if j.chatID != w.Chat || j.parts[0].replyTo != w.ReplyTo || j.edit != w.Edit {
					t.Errorf("%s: chat %d reply_to %d edit %d, want %d %d %d", tc.About, j.chatID, j.parts[0].replyTo, j.edit, w.Chat, w.ReplyTo, w.Edit)
				}
				for _, c := range w.Contains {
					if !strings.Contains(text, c) {
						t.Errorf("%s: %q missing from\n%s", tc.About, c, text)
					}
				}
			}
			if !slices.Equal(api.calls, tc.Calls) {
				t.Errorf("%s: API calls %v, want %v", tc.About, api.calls, tc.Calls)
			}
		})
	}
}
