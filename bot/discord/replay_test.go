package discord

import (
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/eebot/eebot/bot/discord/fakediscord"
	"github.com/eebot/eebot/commands/commandstest"
)

// Real INTERACTION_CREATE payloads (testdata/interactions) replayed
// through the adapter's handler, without a socket: the callback body the
// bot would send, as Discord would read it.
func TestReplayInteractions(t *testing.T) {
	files, err := filepath.Glob("testdata/interactions/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	b, err := New(Config{Token: fakediscord.Token, APIURL: "http://127.0.0.1:1/api/v9/",
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, commandstest.New(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var tc struct {
				About       string          `json:"about"`
				Interaction json.RawMessage `json:"interaction"`
				Want        struct {
					Type      discordgo.InteractionResponseType `json:"type"`
					Ephemeral *bool                             `json:"ephemeral"`
					Contains  []string                          `json:"contains"`
				} `json:"want"`
			}
			if err := json.Unmarshal(raw, &tc); err != nil {
				t.Fatal(err)
			}
			var i discordgo.Interaction
			if err := json.Unmarshal(tc.Interaction, &i); err != nil {
				t.Fatal(err)
			}
			resp := b.answer(t.Context(), &i)
			body, err := json.Marshal(resp)
			if err != nil {
				t.Fatal(err)
			}
			if resp.Type != tc.Want.Type {
				t.Errorf("%s: response type %d, want %d: %s", tc.About, resp.Type, tc.Want.Type, body)
			}
			if e := tc.Want.Ephemeral; e != nil && (resp.Data != nil && resp.Data.Flags&discordgo.MessageFlagsEphemeral != 0) != *e {
				t.Errorf("%s: ephemeral should be %v: %s", tc.About, *e, body)
			}
			for _, c := range tc.Want.Contains {
				if !strings.Contains(string(body), c) {
					t.Errorf("%s: %q missing from %s", tc.About, c, body)
				}
			}
			if strings.Contains(string(body), `"parse":["everyone"]`) || strings.Contains(string(body), "@everyone") {
				t.Errorf("%s: may ping everyone: %s", tc.About, body)
			}
		})
	}
}
