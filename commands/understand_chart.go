package commands

import "strings"

// chartLine reads a question asking for a picture: "healthcare trend",
// "graph cec this year", "graphique santé", "pool chart". It reads one
// when a chart word is there and nothing else is left that names an
// occupation ("graphic designers" asks about a job, not for a chart): the
// categories and the period it names, or the pool.
func (q *question) chartLine(sp *speller) (string, bool) {
	if !q.kw(chartWords) || q.kw(eligibleWords, nocWords) || len(q.codes) > 0 {
		return "", false
	}
	used := make([]bool, len(q.used))
	copy(used, q.used)
	for i, w := range q.words {
		if chartWords[w] {
			q.used[i] = true
		}
	}
	title := q.title()
	copy(q.used, used)
	if title != "" && sp.titleWords(title) && len(q.cats) == 0 && !q.kw(poolWords) {
		return "", false
	}
	if q.kw(poolWords) && len(q.cats) == 0 {
		return "chart pool", true
	}
	parts := []string{"chart"}
	for _, c := range q.cats {
		parts = append(parts, string(c))
	}
	if q.period != "" {
		parts = append(parts, q.period)
	}
	return strings.Join(parts, " "), true
}
