package commands

import (
	"strings"

	"github.com/eebot/eebot/internal/domain"
)

// all is the pseudo-category for "every round type".
const all domain.Key = "all"

// aliasKey maps what people type to a category or program key, after
// normAlias has removed case, spacing and filler words.
func aliasKey(s string) (domain.Key, bool) {
	switch normAlias(s) {
	case "health", "healthcare", "hc", "healthcaresocialservices", "healthsocialservices", "healthcaresocial", "socialservices", "medical", "nursing", "santé", "sante":
		return domain.Healthcare, true
	case "stem", "science", "tech", "technology", "engineering":
		return domain.STEM, true
	case "trade", "trades", "skilledtrades", "tradeoccupations", "tradesoccupations", "métiers", "metiers":
		return domain.Trades, true
	case "transport", "transportation", "transit", "aviation":
		return domain.Transport, true
	case "agriculture", "agri", "agrifood", "agricultureagrifood", "agriculturefood", "farming":
		return domain.Agriculture, true
	case "french", "francophone", "fr", "frenchlanguage", "frenchlanguageproficiency", "français", "francais":
		return domain.French, true
	case "education", "teachers", "teaching", "edu":
		return domain.Education, true
	case "physicians", "physician", "doctors", "doctor", "médecins", "medecins":
		return domain.Physicians, true
	case "seniormanagers", "seniormanager", "managers", "senior", "executives":
		return domain.SeniorManagers, true
	case "military", "militaryrecruits", "skilledmilitaryrecruits", "armedforces":
		return domain.Military, true
	case "researchers", "researcher", "research":
		return domain.Researchers, true
	case "cec", "canadianexperience", "canadianexperienceclass":
		return domain.CEC, true
	case "pnp", "provincial", "provincialnominee", "provincialnomineeprogram", "pn":
		return domain.PNP, true
	case "fsw", "federalskilledworker", "federalskilledworkers":
		return domain.FSW, true
	case "fst", "federalskilledtrades", "federalskilledtrade":
		return domain.FST, true
	case "general", "allprogram", "allprograms", "generaldraw":
		return domain.General, true
	case "noprogram", "noprogramspecified", "none":
		return domain.NoProgram, true
	case "all", "any", "every", "everything", "latest", "":
		return all, true
	case "unmapped", "other", "unrecognised", "unrecognized":
		return domain.Unmapped, true
	}
	return "", false
}

// normAlias lower-cases and drops spaces, punctuation and the filler words
// people add ("healthcare draw", "the stem category").
func normAlias(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	var b strings.Builder
	for _, w := range strings.FieldsFunc(s, func(r rune) bool {
		return r == ' ' || r == '-' || r == '_' || r == ',' || r == '.' || r == '/' || r == '&' || r == '(' || r == ')' || r == '\'' || r == '?' || r == '!'
	}) {
		switch w {
		case "the", "category", "categories", "draw", "draws", "round", "rounds", "occupations", "occupation",
			"and", "of", "stream", "based", "selection", "cutoff", "cutoffs", "cut", "off", "crs", "score", "last",
			"latest", "recent", "for", "in", "ee", "express", "entry", "jobs", "proficiency", "what", "was", "is", "s":
			continue
		}
		b.WriteString(w)
	}
	return b.String()
}

// CategoryChoices lists the categories and programs users can pick from, in
// menu order (at most 25, Discord's limit for choices).
func CategoryChoices() []Choice {
	var out []Choice
	for _, k := range domain.CategoryKeys() {
		out = append(out, Choice{Name: domain.Label(k), Value: string(k)})
	}
	for _, k := range domain.ProgramKeys() {
		out = append(out, Choice{Name: domain.Label(k), Value: string(k)})
	}
	return append(out, Choice{Name: "All round types", Value: string(all)})
}
