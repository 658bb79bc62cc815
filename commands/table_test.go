package commands

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"log/slog"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/eebot/eebot/internal/i18n"
	"github.com/eebot/eebot/internal/reply"
	"github.com/eebot/eebot/internal/store/storetest"
)

// sample is a value each argument type accepts, for running every command
// with every argument given; samples holds the ones a command needs to get
// past its own checks (a new draw number, a date before the clock).
func sample(key string, a Arg) Value {
	samples := map[string]Value{
		"draw add/number":    TextValue("438"),
		"draw add/tie_break": TextValue("2026-08-01 12:00:00"),
		"unsubscribe/which":  TextValue("all"),
		"announce/action":    TextValue(actionCancel),
		"history/page":       IntValue(1),
		"crs/profile":        TextValue("age=29 education=bachelor english=9"),
		"alert/off":          TextValue(""), // set up, not stopped
	}
	if v, ok := samples[key+"/"+a.Name]; ok {
		return v
	}
	switch a.Type {
	case ArgInt:
		return IntValue(max(a.Min, min(470, a.Max)))
	case ArgCategory, ArgCategories:
		return TextValue("healthcare")
	case ArgNOC:
		return TextValue("33109")
	case ArgRole:
		return TextValue("777000000000000001")
	case ArgDraw:
		return TextValue("437")
	case ArgDate:
		return TextValue("2026-08-20")
	case ArgChoice:
		return TextValue(a.Choices[0])
	case ArgPeriod:
		return TextValue("2025")
	case ArgPreview:
		return TextValue("0123456789abcdef")
	}
	return TextValue("nurse")
}

// Every declared argument is read by its handler, and every handler reads
// only what it declares (reading anything else panics).
func TestEveryArgumentIsRead(t *testing.T) {
	e := New(storetest.Store(t), WithClock(storetest.Now), WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	// A Discord server: the one place a subscription may name a role.
	caller := Caller{Platform: "discord", UserID: "9", Destination: "300000000000000001", Guild: "400000000000000001", CanManage: true, Moderator: true}
	for _, s := range table() {
		t.Run(s.Key(), func(t *testing.T) {
			var o Options
			for _, a := range s.Args {
				o.Set(a.Name, sample(s.Key(), a))
			}
			read := Track(&o)
			en := e.words.Printer(i18n.EN)
			c := caller
			if s.Name == "alert" || s.Name == "alerts" {
				// A person's own alerts: in their DM with the bot.
				c = Caller{Platform: "discord", UserID: "9", Destination: "300000000000000002", Private: true}
			}
			rep := e.serve(context.Background(), en, s, Request{Command: s.Key(), Caller: c}, func() (Options, error) { return s.check(o, en) })
			if rep.Status != reply.StatusOK {
				t.Fatalf("status %v: %s %s %v", rep.Status, rep.Title, rep.Summary, rep.Lines)
			}
			for _, a := range s.Args {
				if !read[a.Name] {
					t.Errorf("%s declares %q but its handler never reads it", s.Key(), a.Name)
				}
			}
		})
	}
}

// Every method shaped like a handler is in the table, once.
func TestEveryHandlerIsDeclared(t *testing.T) {
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var handlers []string
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv == nil || len(fn.Type.Params.List) != 2 || fn.Type.Results == nil || len(fn.Type.Results.List) != 2 {
				continue
			}
			if types(fn.Type.Params.List) == "context.Context,Request" && types(fn.Type.Results.List) == "reply.Reply,error" {
				handlers = append(handlers, fn.Name.Name)
			}
		}
	}
	declared := map[string]bool{}
	for _, s := range table() {
		name := runtime.FuncForPC(reflect.ValueOf(s.run).Pointer()).Name()
		name = strings.TrimSuffix(name[strings.LastIndexByte(name, '.')+1:], "-fm")
		if declared[name] {
			t.Errorf("handler %s is declared twice", name)
		}
		declared[name] = true
	}
	slices.Sort(handlers)
	for _, h := range handlers {
		if !declared[h] {
			t.Errorf("handler %s has no declaration in the command table", h)
		}
	}
	if len(handlers) < 10 {
		t.Errorf("found only %d handlers: %v", len(handlers), handlers)
	}
}

func types(fs []*ast.Field) string {
	var out []string
	for _, f := range fs {
		switch x := f.Type.(type) {
		case *ast.Ident:
			out = append(out, x.Name)
		case *ast.SelectorExpr:
			out = append(out, x.X.(*ast.Ident).Name+"."+x.Sel.Name)
		default:
			out = append(out, "?")
		}
	}
	return strings.Join(out, ",")
}

// Typed lines reach the same named options in any order; what no argument
// takes is refused with the message of the argument it looks like.
func TestBind(t *testing.T) {
	en := New(storetest.Store(t)).words.Printer(i18n.EN)
	specs := map[string]Spec{}
	for _, s := range table() {
		specs[s.Key()] = s
	}
	tests := []struct {
		cmd, line string
		want      map[string]string // option → text ("" for a number, checked by ints)
		ints      map[string]int
		err       string
	}{
		{"draws", "5 cec", map[string]string{"category": "cec"}, map[string]int{"count": 5}, ""},
		{"draws", "cec 5", map[string]string{"category": "cec"}, map[string]int{"count": 5}, ""},
		{"draws", "1 no program", map[string]string{"category": "no program"}, map[string]int{"count": 1}, ""},
		{"cutoff", "for stem", map[string]string{"category": "for stem"}, nil, ""}, // resolved to stem by check
		{"cutoff", "Healthcare and social services", map[string]string{"category": "Healthcare and social services"}, nil, ""},
		{"match", "470 healthcare", map[string]string{"category": "healthcare"}, map[string]int{"score": 470}, ""},
		{"match", "abc", nil, nil, "“abc” isn't a CRS score"},
		{"history", "all 3", map[string]string{"category": "all"}, map[string]int{"page": 3}, ""},
		{"eligible", "registered nurses", map[string]string{"noc": "registered nurses"}, nil, ""},
		{"subscribe", "healthcare,stem under 480", map[string]string{"categories": "healthcare stem"}, map[string]int{"max_crs": 480}, ""},
		{"subscribe", "healthcare <=480", map[string]string{"categories": "healthcare"}, map[string]int{"max_crs": 480}, ""},
		// A role comes only from a platform's role option, never from text.
		{"subscribe", "<@&123456789012345678>", nil, nil, "“<@&123456789012345678>” isn't a category I know"},
		{"subscribe", "healthcare 480 500", nil, nil, "“500” isn't a CRS threshold"},
		{"announce", "post 437", map[string]string{"action": "post", "draw": "437"}, nil, ""},
		{"draw add", "438 2026-08-25 senior managers 3,000 470 2026-08-01 12:00:00 UTC",
			map[string]string{"number": "438", "date": "2026-08-25", "category": "senior managers", "tie_break": "2026-08-01 12:00:00 UTC"},
			map[string]int{"invitations": 3000, "crs": 470}, ""},
		{"draw add", "4x8 2026-08-25 healthcare 3000 470", nil, nil, "“4x8” isn't a draw number"},
		{"oinp", "x", nil, nil, "1 to 25 Ontario draws"},
		{"categories", "now", nil, nil, "categories takes nothing after its name"},
		{"pool", "above 480", nil, map[string]int{"score": 480}, ""},
		{"pool", "between 451 and 500", nil, map[string]int{"score": 451, "to": 500}, ""},
		{"history", "stem 2024", map[string]string{"category": "stem", "period": "2024"}, nil, ""},
		{"draws", "trades since 2024 5", map[string]string{"category": "trades", "period": "since 2024"}, map[string]int{"count": 5}, ""},
		{"stats", "cec last 6 months", map[string]string{"category": "cec", "period": "last 6 months"}, nil, ""},
	}
	for _, tc := range tests {
		o, err := specs[tc.cmd].bind(tc.line, en)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s %q: err %v, want %q", tc.cmd, tc.line, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s %q: %v", tc.cmd, tc.line, err)
			continue
		}
		for k, v := range tc.want {
			if got := strings.Join(words(o.Text(k)), " "); got != strings.Join(words(v), " ") {
				t.Errorf("%s %q: %s = %q, want %q", tc.cmd, tc.line, k, got, v)
			}
		}
		checked, err := specs[tc.cmd].check(o, en)
		if err != nil {
			t.Errorf("%s %q: check: %v", tc.cmd, tc.line, err)
			continue
		}
		for k, v := range tc.ints {
			if got, ok := checked.Int(k); !ok || got != v {
				t.Errorf("%s %q: %s = %d, want %d", tc.cmd, tc.line, k, got, v)
			}
		}
	}
}

// The help text lists every public command from the table, and Discord's
// /subscribe gets exactly the options its handler reads.
func TestHelpAndSpecsFromTable(t *testing.T) {
	e := New(storetest.Store(t))
	help := e.helpReply(e.words.Printer(i18n.EN))
	for _, s := range table() {
		if s.Access == Everyone && s.Help != "" && !slices.Contains(help.Lines, s.Example+": "+e.words.Printer(i18n.EN).T(s.Help)) {
			t.Errorf("help lacks %s", s.Key())
		}
	}
	sub, _ := e.Spec("subscribe", "")
	var names []string
	for _, a := range sub.Args {
		names = append(names, a.Name)
	}
	if !slices.Equal(names, []string{"categories", "max_crs", "role"}) {
		t.Errorf("subscribe options %v", names)
	}
}
