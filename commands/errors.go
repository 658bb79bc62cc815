package commands

import (
	"cmp"
	"errors"
	"strings"

	"github.com/eebot/eebot/internal/i18n"
	"github.com/eebot/eebot/internal/reply"
)

// Code classifies what went wrong from the user's side of the chat.
type Code int

const (
	CodeInvalid   Code = iota + 1 // input the bot could not use; the message says why and what to try
	CodeNotFound                  // valid input that matches nothing
	CodeForbidden                 // the caller may not do that here
)

// Error is a failure a person is told about: Message and Hints are written
// for them. Any other error a handler returns is logged, and the person gets
// a short apology instead of its text.
type Error struct {
	Code    Code
	Title   string   // optional; each Code has a default
	Message string   // what the person is told
	Hints   []string // what to try instead
	Choices []string // commands they may type next
}

func (e *Error) Error() string { return e.Message }

func invalid(msg string, hints ...string) *Error {
	return &Error{Code: CodeInvalid, Message: msg, Hints: hints}
}

// errorReply is the one place an error becomes what the user sees: the
// problem as the headline, the fix under it.
func errorReply(p i18n.Printer, err error) reply.Reply {
	var e *Error
	if !errors.As(err, &e) {
		return reply.Reply{Status: reply.StatusInternal, Private: true, Title: p.T("error.internal"), Summary: p.T("error.internal.body")}
	}
	r := reply.Reply{Status: reply.StatusInvalid, Private: true, Title: e.Title, Summary: e.Message, Choices: e.Choices}
	hints := e.Hints
	if e.Title == "" && len([]rune(e.Message)) <= 90 {
		// A short message is the headline; the first hint says how to fix it.
		r.Title, r.Summary = strings.TrimSuffix(e.Message, "."), ""
		if len(hints) > 0 {
			r.Summary, hints = hints[0], hints[1:]
		}
	}
	r.Lines = hints
	switch e.Code {
	case CodeNotFound:
		r.Status = reply.StatusNotFound
	case CodeForbidden:
		r.Title = cmp.Or(r.Title, p.T("error.forbidden"))
	}
	r.Title = cmp.Or(r.Title, p.T("error.invalid"))
	return r
}
