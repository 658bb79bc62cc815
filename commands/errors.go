package commands

import (
	"cmp"
	"errors"
	"fmt"

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

func invalidf(format string, args ...any) *Error { return invalid(fmt.Sprintf(format, args...)) }

func forbidden(msg string) *Error { return &Error{Code: CodeForbidden, Message: msg} }

// errorReply is the one place an error becomes what the user sees.
func errorReply(err error) reply.Reply {
	var e *Error
	if !errors.As(err, &e) {
		return reply.Reply{Status: reply.StatusInternal, Private: true, Title: "Something went wrong",
			Summary: "I couldn't look that up just now. Please try again in a moment."}
	}
	r := reply.Reply{Status: reply.StatusInvalid, Private: true, Title: e.Title, Summary: e.Message, Lines: e.Hints, Choices: e.Choices}
	switch e.Code {
	case CodeNotFound:
		r.Status = reply.StatusNotFound
	case CodeForbidden:
		r.Title = cmp.Or(r.Title, "Not allowed")
	}
	r.Title = cmp.Or(r.Title, "I can't use that")
	return r
}
