package domain

// Category and program keys. Category keys match categories.csv; program
// keys name the non-category rounds of the feed.
const (
	Healthcare     = "healthcare"
	STEM           = "stem"
	Trades         = "trades"
	Transport      = "transport"
	Agriculture    = "agriculture"
	French         = "french"
	Education      = "education"
	Physicians     = "physicians"
	SeniorManagers = "senior_managers"
	Military       = "military"
	Researchers    = "researchers"

	CEC       = "cec"
	PNP       = "pnp"
	FSW       = "fsw"
	FST       = "fst"
	General   = "general"
	NoProgram = "no_program"

	Unmapped = "unmapped"
)

// Label is the short human name of a key, for titles and lists.
func Label(key string) string {
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
	return key
}

// CategoryKeys lists the category keys in display order.
func CategoryKeys() []string {
	return []string{Healthcare, STEM, Trades, Transport, Agriculture, French, Education, Physicians, SeniorManagers, Military, Researchers}
}

// ProgramKeys lists the program-round keys in display order.
func ProgramKeys() []string {
	return []string{CEC, PNP, FSW, FST, General, NoProgram}
}
