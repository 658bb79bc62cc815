package commands

// Request is one command invocation, whatever the platform.
type Request struct {
	Command string // "eligible", "cutoff", … (lower case, no slash)
	Args    string // the rest of the line, e.g. "33109" or "470 healthcare"
	Page    int    // for paged commands; 0 means the first page
	Locale  string // "fr" for French where the platform says so; answers are English for now
}
