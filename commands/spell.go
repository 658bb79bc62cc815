package commands

import (
	"cmp"
	"slices"
	"strings"
)

// speller corrects typos against the bot's own vocabulary (command words,
// category names, question words, NOC title words). It keeps, for each
// word, a hash of every variant with one or two letters deleted, so a typo
// is found by looking up its own deletions instead of measuring it against
// every word: a few binary searches per unknown word. Hashes, not strings,
// keep the index small; a collision only costs one distance check. The
// index is two sorted arrays, not a map of slices: 12 bytes a variant
// instead of about 70: the vocabulary keeps 0.8 MB, not 5.4 MB
// (BenchmarkVocabulary).
//
// Words are added, then freeze builds the index, once, before any look-up.
type speller struct {
	sorted []string // every word, for prefix look-ups
	words  []spellWord
	known  map[string]int // word → index in words
	// keys and ids: (hash of a word with letters deleted, index in words),
	// sorted; a hash may map to several words.
	keys    []uint64
	ids     []int32
	pending []deletion // what add found, until freeze
}

type deletion struct {
	hash uint64
	id   int32
}

type spellWord struct {
	text  string
	rank  int  // lower wins a tie: question and category words before NOC title words
	max   int  // the largest edit distance this word may be reached by
	title bool // a word of some NOC title
}

func newSpeller() *speller {
	return &speller{known: map[string]int{}}
}

// add adds a word with its rank; words of fewer than three letters are
// never a correction's target.
func (s *speller) add(w string, rank int) {
	if i, ok := s.known[w]; ok {
		if i >= 0 {
			s.words[i].rank = min(s.words[i].rank, rank)
			s.words[i].title = s.words[i].title || rank > 0
		}
		return
	}
	n := len([]rune(w))
	if n < 3 {
		s.known[w] = -1
		return
	}
	d := maxDistance(n)
	i := int32(len(s.words))
	s.words = append(s.words, spellWord{text: w, rank: rank, max: d, title: rank > 0})
	s.known[w] = int(i)
	deletions([]rune(w), d, func(h uint64) { s.pending = append(s.pending, deletion{h, i}) })
}

// freeze builds the look-up index from the words added; the speller is
// read-only afterwards, and safe for concurrent use.
func (s *speller) freeze() {
	slices.SortFunc(s.pending, func(a, b deletion) int {
		if c := cmp.Compare(a.hash, b.hash); c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	})
	s.pending = slices.Compact(s.pending) // a variant reached twice
	s.keys = make([]uint64, len(s.pending))
	s.ids = make([]int32, len(s.pending))
	for i, d := range s.pending {
		s.keys[i], s.ids[i] = d.hash, d.id
	}
	s.pending = nil
	s.sorted = make([]string, len(s.words))
	for i, x := range s.words {
		s.sorted[i] = x.text
	}
	slices.Sort(s.sorted)
}

// withDeletion calls f with the index of every word one of whose variants
// hashes to h.
func (s *speller) withDeletion(h uint64, f func(int32)) {
	i, _ := slices.BinarySearch(s.keys, h)
	for ; i < len(s.keys) && s.keys[i] == h; i++ {
		f(s.ids[i])
	}
}

// maxDistance grows with a word's length: short words are too easily
// confused to correct by more than one letter.
func maxDistance(n int) int {
	switch {
	case n < 3:
		return 0
	case n < 9:
		return 1
	}
	return 2
}

// knows reports whether w is a vocabulary word.
func (s *speller) knows(w string) bool { _, ok := s.known[w]; return ok }

// correct returns the closest vocabulary word to w, or w itself when it is
// known, holds a digit, or nothing is close enough. A word that begins a
// NOC title word is kept ("welder" for "welders": title search matches
// prefixes); one that begins a question word is completed ("cutof").
// Words of four letters or fewer are only corrected by a missing letter
// ("drw" → "draw"), since one changed letter makes another word ("cook",
// "look").
func (s *speller) correct(w string) string {
	if s.knows(w) || hasDigit(w) {
		return w
	}
	n := len([]rune(w))
	d := maxDistance(n)
	if d == 0 {
		return w
	}
	if done, ok := s.completes(w); ok {
		return done
	}
	best, bestD, bestRank := "", d+1, 0
	seen := map[int32]bool{}
	deletions([]rune(w), d, func(h uint64) {
		s.withDeletion(h, func(i int32) {
			if seen[i] {
				return
			}
			seen[i] = true
			c := s.words[i]
			dist := distance(w, c.text)
			if dist > c.max || dist > d || n <= 4 && len([]rune(c.text)) != n+1 {
				return
			}
			if dist < bestD || dist == bestD && (c.rank < bestRank || c.rank == bestRank && c.text < best) {
				best, bestD, bestRank = c.text, dist, c.rank
			}
		})
	})
	if best == "" {
		return w
	}
	// A title word is usually plural ("electricians"); people type one.
	if one := strings.TrimSuffix(best, "s"); one != best && !strings.HasSuffix(w, "s") && distance(w, one) < bestD {
		return one
	}
	return best
}

// deletions calls f with the hash of r and of every variant of r with up
// to d (at most two) letters deleted; a variant reached twice is hashed
// twice.
func deletions(r []rune, d int, f func(uint64)) {
	hash := func(skip1, skip2 int) uint64 {
		h := uint64(14695981039346656037) // FNV-1a
		for k, c := range r {
			if k == skip1 || k == skip2 {
				continue
			}
			h ^= uint64(c)
			h *= 1099511628211
		}
		return h
	}
	f(hash(-1, -1))
	if d < 1 {
		return
	}
	for i := range r {
		f(hash(i, -1))
		if d < 2 {
			continue
		}
		for j := i + 1; j < len(r); j++ {
			f(hash(i, j))
		}
	}
}

// distance is the Damerau-Levenshtein distance (optimal string alignment):
// insertions, deletions, substitutions and swaps of neighbours each cost 1.
func distance(a, b string) int {
	x, y := []rune(a), []rune(b)
	prev2 := make([]int, len(y)+1)
	prev := make([]int, len(y)+1)
	cur := make([]int, len(y)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(x); i++ {
		cur[0] = i
		for j := 1; j <= len(y); j++ {
			cost := 1
			if x[i-1] == y[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && x[i-1] == y[j-2] && x[i-2] == y[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(y)]
}

func hasDigit(s string) bool {
	for _, r := range s {
		if r >= '0' && r <= '9' {
			return true
		}
	}
	return false
}

// completes looks w up as a prefix: kept when it begins a title word,
// completed when it begins only question words (at most two letters short).
func (s *speller) completes(w string) (string, bool) {
	best := ""
	i, _ := slices.BinarySearch(s.sorted, w)
	for ; i < len(s.sorted) && strings.HasPrefix(s.sorted[i], w); i++ {
		x := s.words[s.known[s.sorted[i]]]
		if x.title {
			return w, true
		}
		if len(x.text)-len(w) <= 2 && (best == "" || len(x.text) < len(best)) {
			best = x.text
		}
	}
	return best, best != ""
}

// titleWords reports whether every word of s begins a NOC title word.
func (s *speller) titleWords(text string) bool {
	for _, w := range strings.Fields(text) {
		if kept, ok := s.completes(w); !ok || kept != w && !s.knows(w) || s.knows(w) && s.known[w] >= 0 && !s.words[s.known[w]].title {
			return false
		}
	}
	return text != ""
}
