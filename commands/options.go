package commands

import (
	"errors"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/i18n"
)

var (
	drawNumber = regexp.MustCompile(`^[0-9]{1,5}[a-z]?$`)
	previewID  = regexp.MustCompile(`^[0-9a-f]{16}$`)
)

// Value is one option value as a platform delivered it: text, or a number
// from a typed numeric option. Handle checks it against the command's Arg.
type Value struct {
	text  string
	num   int
	isNum bool
	keys  []domain.Key // category keys, once checked
}

// TextValue is an option typed as text (a category, a NOC title, a role ID).
func TextValue(s string) Value { return Value{text: oneLine(s)} }

// IntValue is an option a platform already parsed as a whole number.
func IntValue(n int) Value { return Value{num: n, isNum: true} }

// Options are a request's named option values. Handlers read them through
// the typed accessors; reading a name the command does not declare is a
// programming error that Handle turns into an internal error.
type Options struct {
	vals     map[string]Value
	declared []Arg           // set by check: the command's arguments
	read     map[string]bool // set by tests: names handlers read
}

// Set stores one value, replacing any earlier one.
func (o *Options) Set(name string, v Value) {
	if o.vals == nil {
		o.vals = map[string]Value{}
	}
	o.vals[name] = v
}

func (o Options) get(name string) (Value, bool) {
	if o.declared != nil && !slices.ContainsFunc(o.declared, func(a Arg) bool { return a.Name == name }) {
		panic("commands: a handler read the undeclared option " + name)
	}
	if o.read != nil {
		o.read[name] = true
	}
	v, ok := o.vals[name]
	return v, ok
}

// Has reports whether a value was given.
func (o Options) Has(name string) bool { _, ok := o.get(name); return ok }

// Text returns a text value, "" when absent.
func (o Options) Text(name string) string { v, _ := o.get(name); return v.text }

// Int returns a whole-number value and whether one was given.
func (o Options) Int(name string) (int, bool) { v, ok := o.get(name); return v.num, ok }

// Category returns a category or program key, "" for all; given is false
// when no value was given.
func (o Options) Category(name string) (key domain.Key, given bool) {
	v, ok := o.get(name)
	if !ok || len(v.keys) == 0 {
		return "", ok
	}
	return v.keys[0], true
}

// Categories returns the category keys given, none meaning every draw.
func (o Options) Categories(name string) []domain.Key { v, _ := o.get(name); return v.keys }

// check validates every value against spec and returns the options a
// handler reads: numbers parsed and in range, categories resolved to keys.
func (s Spec) check(in Options, p i18n.Printer) (Options, error) {
	out := Options{declared: s.Args, read: in.read}
	if out.declared == nil {
		out.declared = []Arg{} // declares no argument
	}
	for name, v := range in.vals {
		a, ok := s.Arg(name)
		if !ok {
			return Options{}, s.invalid(p, p.T("arg.unknown", "Command", s.Key(), "Value", clip(name, 30)))
		}
		if !v.isNum && strings.TrimSpace(v.text) == "" {
			continue // an empty text option is an absent one
		}
		cv, err := a.convert(v)
		if err != nil {
			return Options{}, s.bad(p, a, v)
		}
		out.Set(name, cv)
	}
	for _, a := range s.Args {
		if _, ok := out.vals[a.Name]; a.MustGive() && !ok {
			if a.Missing == "" {
				return Options{}, s.invalid(p, p.T(s.Usage))
			}
			return Options{}, s.invalid(p, p.T(a.Missing))
		}
	}
	return out, nil
}

// convert checks one value against its argument's type.
func (a Arg) convert(v Value) (Value, error) {
	text := strings.TrimSpace(v.text)
	switch a.Type {
	case ArgInt:
		n, ok := v.num, v.isNum
		if !ok {
			n, ok = parseCount(text)
		}
		if !ok || ((a.Min != 0 || a.Max != 0) && (n < a.Min || n > a.Max)) {
			return Value{}, errBadValue
		}
		return Value{text: strconv.Itoa(n), num: n, isNum: true}, nil
	case ArgCategory:
		key, ok := aliasKey(text)
		if !ok {
			return Value{}, errBadValue
		}
		if key == all {
			return Value{text: text}, nil
		}
		return Value{text: text, keys: []domain.Key{key}}, nil
	case ArgCategories:
		ws := words(text)
		var keys []domain.Key
		for i := 0; i < len(ws); {
			n, key := takeCategory(ws[i:])
			if n == 0 {
				return Value{}, errBadValue
			}
			if key != all && !contains(keys, key) {
				keys = append(keys, key)
			}
			i += n
		}
		return Value{text: text, keys: keys}, nil
	case ArgRole:
		if !isDigits(text) || len(text) > 20 {
			return Value{}, errBadValue
		}
	case ArgDraw:
		text = strings.ToLower(strings.TrimPrefix(text, "#"))
		if !drawNumber.MatchString(text) {
			return Value{}, errBadValue
		}
	case ArgDate:
		if _, err := time.Parse(time.DateOnly, text); err != nil {
			return Value{}, errBadValue
		}
	case ArgChoice:
		if !contains(a.Choices, strings.ToLower(text)) {
			return Value{}, errBadValue
		}
		text = strings.ToLower(text)
	case ArgPeriod:
		p, ok := parsePeriod(text, time.Time{})
		if !ok {
			return Value{}, errBadValue
		}
		text = p.text
	case ArgPreview:
		if !previewID.MatchString(text) {
			return Value{}, errBadValue
		}
	}
	if v.isNum {
		return Value{}, errBadValue
	}
	return Value{text: text}, nil
}

// errBadValue marks a value its argument cannot use; the user is told the
// argument's Bad message.
var errBadValue = errors.New("bad value")

// invalid is an argument error with the command's usage as a hint.
func (s Spec) invalid(p i18n.Printer, msg string) *Error {
	if s.Usage != "" && msg != p.T(s.Usage) {
		return invalid(msg, p.T(s.Usage))
	}
	return invalid(msg)
}

// bad is the Bad message of a, quoting what was typed.
func (s Spec) bad(p i18n.Printer, a Arg, v Value) *Error {
	typed := v.text
	if v.isNum {
		typed = strconv.Itoa(v.num)
	}
	var msg string
	if a.Bad == "" {
		msg = p.T("arg.bad", "Value", clip(typed, 40), "Name", a.Name)
	} else {
		msg = p.T(a.Bad, "Value", clip(typed, 40))
	}
	err := s.invalid(p, msg)
	if a.Type == ArgCategory || a.Type == ArgCategories {
		err.Hints = append(err.Hints, p.T("hint.categories"), p.T("hint.programs"))
	}
	return err
}

// bind reads a command's options from typed words ("5 healthcare",
// "438 2026-08-25 senior managers 3000 470"): each word goes to the first
// argument, in declaration order, whose type takes it (a number, a
// category of one to four words, a draw number, a date, a choice); free
// text takes the rest of the line. Filler words no argument takes are
// skipped. Roles never come from text: only a platform's role option sets
// them.
func (s Spec) bind(line string, p i18n.Printer) (Options, error) {
	var o Options
	if a, ok := s.freeText(nil); ok && s.Form && strings.TrimSpace(line) != "" {
		o.Set(a.Name, TextValue(line)) // a form keeps its commas: english=L9,R8,W8,S7
		return o, nil
	}
	ws := words(line)
	filled := map[string]bool{}
	for i := 0; i < len(ws); {
		if a, n := s.take(ws[i:], filled); n > 0 {
			o.Set(a.Name, TextValue(strings.Join(ws[i:i+n], " ")))
			filled[a.Name] = true
			i += n
			continue
		}
		if a, ok := s.freeText(filled); ok {
			o.Set(a.Name, TextValue(strings.Join(ws[i:], " ")))
			break
		}
		if filler[strings.ToLower(ws[i])] {
			i++
			continue
		}
		return Options{}, s.misplaced(p, ws[i], filled)
	}
	return o, nil
}

// take finds the first unfilled typed argument that accepts the words at
// the start of ws and how many it takes.
func (s Spec) take(ws []string, filled map[string]bool) (Arg, int) {
	for _, a := range s.Args {
		if filled[a.Name] {
			continue
		}
		var n int
		switch a.Type {
		case ArgInt:
			if _, ok := parseCount(ws[0]); ok {
				n = 1
			}
		case ArgCategory:
			n, _ = takeCategory(ws)
		case ArgCategories:
			for i := 0; i < len(ws); {
				k, _ := takeCategory(ws[i:])
				if k == 0 {
					break
				}
				i += k
				n = i
			}
		case ArgDraw:
			if drawNumber.MatchString(strings.ToLower(strings.TrimPrefix(ws[0], "#"))) {
				n = 1
			}
		case ArgDate:
			if _, err := time.Parse(time.DateOnly, ws[0]); err == nil {
				n = 1
			}
		case ArgChoice:
			if contains(a.Choices, strings.ToLower(ws[0])) {
				n = 1
			}
		case ArgPeriod:
			n = takePeriod(lower(ws))
		case ArgPreview:
			if previewID.MatchString(ws[0]) {
				n = 1
			}
		}
		if n > 0 {
			return a, n
		}
	}
	return Arg{}, 0
}

// freeText is the first unfilled argument that takes the rest of a line,
// once every required argument before it is filled: a trailing optional
// text ("draw add …'s tie-break") must not swallow a mistyped number.
func (s Spec) freeText(filled map[string]bool) (Arg, bool) {
	for _, a := range s.Args {
		switch {
		case filled[a.Name] || a.Hidden:
		case a.Type == ArgText || a.Type == ArgNOC:
			return a, true
		case a.Required:
			return Arg{}, false
		}
	}
	return Arg{}, false
}

// misplaced explains a word no argument takes: as the first missing
// required argument, else as the argument it most looks like.
func (s Spec) misplaced(p i18n.Printer, w string, filled map[string]bool) *Error {
	_, numeric := parseCount(w)
	var guess, first *Arg
	for i, a := range s.Args {
		switch {
		case a.Hidden || a.Type == ArgRole:
			continue
		case a.Required && !filled[a.Name]:
			return s.bad(p, a, TextValue(w))
		case guess == nil && numeric == (a.Type == ArgInt):
			guess = &s.Args[i]
		}
		if first == nil {
			first = &s.Args[i]
		}
	}
	if guess == nil {
		guess = first
	}
	if guess != nil {
		return s.bad(p, *guess, TextValue(w))
	}
	if len(s.Args) == 0 {
		return s.invalid(p, p.T("arg.none", "Command", s.Key()))
	}
	return s.invalid(p, p.T("arg.what", "Value", clip(w, 40)))
}

// filler words people put between arguments: "cutoff for stem",
// "subscribe healthcare under 480".
var filler = map[string]bool{"for": true, "of": true, "in": true, "the": true, "a": true,
	"max": true, "crs": true, "under": true, "below": true, "page": true, "draws": true, "last": true,
	"above": true, "over": true, "at": true, "between": true, "and": true, "to": true, "from": true}

// takeCategory reads the longest category name (up to four words) at the
// start of ws: "senior managers", "healthcare and social services".
func takeCategory(ws []string) (int, domain.Key) {
	if len(ws) > 0 && strings.EqualFold(ws[0], "off") {
		// "alert off all": off starts a command's off form, never a name,
		// though names may hold it ("cut off", dropped by normAlias).
		return 0, ""
	}
	for n := min(len(ws), 4); n >= 1; n-- {
		// A name never ends on a filler word ("cec last", "the"), which
		// belongs to the next argument or to nothing.
		if key, ok := aliasKey(strings.Join(ws[:n], " ")); ok && normAlias(ws[n-1]) != "" {
			return n, key
		}
	}
	return 0, ""
}

// parseCount reads a whole number as people type it: "3,000", "<=480",
// "≤480", "max:480".
func parseCount(s string) (int, bool) {
	for _, p := range []string{"<=", "≤", "<", "max:"} {
		s = strings.TrimPrefix(s, p)
	}
	s = strings.ReplaceAll(s, ",", "")
	if s == "" || len(s) > 9 {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

// words splits a typed line at spaces, and at commas between words
// ("healthcare,stem") but not inside numbers ("3,000").
func words(line string) []string {
	var out []string
	for _, w := range strings.Fields(line) {
		if _, num := parseCount(w); num || !strings.Contains(w, ",") {
			out = append(out, w)
			continue
		}
		for p := range strings.SplitSeq(w, ",") {
			if p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

func lower(ws []string) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = strings.ToLower(w)
	}
	return out
}

func contains[T comparable](xs []T, x T) bool { return slices.Contains(xs, x) }

// oneLine collapses runs of white space, newlines included.
func oneLine(s string) string {
	if isOneLine(s) {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// isOneLine reports whether s is already its words joined by single spaces.
func isOneLine(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 0x80:
			return false // Unicode spaces: let strings.Fields decide
		case c == ' ':
			if i == 0 || i == len(s)-1 || s[i-1] == ' ' {
				return false
			}
		case c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r':
			return false
		}
	}
	return true
}
