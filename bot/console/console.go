package console

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/eebot/eebot/commands"
	"github.com/eebot/eebot/internal/reply"
)

// maxLine bounds one question; longer lines are answered with an error.
const maxLine = 4096

// Run answers each line of in on out until EOF or ctx is cancelled.
func Run(ctx context.Context, eng *commands.Engine, in io.Reader, out io.Writer, opts ...Option) error {
	o := options(opts)
	lines := make(chan string)
	errc := make(chan error, 1)
	go func() {
		sc := bufio.NewScanner(in)
		sc.Buffer(make([]byte, 0, maxLine), maxLine)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			case <-ctx.Done():
				return
			}
		}
		err := sc.Err()
		if err == bufio.ErrTooLong {
			err = fmt.Errorf("console: a line longer than %d bytes", maxLine)
		}
		errc <- err
		close(lines)
	}()
	for {
		select {
		case <-ctx.Done():
			return nil
		case line, ok := <-lines:
			if !ok {
				return <-errc
			}
			if strings.TrimSpace(line) == "" {
				continue
			}
			if _, err := fmt.Fprintln(out, o.render(eng, eng.Ask(ctx, line, commands.Caller{}))); err != nil {
				return err
			}
		}
	}
}

// Ask answers one question on out and returns the process exit status:
// 0 for an answer (including "no such draw yet"), 2 for input it could not use.
func Ask(ctx context.Context, eng *commands.Engine, question string, out io.Writer, opts ...Option) int {
	r := eng.Ask(ctx, question, commands.Caller{})
	fmt.Fprint(out, options(opts).render(eng, r))
	switch r.Status {
	case reply.StatusOK, reply.StatusNotFound:
		return 0
	case reply.StatusInternal:
		return 1
	}
	return 2
}
