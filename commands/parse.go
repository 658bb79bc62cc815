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

// parseText maps a typed line to a command and the text of its options. It
// accepts commands with or without a slash ("/cutoff@OurBot stem" too) and a
// few question shapes. ok is false when nothing matched.
func (e *Engine) parseText(text string) (cmd, args string, ok bool) {
	s := strings.ToLower(strings.Join(strings.Fields(text), " "))
	s = strings.TrimRight(s, "?!. ")
	if s == "" {
		return "help", "", false
	}
	first, rest, _ := strings.Cut(s, " ")
	first = strings.TrimPrefix(first, "/")
	if i := strings.IndexByte(first, '@'); i > 0 {
		first = first[:i]
	}
	if _, ok := e.specs[first]; ok || e.hasSubcommands(first) {
		for _, filler := range []string{"for ", "of ", "in "} {
			rest = strings.TrimPrefix(rest, filler)
		}
		return first, rest, true
	}
	switch s {
	case "latest draws", "recent draws", "last draws", "draws", "show draws", "latest rounds", "recent rounds":
		return "draws", "", true
	case "pool", "pool distribution", "crs distribution", "score distribution", "distribution", "the pool":
		return "pool", "", true
	case "categories", "list categories", "what categories", "current categories":
		return "categories", "", true
	case "last draw", "latest draw", "last cutoff", "latest cutoff", "what was the last draw", "what is the latest draw":
		return "cutoff", all, true
	}
	if m := reEligible.FindStringSubmatch(s); m != nil {
		return "eligible", m[1], true
	}
	if strings.Contains(s, "eligib") || strings.Contains(s, "elligib") {
		if c := reCode.FindString(s); c != "" {
			return "eligible", c, true
		}
	}
	if m := reScore.FindStringSubmatch(s); m != nil {
		return "match", strings.TrimSpace(m[1] + " " + strings.TrimSpace(m[2])), true
	}
	if m := reCutoff.FindStringSubmatch(s); m != nil {
		if key, ok := aliasKey(m[1]); ok {
			return "cutoff", key, true
		}
	}
	if m := reCutoffOf.FindStringSubmatch(s); m != nil {
		return "cutoff", strings.TrimSpace(m[1]), true
	}
	if m := reXCutoff.FindStringSubmatch(s); m != nil {
		if key, ok := aliasKey(m[1]); ok {
			return "cutoff", key, true
		}
	}
	if strings.HasSuffix(s, " history") {
		return "history", strings.TrimSuffix(s, " history"), true
	}
	if len(s) == 5 && isDigits(s) {
		return "eligible", s, true
	}
	if key, ok := aliasKey(s); ok && key != all {
		return "cutoff", key, true
	}
	return "help", "", false
}

// hasSubcommands reports whether name is typed with a subcommand ("draw").
func (e *Engine) hasSubcommands(name string) bool {
	for _, s := range e.specs {
		if s.Sub != "" && s.Name == name {
			return true
		}
	}
	return false
}
