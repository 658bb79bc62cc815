// Package commands answers the bot's commands. Handlers are pure functions of
// a Request and the store: they return a Reply and know nothing of Discord,
// Telegram or the console.
package commands

import (
	"log/slog"
	"sync"
	"text/template"
	"time"

	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/i18n"
)

// Engine routes requests to command handlers.
type Engine struct {
	store      domain.Store
	now        func() time.Time
	log        *slog.Logger
	specs      map[string]Spec // by Key and alias
	list       []Spec          // in menu order
	post       *template.Template
	words      *i18n.Catalog
	lang       i18n.Lang  // the language when nothing else says which
	observer   Observer   // told of every answer; nil = nobody
	fleet      Fleet      // which replica answers and which leads; nil = one instance
	vocabState            // the question reader's words, built on first use
	charts     chartState // rendered charts and their answers, until the data changes

	namesOnce sync.Once
	namesFR   map[string]string // IRCC's French round names by English name

	posts postCache // RenderPost's last posts
}

// WithLang sets the language of answers when neither the chat, the
// question nor the platform says which (the console's -lang).
func WithLang(l i18n.Lang) Option { return func(e *Engine) { e.lang = l } }

// Words returns the printer of a language, for the few words adapters
// write themselves (button labels).
func (e *Engine) Words(locale string) i18n.Printer {
	l, ok := i18n.Parse(locale)
	if !ok {
		l = e.lang
	}
	return e.words.Printer(l)
}

// Option configures an Engine.
type Option func(*Engine)

// Fleet reports, for /about, this replica's name and the leading
// replica's ("" when none is known); show is false when there is nothing
// worth telling people (a single instance, which leads).
type Fleet func() (replica, leader string, show bool)

// WithFleet makes /about say which replica answered and which leads.
func WithFleet(f Fleet) Option { return func(e *Engine) { e.fleet = f } }

// WithClock sets the clock used for "how long ago" answers (tests pin it).
func WithClock(now func() time.Time) Option { return func(e *Engine) { e.now = now } }

// WithLogger sets the logger for failures that the user is not shown.
func WithLogger(l *slog.Logger) Option { return func(e *Engine) { e.log = l } }

// New returns an Engine reading from s.
func New(s domain.Store, opts ...Option) *Engine {
	e := &Engine{store: s, now: time.Now, log: slog.Default(), specs: map[string]Spec{}, lang: i18n.EN, charts: newChartState()}
	words, err := i18n.Load()
	if err != nil {
		panic(err) // the catalogs are part of the binary and tested
	}
	e.words = words
	e.list = table()
	for _, sp := range e.list {
		e.specs[sp.Key()] = sp
		for _, a := range sp.Aliases {
			e.specs[a] = sp
		}
	}
	for _, o := range opts {
		o(e)
	}
	if e.post == nil {
		t, err := LoadPostTemplate("")
		if err != nil {
			panic(err) // the embedded template is part of the binary and tested
		}
		e.post = t
	}
	return e
}

// Choice is an autocomplete or menu entry: Name is shown, Value is sent back.
type Choice struct {
	Name  string
	Value string
}
