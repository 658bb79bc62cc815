package fakediscord

import (
	"encoding/json"
	"net/http"
)

// DMs: POST /users/@me/channels opens (or returns) the bot's DM channel
// with a user, as discordgo's UserChannelCreate asks. Discord refuses it
// for a user who shares no server with the bot or blocks it; RefuseDM
// makes the fake do so.

// DMChannel is the ID of the bot's DM channel with a user: "31" and the
// user ID's digits after its first two, so UserID's is the channel a DM
// interaction comes from by default.
func DMChannel(userID string) string {
	if len(userID) < 3 {
		return "31" + userID
	}
	return "31" + userID[2:]
}

// RefuseDM makes opening a DM with the user fail as Discord fails it
// (403, code 50007); refuse false undoes it.
func (s *Server) RefuseDM(userID string, refuse bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.noDM == nil {
		s.noDM = map[string]bool{}
	}
	s.noDM[userID] = refuse
}

func (s *Server) dmRoutes(mux *http.ServeMux) {
	mux.HandleFunc("POST /api/v9/users/@me/channels", func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			RecipientID string `json:"recipient_id"`
		}
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.RecipientID == "" {
			writeJSON(w, http.StatusBadRequest, map[string]any{"message": "Invalid Form Body", "code": 50035})
			return
		}
		s.mu.Lock()
		refused := s.noDM[body.RecipientID]
		s.mu.Unlock()
		if refused {
			writeJSON(w, http.StatusForbidden, map[string]any{"message": "Cannot send messages to this user", "code": 50007})
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"id": DMChannel(body.RecipientID), "type": 1,
			"recipients": []map[string]any{{"id": body.RecipientID, "username": "alice", "discriminator": "0"}}})
	})
}
