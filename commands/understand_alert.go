package commands

import (
	"strconv"
	"strings"
)

// alertWords ask to be told of draws: "alert me", "notify me of french
// draws", "préviens-moi des tirages santé".
var alertWords = set("alert", "alerts", "alerte", "alertes", "notify", "notified", "notification", "notifications", "notifie", "notifiez",
	"notifier", "previens", "prevenez", "prevenir", "avertis", "avertissez", "avertir", "ping", "remind", "rappelle")

// alertPlural names alerts already set ("my alerts", "mes alertes").
var alertPlural = set("alerts", "alertes", "notifications")

// alertLine reads a question asking for a personal alert, or about one's
// alerts: "alert me when a healthcare draw is under 470" is "alert
// healthcare 470"; "stop my alerts" is "alert off"; "my alerts" is
// "alerts". score is the question's score, the alert's highest cutoff.
func (q *question) alertLine(score int) (string, bool) {
	if !q.kw(alertWords) && !q.any("let me know", "tell me when", "message me when", "dis moi quand", "fais moi signe", "ecris moi quand") {
		return "", false
	}
	switch {
	case q.kw(offWords) || q.any("no more", "plus d alerte", "plus d alertes", "turn off", "desactive"):
		return "alert off", true
	case q.kw(alertPlural) && len(q.cats) == 0 && score == 0:
		return "alerts", true
	}
	parts := []string{"alert"}
	for _, c := range q.cats {
		parts = append(parts, string(c))
	}
	if score > 0 {
		parts = append(parts, strconv.Itoa(score))
	}
	return strings.Join(parts, " "), true
}
