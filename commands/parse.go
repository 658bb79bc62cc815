package commands

import (
	"regexp"
	"strings"
)

var (
	reCode     = regexp.MustCompile(`\b\d{1,6}\b`)
	reEligible = regexp.MustCompile(`^(?:is|are|am i|can)\s+(?:noc\s+|my\s+)?(.+?)\s+(?:eligible|eligable|elligible|qualified|qualifying|in a category|on the list|on a list)\b`)
	reCutoff   = regexp.MustCompile(`^(?:what(?:'s| is| was)?\s+)?(?:the\s+)?(?:last|latest|recent|current|most recent)\s+(.*?)\s*(?:cutoff|cut off|cut-off|crs|score|draw|round)s?\b`)
	reCutoffOf = regexp.MustCompile(`^(?:cutoff|cut off|cut-off|crs)s?\s+(?:for|of|in)?\s*(.*)$`)
	reXCutoff  = regexp.MustCompile(`^(.+?)\s+(?:cutoff|cut off|cut-off|crs)$`)
	reScore    = regexp.MustCompile(`^(?:my\s+)?(?:crs\s+)?(?:score\s+(?:is\s+)?)(\d{1,4})\b(.*)$`)
)

// ParseText maps a typed line to a Request. It accepts commands with or
// without a slash ("/cutoff@OurBot stem" has its bot name removed by the
// adapter) and a few question shapes. ok is false when nothing matched.
func ParseText(text string) (Request, bool) {
	s := strings.ToLower(strings.Join(strings.Fields(text), " "))
	s = strings.TrimRight(s, "?!. ")
	if s == "" {
		return Request{Command: "help"}, false
	}
	first, rest, _ := strings.Cut(s, " ")
	first = strings.TrimPrefix(first, "/")
	if i := strings.IndexByte(first, '@'); i > 0 {
		first = first[:i]
	}
	if _, ok := handlers()[first]; ok {
		for _, filler := range []string{"for ", "of ", "in "} {
			rest = strings.TrimPrefix(rest, filler)
		}
		return Request{Command: first, Args: rest}, true
	}
	switch s {
	case "latest draws", "recent draws", "last draws", "draws", "show draws", "latest rounds", "recent rounds":
		return Request{Command: "draws"}, true
	case "pool", "pool distribution", "crs distribution", "score distribution", "distribution", "the pool":
		return Request{Command: "pool"}, true
	case "categories", "list categories", "what categories", "current categories":
		return Request{Command: "categories"}, true
	case "last draw", "latest draw", "last cutoff", "latest cutoff", "what was the last draw", "what is the latest draw":
		return Request{Command: "cutoff", Args: all}, true
	}
	if m := reEligible.FindStringSubmatch(s); m != nil {
		return Request{Command: "eligible", Args: m[1]}, true
	}
	if strings.Contains(s, "eligib") || strings.Contains(s, "elligib") {
		if c := reCode.FindString(s); c != "" {
			return Request{Command: "eligible", Args: c}, true
		}
	}
	if m := reScore.FindStringSubmatch(s); m != nil {
		return Request{Command: "match", Args: strings.TrimSpace(m[1] + " " + strings.TrimSpace(m[2]))}, true
	}
	if m := reCutoff.FindStringSubmatch(s); m != nil {
		if key, ok := aliasKey(m[1]); ok {
			return Request{Command: "cutoff", Args: key}, true
		}
	}
	if m := reCutoffOf.FindStringSubmatch(s); m != nil {
		return Request{Command: "cutoff", Args: strings.TrimSpace(m[1])}, true
	}
	if m := reXCutoff.FindStringSubmatch(s); m != nil {
		if key, ok := aliasKey(m[1]); ok {
			return Request{Command: "cutoff", Args: key}, true
		}
	}
	if strings.HasSuffix(s, " history") {
		return Request{Command: "history", Args: strings.TrimSuffix(s, " history")}, true
	}
	if len(s) == 5 && isDigits(s) {
		return Request{Command: "eligible", Args: s}, true
	}
	if key, ok := aliasKey(s); ok && key != all {
		return Request{Command: "cutoff", Args: key}, true
	}
	return Request{Command: "help"}, false
}
