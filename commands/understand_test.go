package commands

import (
	"encoding/csv"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/eebot/eebot/internal/i18n"
	"github.com/eebot/eebot/internal/store/storetest"
)

// corpusRow is one phrasing of testdata/questions.tsv: how people ask, in
// English and French, and the request it must become.
type corpusRow struct {
	lang, class, question, expected string
}

func readCorpus(t testing.TB) []corpusRow {
	f, err := os.Open("testdata/questions.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma = '\t'
	r.FieldsPerRecord = 4
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []corpusRow
	for _, rec := range recs[1:] {
		out = append(out, corpusRow{rec[0], rec[1], rec[2], rec[3]})
	}
	return out
}

// sameRequest reports whether two command lines ask for the same thing:
// the same command with the same option values once read and checked
// (categories as keys, periods as canonical text, titles as normalised
// words), whatever their order or spelling.
func sameRequest(e *Engine, a, b string) bool {
	ra, oa, okA := readLine(e, a)
	rb, ob, okB := readLine(e, b)
	if !okA || !okB || ra != rb {
		return false
	}
	spec := e.specs[ra]
	for _, arg := range spec.Args {
		va, ha := oa.vals[arg.Name]
		vb, hb := ob.vals[arg.Name]
		if ha != hb {
			return false
		}
		switch arg.Type {
		case ArgInt:
			if va.num != vb.num {
				return false
			}
		case ArgCategory, ArgCategories:
			if !slices.Equal(va.keys, vb.keys) {
				return false
			}
		default:
			if words(foldText(va.text)) == nil && words(foldText(vb.text)) == nil {
				continue
			}
			if strings.Join(words(foldText(va.text)), " ") != strings.Join(words(foldText(vb.text)), " ") {
				return false
			}
		}
	}
	return true
}

// foldText normalises text as questions are: accents, case, punctuation.
func foldText(s string) string {
	var ws []string
	for _, w := range normalize(s) {
		ws = append(ws, w.text)
	}
	return strings.Join(ws, " ")
}

func readLine(e *Engine, line string) (string, Options, bool) {
	name, args, _ := strings.Cut(line, " ")
	sub, _, _ := strings.Cut(args, " ")
	s, ok := e.Spec(name, sub)
	if !ok {
		return "", Options{}, false
	}
	if s.Sub != "" {
		args = strings.TrimSpace(strings.TrimPrefix(args, sub))
	}
	en := e.words.Printer(i18n.EN)
	o, err := s.bind(args, en)
	if err != nil {
		return "", Options{}, false
	}
	o, err = s.check(o, en)
	return s.Key(), o, err == nil
}

// sameAnswer compares what the reader made of a question with what the
// corpus expects.
func sameAnswer(e *Engine, got, want string) bool {
	if got == want {
		return true
	}
	gc, gok := strings.CutPrefix(got, "clarify ")
	wc, wok := strings.CutPrefix(want, "clarify ")
	if gok != wok {
		return false
	}
	if gok {
		g, w := strings.Split(gc, " | "), strings.Split(wc, " | ")
		if len(g) != len(w) {
			return false
		}
		for _, x := range w {
			if !slices.ContainsFunc(g, func(y string) bool { return sameRequest(e, strings.TrimSpace(x), strings.TrimSpace(y)) }) {
				return false
			}
		}
		return true
	}
	return sameRequest(e, got, want)
}

// The corpus of how people ask: each phrasing must become its request.
// Misses are listed by class; the test fails when any class routes less
// than its share, or when the language of French questions is missed.
func TestCorpus(t *testing.T) {
	e := New(storetest.Store(t), WithClock(storetest.Now), WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	rows := readCorpus(t)
	if len(rows) < 400 {
		t.Fatalf("corpus has %d phrasings, want at least 400", len(rows))
	}
	total, missed := map[string]int{}, map[string][]string{}
	langMiss := 0
	for _, r := range rows {
		total[r.class]++
		got, lang := Understand(e, r.question)
		if !sameAnswer(e, got, r.expected) {
			missed[r.class] = append(missed[r.class], fmt.Sprintf("%s %q → %q, want %q", r.lang, r.question, got, r.expected))
		}
		if lang != "" && lang != r.lang || r.lang == "fr" && lang == "" && !strings.HasPrefix(got, "decline") && r.class != "greeting" {
			langMiss++
			t.Logf("language %q for %s %q", lang, r.lang, r.question)
		}
	}
	classes := make([]string, 0, len(total))
	for c := range total {
		classes = append(classes, c)
	}
	sort.Strings(classes)
	n := 0
	for _, c := range classes {
		n += len(missed[c])
		t.Logf("%-10s %3d/%3d routed", c, total[c]-len(missed[c]), total[c])
		for _, m := range missed[c] {
			t.Logf("    %s", m)
		}
	}
	t.Logf("all: %d/%d routed; language missed on %d", len(rows)-n, len(rows), langMiss)
	if n > len(rows)*3/100 {
		t.Errorf("%d of %d phrasings misrouted (more than 3%%)", n, len(rows))
	}
	if langMiss > len(rows)*3/100 {
		t.Errorf("language wrong on %d phrasings", langMiss)
	}
}

// Reading a question alone (normalise, correct, find slots, decide), over
// the whole corpus: the median and 99th percentile per question.
func BenchmarkUnderstand(b *testing.B) {
	e := New(storetest.Store(b), WithClock(storetest.Now), WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	rows := readCorpus(b)
	e.vocab() // built once per engine, at its first question
	var took []time.Duration
	i := 0
	for b.Loop() {
		start := time.Now()
		e.understand(rows[i%len(rows)].question)
		took = append(took, time.Since(start))
		i++
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Nanoseconds())/1e3, "p50-µs")
	b.ReportMetric(float64(took[len(took)*99/100].Nanoseconds())/1e3, "p99-µs")
}
