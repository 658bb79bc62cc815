// Package reply is the answer model every layer shares: the engine builds a
// Reply, the adapters render it, the sender posts it. Plain data only; it
// imports nothing of the project.
package reply

import "time"

// Status says how an adapter should present a reply.
type Status int

const (
	StatusOK       Status = iota // an answer
	StatusNotFound               // valid input that matches nothing (shown to the user, not an error)
	StatusInvalid                // input the bot could not use; the text says why and what to try
	StatusHelp                   // the help text, e.g. for a question the parser did not understand
	StatusInternal               // the bot failed; the text is safe to show, details were logged
)

// Reply is what every command returns. It holds plain text only: adapters
// escape and render it (embed, HTML, console) and add nothing of substance.
type Reply struct {
	Status   Status
	Command  string // the command that produced it
	Lang     string // the language it is written in: "en" or "fr"
	Title    string // the headline: the answer itself, when there is one
	URL      string // official page the title links to, if any
	Category string // category or program key, for colours; "" for none
	Summary  string // one or more short paragraphs
	Fields   []Field
	Table    *Table
	Lines    []string // bullet points, after the fields
	Links    []Link
	Source   string    // where the facts come from, as worded in Footer
	AsOf     string    // "data as of" date, YYYY-MM-DD; "" when not from data
	Footer   string    // the source and "data as of" line, worded in Lang; what adapters show
	Time     time.Time // the moment the answer is about (a draw's time), zero if none
	Note     string    // a disclaimer line, e.g. for match
	Private  bool      // personal lookups and errors: ephemeral where the platform allows
	Pager    *Pager
	Choices  []string // suggestions the user can type next
	Actions  []Action // buttons; pressing one sends Request{Command, Args} from the same caller
	Image    *Image   // a picture (a chart) the answer is about; the text says what it shows
}

// Image is a picture attached to a reply: Discord attaches it to the embed,
// Telegram sends it as a photo with the reply as its caption, the console
// writes it to a file. The reply's Summary states its key numbers, so the
// answer holds without it.
type Image struct {
	Name string // file name, e.g. "cutoffs-healthcare-3f2a9c1b.png"
	Type string // MIME type: "image/png"
	Data []byte // never modified once in a Reply: caches share it
	// Alt describes the image in words for people who cannot see it.
	Alt           string
	Width, Height int
	// Key names the image's content: equal keys, equal bytes (the chart,
	// its language and its data's version), so a platform may reuse an
	// upload (Telegram's file_id) for a repeat.
	Key string
}

// Action is a button under a reply, e.g. a moderator's Post or Cancel.
type Action struct {
	Label   string
	Command string
	Args    string
	Danger  bool // styled as destructive where the platform can
}

// Field is a named value; Inline fields can sit side by side.
type Field struct {
	Name   string
	Value  string
	Inline bool
}

// Table is a small fixed-width table (draw lists, pool bands).
type Table struct {
	Header []string
	Rows   [][]string
}

// Link is a labelled URL.
type Link struct {
	Label string
	URL   string
}

// Pager describes a paged answer; adapters turn it into buttons and send a
// Request for Page-1 or Page+1 with the same Command and Args.
type Pager struct {
	Command string
	Args    string
	Page    int // 1-based
	Pages   int
}

// HasPrev and HasNext tell adapters which buttons to enable.
func (p Pager) HasPrev() bool { return p.Page > 1 }
func (p Pager) HasNext() bool { return p.Page < p.Pages }

// MoreLinks are the links the linked title does not already open: adapters
// that link the title show only these, so a small screen holds no line
// that repeats the headline's target.
func (r Reply) MoreLinks() []Link {
	if r.Title == "" || r.URL == "" {
		return r.Links
	}
	var out []Link
	for _, l := range r.Links {
		if l.URL != r.URL {
			out = append(out, l)
		}
	}
	return out
}
