package secret

import (
	"context"
	"encoding"
	"fmt"
	"log/slog"
)

// Handler wraps next so that every record it handles has its message, its
// attributes (strings, errors, any value as it would be printed, groups,
// those added by With) and group names redacted by r.
func Handler(next slog.Handler, r *Redactor) slog.Handler {
	return &handler{next: next, r: r}
}

type handler struct {
	next slog.Handler
	r    *Redactor
}

func (h *handler) Enabled(ctx context.Context, l slog.Level) bool { return h.next.Enabled(ctx, l) }

func (h *handler) Handle(ctx context.Context, rec slog.Record) error {
	out := slog.NewRecord(rec.Time, rec.Level, h.r.String(rec.Message), rec.PC)
	rec.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(h.attr(a))
		return true
	})
	return h.next.Handle(ctx, out)
}

func (h *handler) WithAttrs(as []slog.Attr) slog.Handler {
	out := make([]slog.Attr, len(as))
	for i, a := range as {
		out[i] = h.attr(a)
	}
	return &handler{next: h.next.WithAttrs(out), r: h.r}
}

func (h *handler) WithGroup(name string) slog.Handler {
	return &handler{next: h.next.WithGroup(h.r.String(name)), r: h.r}
}

// attr redacts one attribute. A value of any other kind that prints with a
// secret in it (an error, a URL, a struct) is replaced by its redacted text.
func (h *handler) attr(a slog.Attr) slog.Attr {
	a.Key = h.r.String(a.Key)
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		a.Value = slog.StringValue(h.r.String(v.String()))
	case slog.KindGroup:
		g := v.Group()
		out := make([]slog.Attr, len(g))
		for i, x := range g {
			out[i] = h.attr(x)
		}
		a.Value = slog.GroupValue(out...)
	case slog.KindAny:
		a.Value = v
		texts := printed(v.Any())
		for _, s := range texts {
			if h.r.String(s) != s {
				a.Value = slog.StringValue(h.r.String(texts[0]))
				break
			}
		}
	default:
		a.Value = v
	}
	return a
}

// printed is every way a handler may write x: the text handler's form
// first (an error's text, else %+v), then its text marshalling (a nil
// pointer's panic is caught as fmt catches it).
func printed(x any) []string {
	first := fmt.Sprintf("%+v", x)
	switch b := x.(type) {
	case error:
		first = fmt.Sprintf("%v", b)
	case []byte:
		first = string(b)
	}
	out := []string{first}
	if tm, ok := x.(encoding.TextMarshaler); ok {
		func() {
			defer func() { _ = recover() }()
			if b, err := tm.MarshalText(); err == nil {
				out = append(out, string(b))
			}
		}()
	}
	return out
}
