package commands

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/eebot/eebot/internal/domain"
)

// question is a typed line after normalisation and typo correction, with
// the slots found in it. Slots mark the words they use, so what is left
// (the unused words) can be read as an occupation's title.
type question struct {
	words []string // normalised and corrected
	used  []bool
	fr    int // evidence the question is French
	en    int // evidence it is English

	cats   []domain.Key // category or program keys, in order
	codes  []string     // five-digit NOC codes
	period string       // canonical period text, "" for none
	month  bool         // the period is a month
	count  int          // "last 4", 0 for none
	nums   []number     // other numbers, in order
	lo, hi int          // a range of scores ("between 451 and 500", "451-500"), 0 for none
}

// number is a number that is not a code, a year or a count.
type number struct {
	val   int
	at    int  // word index
	plus  bool // written "600+": that score and above
	large bool // written with a thousands separator: an invitation count, never a score
}

// has reports whether any of ws is among the question's words.
func (q *question) has(ws ...string) bool {
	for _, w := range q.words {
		for _, x := range ws {
			if w == x {
				return true
			}
		}
	}
	return false
}

// phrase reports whether the words of p appear in a row. It splits p
// as it goes: the question reader asks dozens of phrases a line.
func (q *question) phrase(p string) bool {
	n := 0
	for range strings.FieldsSeq(p) {
		n++
	}
	for i := 0; i+n <= len(q.words); i++ {
		j := i
		for w := range strings.FieldsSeq(p) {
			if q.words[j] != w {
				break
			}
			j++
		}
		if j == i+n {
			return true
		}
	}
	return false
}

// any reports whether any of the phrases appears.
func (q *question) any(ps ...string) bool {
	for _, p := range ps {
		if q.phrase(p) {
			return true
		}
	}
	return false
}

// word returns the i-th word, "" out of range.
func (q *question) word(i int) string {
	if i < 0 || i >= len(q.words) {
		return ""
	}
	return q.words[i]
}

// parseQuestion normalises text, corrects typos against sp and finds the
// slots.
func parseQuestion(text string, sp *speller) *question {
	var q question
	for _, w := range normalize(text) {
		t := w.text
		if w.accent {
			q.fr++
		}
		if alias, ok := shorthand[t]; ok {
			t = alias
		} else if sp != nil && !fillerWords[t] {
			t = sp.correct(t)
		}
		if fillerWords[t] {
			continue
		}
		q.words = append(q.words, strings.Fields(t)...)
	}
	q.used = make([]bool, len(q.words))
	for _, w := range q.words {
		if frenchMarkers[w] {
			q.fr++
		}
		if englishMarkers[w] {
			q.en++
		}
	}
	q.findCategories()
	q.findPeriod()
	q.findNumbers()
	return &q
}

// shorthand expands what people abbreviate before anything else reads it.
var shorthand = map[string]string{
	"yr": "year", "yrs": "years", "ppl": "people", "pts": "points", "pt": "points", "whats": "what is", "wats": "what is",
	"wat": "what", "im": "i am", "ive": "i have", "jai": "j ai", "cest": "c est", "koi": "quoi", "c": "c", "ita": "itas",
	"invites": "invitations", "invite": "invitations", "ipd": "itas", "tirage": "tirage", "rounds": "rounds", "drws": "draws",
	"eligable": "eligible", "elligible": "eligible", "elegible": "eligible", "eligibles": "eligible", "admissibles": "admissible",
	"cutoffs": "cutoff", "nxt": "next", "u": "you", "r": "are", "abt": "about", "info": "about",
}

// findCategories marks category and program names, longest first.
func (q *question) findCategories() {
	for i := 0; i < len(q.words); i++ {
		if q.used[i] {
			continue
		}
		for n := min(8, len(q.words)-i); n >= 1; n-- {
			p := strings.Join(q.words[i:i+n], " ")
			key, ok := categoryPhrases[p]
			if !ok && n == 1 {
				key, ok = categoryWords[p]
			}
			if !ok {
				continue
			}
			if !contains(q.cats, key) {
				q.cats = append(q.cats, key)
			}
			for j := i; j < i+n; j++ {
				q.used[j] = true
			}
			i += n - 1
			break
		}
	}
}

// findPeriod reads one period: a year, a month and year, this year, last
// year, since a year, the last N months, ever.
func (q *question) findPeriod() {
	mark := func(i, n int, text string) {
		q.period = text
		for j := i; j < i+n && j < len(q.words); j++ {
			q.used[j] = true
		}
	}
	for i, w := range q.words {
		if q.used[i] {
			continue
		}
		next, next2 := q.word(i+1), q.word(i+2)
		switch {
		case monthOf(w):
			mark(i, 1, w)
			q.month = true
			return
		case months[w] > 0 && isYear(next):
			mark(i, 2, fmt.Sprintf("%s-%02d", next, months[w]))
			q.month = true
			return
		case (w == "since" || w == "depuis") && isYear(next):
			mark(i, 2, "since "+next)
			return
		case isYear(w) && !q.scoreCue(i):
			mark(i, 1, w)
			return
		case (w == "this" || w == "cette") && (next == "year" || next == "annee"):
			mark(i, 2, "this year")
			return
		case (w == "last" || w == "past") && next == "year":
			mark(i, 2, "last year")
			return
		case (w == "l" || w == "an" || w == "annee") && (next == "an" || next == "annee" || next == "dernier" || next == "derniere") && (w != "l" || next2 == "dernier" || next2 == "derniere" || next2 == "passee"):
			if w == "l" {
				mark(i, 3, "last year")
			} else {
				mark(i, 2, "last year")
			}
			return
		case (w == "last" || w == "past") && isNum(next) && (next2 == "months" || next2 == "month"):
			mark(i, 3, "last "+next+" months")
			return
		case isNum(next) && (w == "des" || w == "les" || w == "dans") && (next2 == "derniers" || next2 == "dernier") && (q.word(i+3) == "mois"):
			mark(i, 4, "last "+next+" months")
			return
		case isNum(w) && (next == "derniers" || next == "dernier") && next2 == "mois":
			mark(i, 3, "last "+w+" months")
			return
		case w == "ever" || w == "jamais" && i > 0:
			mark(i, 1, "ever")
			return
		case w == "all" && next == "time":
			mark(i, 2, "ever")
			return
		case w == "tous" && next == "les" && next2 == "temps",
			w == "de" && next == "l" && next2 == "histoire",
			w == "since" && (next == "they" || next == "the") && (next2 == "started" || next2 == "start" || next2 == "beginning"),
			w == "depuis" && (next == "le" || next == "qu") && (next2 == "debut" || next2 == "ils" || next2 == "elles"):
			mark(i, 3, "ever")
			return
		}
	}
}

// findNumbers reads codes, counts, ranges and the other numbers.
func (q *question) findNumbers() {
	for i := 0; i < len(q.words); i++ {
		w := q.words[i]
		if q.used[i] || !startsWithDigit(w) {
			continue
		}
		// A range written "451-500".
		if a, b, ok := strings.Cut(w, "-"); ok && isNum(a) && isNum(b) {
			q.lo, q.hi = atoi(a), atoi(b)
			q.used[i] = true
			continue
		}
		// French thousands written with a space: "8 500 invitations".
		if isNum(w) && len(w) <= 2 && len(q.word(i+1)) == 3 && isNum(q.word(i+1)) && invitationWord(q.word(i+2)) {
			q.nums = append(q.nums, number{val: atoi(w + q.word(i+1)), at: i, large: true})
			q.used[i], q.used[i+1] = true, true
			i++
			continue
		}
		if strings.Contains(w, ",") || strings.Contains(w, ".") {
			if n, ok := parseCount(w); ok {
				q.nums = append(q.nums, number{val: n, at: i, large: n >= 1000})
			}
			q.used[i] = true
			continue
		}
		plus := strings.HasSuffix(w, "+")
		w = strings.TrimSuffix(w, "+")
		if !isNum(w) {
			continue
		}
		n := atoi(w)
		switch {
		case len(w) == 5:
			q.codes = append(q.codes, w)
		case !plus && q.isCount(i, n):
			q.count = n
		default:
			q.nums = append(q.nums, number{val: n, at: i, plus: plus})
			continue
		}
		q.used[i] = true
	}
}

// isCount reports whether the number at i counts draws: "last 4",
// "4 derniers", "the 5 most recent", "previous 6", "latest 25 draws".
func (q *question) isCount(i, n int) bool {
	if n < 1 || n > maxDraws {
		return false
	}
	prev, next := q.word(i-1), q.word(i+1)
	switch {
	case prev == "last" || prev == "latest" || prev == "previous" || prev == "past" || prev == "recent":
		return !q.scoreCue(i)
	case next == "derniers" || next == "dernieres" || next == "dernier" || next == "derniere" || next == "most" || next == "latest" || next == "last" || next == "recent" || next == "recents":
		return true
	case drawMany[next] || drawOne[next] || categoryWords[next] != "" && (drawMany[q.word(i+2)] || drawOne[q.word(i+2)]):
		return prev == "show" || prev == "les" || prev == "the" || prev == "list" || prev == "montre"
	}
	return false
}

// scoreCue reports whether the number at i reads as a CRS score: "my crs
// is 2025", "j'ai 2024 points", "crs 470", "470 points".
func (q *question) scoreCue(i int) bool {
	prev, prev2, next := q.word(i-1), q.word(i-2), q.word(i+1)
	if next == "points" || next == "crs" || next == "scg" || next == "pts" {
		return true
	}
	if prev == "is" || prev == "est" || prev == "de" || prev == "of" {
		prev = prev2
	}
	switch prev {
	case "crs", "scg", "score", "at", "with", "avec", "have", "got", "ai", "am", "mon", "my", "sitting":
		return true
	}
	return false
}

func invitationWord(w string) bool {
	return w == "invitations" || w == "itas" || w == "personnes" || w == "people"
}

func isYear(w string) bool { _, ok := yearOf(w); return ok }

func isNum(w string) bool { return w != "" && isDigits(w) && len(w) <= 6 }

func startsWithDigit(w string) bool { return w != "" && w[0] >= '0' && w[0] <= '9' }

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }
