package domain

import "strings"

// Key names a category ("healthcare") or a program round ("cec"): what a
// draw is for. Category keys match categories.csv; program keys name the
// non-category rounds of the feed. "" means every draw where a filter
// takes one.
type Key string

// The keys.
const (
	Healthcare     Key = "healthcare"
	STEM           Key = "stem"
	Trades         Key = "trades"
	Transport      Key = "transport"
	Agriculture    Key = "agriculture"
	French         Key = "french"
	Education      Key = "education"
	Physicians     Key = "physicians"
	SeniorManagers Key = "senior_managers"
	Military       Key = "military"
	Researchers    Key = "researchers"

	CEC       Key = "cec"
	PNP       Key = "pnp"
	FSW       Key = "fsw"
	FST       Key = "fst"
	General   Key = "general"
	NoProgram Key = "no_program"

	Unmapped Key = "unmapped"
)

// Label is the short human name of a key, for titles and lists.
func Label(key Key) string {
	switch key {
	case Healthcare:
		return "Healthcare and social services"
	case STEM:
		return "STEM"
	case Trades:
		return "Trades"
	case Transport:
		return "Transport"
	case Agriculture:
		return "Agriculture and agri-food"
	case French:
		return "French-language proficiency"
	case Education:
		return "Education"
	case Physicians:
		return "Physicians with Canadian work experience"
	case SeniorManagers:
		return "Senior managers with Canadian work experience"
	case Military:
		return "Skilled military recruits"
	case Researchers:
		return "Researchers with Canadian work experience"
	case CEC:
		return "Canadian Experience Class"
	case PNP:
		return "Provincial Nominee Program"
	case FSW:
		return "Federal Skilled Worker"
	case FST:
		return "Federal Skilled Trades"
	case General:
		return "General (all programs)"
	case NoProgram:
		return "No program specified"
	case Unmapped:
		return "Unrecognised round type"
	}
	return string(key)
}

// CategoryKeys lists the category keys in display order.
func CategoryKeys() []Key {
	return []Key{Healthcare, STEM, Trades, Transport, Agriculture, French, Education, Physicians, SeniorManagers, Military, Researchers}
}

// ProgramKeys lists the program-round keys in display order.
func ProgramKeys() []Key {
	return []Key{CEC, PNP, FSW, FST, General, NoProgram}
}

// JoinKeys writes keys as one comma-separated column value.
func JoinKeys(ks []Key) string {
	s := make([]string, len(ks))
	for i, k := range ks {
		s[i] = string(k)
	}
	return strings.Join(s, ",")
}

// SplitKeys reads what JoinKeys wrote; "" gives none.
func SplitKeys(s string) []Key {
	if s == "" {
		return nil
	}
	var ks []Key
	for _, k := range strings.Split(s, ",") {
		ks = append(ks, Key(k))
	}
	return ks
}
