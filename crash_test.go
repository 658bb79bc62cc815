//go:build unix

package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/eebot/eebot/bot/telegram/faketelegram"
)

// The crash tests run the whole bot as a process of its own, so it can be
// killed with SIGKILL in the middle of a fan-out: the test binary runs
// itself again, and TestHelperBot in that child calls run. The fakes
// (Telegram, the IRCC feed) live in the test's process and count every post
// Telegram accepted, across every run of the bot; the outbox's file is read
// before the last run and at the end.

// helperEnv set to 1 makes TestHelperBot the bot.
const helperEnv = "EEBOT_TEST_HELPER_BOT"

// TestHelperBot is no test: in a child the crash tests start (helperEnv=1)
// it is main, configured by the child's environment alone.
func TestHelperBot(t *testing.T) {
	if os.Getenv(helperEnv) != "1" {
		return
	}
	os.Exit(run(context.Background(), nil, os.Stdin, os.Stdout, os.Stderr, os.Getenv))
}

// crashN is how many Telegram groups a crash test's fan-out posts to. The
// bot paces itself at Telegram's 30 messages/s, so 300 take 10 s.
var crashN = envInt("CRASH_N", 300)

// crashWait bounds each wait of the crash tests.
const crashWait = 60 * time.Second

// unrecordedMax is how many posts Telegram may have accepted that the
// outbox does not hold as sent yet, at any instant, by the design of
// broadcast.Sender as main runs it (Workers 32, the default), and so how
// many one kill can have sent again after the restart: each worker holds at
// most one post from its platform call until its mark is handed on, the
// marks channel holds Workers more, and the recorder's batch is written
// once it holds 256, taking nothing in meanwhile. That is the bound with no
// assumption on timing; the batch is also written once it is 5 ms old, but
// the write waits for the database's one writer, so in time the window is
// 5 ms plus that wait, and holds what Telegram accepts meanwhile (30 posts
// a second). The test checks each extra post against the outbox, and logs
// how long before its kill it reached Telegram.
const unrecordedMax = 32 + 32 + 256

// bot is one run of the bot as a child process.
type bot struct {
	cmd     *exec.Cmd
	started time.Time
	stopped time.Time      // when it was signalled
	sig     syscall.Signal // what stopped it
	done    chan struct{}  // closed once it exited
}

// spawn starts the bot in a child process configured by env alone.
func spawn(t *testing.T, env map[string]string, stdout, stderr io.Writer) *bot {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperBot$")
	cmd.Dir = t.TempDir() // no .env but the test's
	cmd.Env = []string{helperEnv + "=1"}
	for _, k := range []string{"PATH", "HOME", "TMPDIR", "GORACE", "GOCOVERDIR", "GODEBUG"} {
		if v, ok := os.LookupEnv(k); ok {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
	}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	b := &bot{cmd: cmd, started: time.Now(), done: make(chan struct{})}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		cmd.Wait()
		close(b.done)
	}()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-b.done
	})
	return b
}

// exited says how the bot ended; call it once done is closed.
func (b *bot) exited() string {
	if ws, ok := b.cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return "signal: " + ws.Signal().String()
	}
	return "exit " + strconv.Itoa(b.cmd.ProcessState.ExitCode())
}

// signal sends sig and waits for the bot to exit; it returns how long that
// took.
func (b *bot) signal(t *testing.T, sig syscall.Signal) time.Duration {
	t.Helper()
	b.sig, b.stopped = sig, time.Now()
	if err := b.cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	select {
	case <-b.done:
		return time.Since(b.stopped)
	case <-time.After(crashWait):
		t.Fatalf("the bot was still running %v after %v", crashWait, sig)
		return 0
	}
}

// crash is a fan-out of a new draw (#438, from the IRCC feed fake, queued
// by each start's first poll) to crashN Telegram groups subscribed to every
// draw, through as many runs of the bot as a test makes.
type crash struct {
	*e2e
	chats []int64
	runs  []*bot
}

func newCrash(t *testing.T) *crash {
	if testing.Short() {
		t.Skip("runs the bot as a process through a 10 s fan-out")
	}
	c := &crash{e2e: newE2E(t)}
	c.env["LOG_LEVEL"] = "info"
	c.env["POLL_INTERVAL"], c.env["POLL_OFF_HOURS_INTERVAL"] = "1h", "1h" // one poll a start
	for i := range crashN {
		c.chats = append(c.chats, -1_000_000_100_000-int64(i))
	}
	c.subscribe(c.chats...).Close()
	c.feed.Set(newDraw(t, "471"))
	return c
}

// start runs the bot once more, its log in c.logs.
func (c *crash) start() *bot {
	b := spawn(c.t, c.env, io.Discard, c.logs)
	c.runs = append(c.runs, b)
	return b
}

// await waits until cond holds at the Telegram fake, failing if b exits
// first.
func (c *crash) await(b *bot, what string, cond func(faketelegram.View) bool) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), crashWait)
	defer cancel()
	go func() {
		select {
		case <-b.done:
			cancel()
		case <-ctx.Done():
		}
	}()
	if err := c.tg.Wait(ctx, cond); err != nil {
		state := "still running"
		select {
		case <-b.done:
			state = b.exited()
		default:
		}
		c.t.Fatalf("waiting for %s: %v; the bot is %s, %d posts at Telegram; log:\n%s", what, err, state, c.tg.Count("sendMessage"), c.logs.String())
	}
}

// awaitPosts waits until Telegram has accepted n more posts than now.
func (c *crash) awaitPosts(b *bot, n int) {
	c.t.Helper()
	target := c.tg.Count("sendMessage") + n
	c.await(b, fmt.Sprintf("%d posts in all", target), func(v faketelegram.View) bool { return v.Count("sendMessage") >= target })
}

// interrupt runs the bot until Telegram accepted after more posts, then
// stops it with sig at once; it returns how long the bot took to exit.
func (c *crash) interrupt(after int, sig syscall.Signal) time.Duration {
	c.t.Helper()
	b := c.start()
	c.awaitPosts(b, after)
	took := b.signal(c.t, sig)
	want := "exit 0" // a stop: a clean one
	if sig == syscall.SIGKILL {
		want = "signal: " + sig.String()
	}
	if b.exited() != want {
		c.t.Fatalf("stopped with %v: %s, want %s; log:\n%s", sig, b.exited(), want, c.logs.String())
	}
	return took
}

// finish runs the bot until every chat whose post the outbox does not hold
// as sent has received one from this run, then stops it with SIGTERM. When
// hook is not nil it is called once the run has had midway posts accepted.
func (c *crash) finish(midway int, hook func(*bot)) {
	c.t.Helper()
	var todo []int64
	outbox := c.outbox()
	for _, ch := range c.chats {
		if outbox[ch].status != "sent" {
			todo = append(todo, ch)
		}
	}
	b := c.start()
	if hook != nil {
		c.awaitPosts(b, midway)
		hook(b)
	}
	c.await(b, fmt.Sprintf("a post in each of %d chats", len(todo)), func(v faketelegram.View) bool {
		got := map[int64]bool{}
		for _, call := range v.Calls("sendMessage") {
			if !call.At.Before(b.started) {
				got[call.ChatID] = true
			}
		}
		for _, ch := range todo {
			if !got[ch] {
				return false
			}
		}
		return true
	})
	b.signal(c.t, syscall.SIGTERM)
	if b.exited() != "exit 0" {
		c.t.Fatalf("the last run: %s; log:\n%s", b.exited(), c.logs.String())
	}
}

// delivery is a chat's row in the outbox.
type delivery struct{ status, messageID string }

// outbox reads draw #438's deliveries by chat from the database of the
// stopped bot, without writing to it.
func (c *crash) outbox() map[int64]delivery {
	c.t.Helper()
	db, err := sql.Open("sqlite", "file:"+c.env["DB_PATH"]+"?mode=ro")
	if err != nil {
		c.t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT s.destination, d.status, d.message_id FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id
		JOIN posts p ON p.id = d.post_id WHERE p.draw_number = '438' AND s.platform = 'telegram'`)
	if err != nil {
		c.t.Fatal(err)
	}
	defer rows.Close()
	out := map[int64]delivery{}
	for rows.Next() {
		var dest string
		var d delivery
		if err := rows.Scan(&dest, &d.status, &d.messageID); err != nil {
			c.t.Fatal(err)
		}
		ch, _ := strconv.ParseInt(dest, 10, 64)
		if _, dup := out[ch]; dup {
			c.t.Fatalf("two deliveries of #438 to %d", ch)
		}
		out[ch] = d
	}
	if err := rows.Err(); err != nil {
		c.t.Fatal(err)
	}
	return out
}

// tally is what became of the fan-out, counted at the Telegram fake.
type tally struct {
	lost, doubled int // chats with no post, with more than one
	// By run: posts Telegram accepted that the outbox did not record (the
	// next run sent them again), and how long before the run was stopped
	// the first of them reached Telegram.
	unrecorded []int
	oldest     []time.Duration
}

// tally checks that the outbox holds every post as sent, recorded with the
// last message each chat got, and returns what the chats got. Each earlier
// message is a post a run sent and did not record, which it reports by run.
func (c *crash) tally() tally {
	c.t.Helper()
	outbox := c.outbox()
	byChat := map[int64][]faketelegram.Call{}
	for _, call := range c.tg.Calls("sendMessage") {
		byChat[call.ChatID] = append(byChat[call.ChatID], call)
		if !strings.Contains(call.Text, "#438") {
			c.t.Errorf("chat %d got something else than the post: %.80q", call.ChatID, call.Plain)
		}
	}
	r := tally{unrecorded: make([]int, len(c.runs)), oldest: make([]time.Duration, len(c.runs))}
	for _, ch := range c.chats {
		calls, d := byChat[ch], outbox[ch]
		delete(byChat, ch)
		switch {
		case len(calls) == 0:
			r.lost++
			c.t.Errorf("chat %d got no post; outbox: %+v", ch, d)
			continue
		case len(calls) > 1:
			r.doubled++
		}
		if last := calls[len(calls)-1]; d.status != "sent" || d.messageID != strconv.Itoa(last.MessageID) {
			c.t.Errorf("chat %d: the outbox holds %+v, want sent with message %d, the last of %d", ch, d, last.MessageID, len(calls))
		}
		for _, call := range calls[:len(calls)-1] {
			i := len(c.runs) - 1
			for i > 0 && call.At.Before(c.runs[i].started) {
				i--
			}
			r.unrecorded[i]++
			r.oldest[i] = max(r.oldest[i], c.runs[i].stopped.Sub(call.At))
		}
	}
	for ch, calls := range byChat {
		c.t.Errorf("%d posts to chat %d, which no one subscribed", len(calls), ch)
	}
	return r
}

// kill -9 during a fan-out, 5 times at different points, each right after
// Telegram accepted a post, then a run to the end: no post is lost, and
// the only posts sent twice are those Telegram accepted that the outbox
// had not recorded when the process died (README: the one window for a
// duplicate).
func TestKill9DuringFanOut(t *testing.T) {
	t.Parallel()
	t0 := time.Now()
	c := newCrash(t)
	kills := []int{10, 25, 40, 55, 70} // posts accepted by each run before its kill
	for _, k := range kills {
		c.interrupt(k, syscall.SIGKILL)
	}
	c.finish(0, nil)
	r := c.tally()
	extra := 0
	for i, b := range c.runs {
		extra += r.unrecorded[i]
		switch {
		case b.sig != syscall.SIGKILL && r.unrecorded[i] > 0:
			t.Errorf("run %d, stopped with %v, left %d posts unrecorded", i+1, b.sig, r.unrecorded[i])
		case r.unrecorded[i] > unrecordedMax:
			t.Errorf("kill %d: %d posts unrecorded, more than the sender can hold (%d)", i+1, r.unrecorded[i], unrecordedMax)
		}
	}
	t.Logf("kill -9 ×%d during a fan-out to %d chats, each right after a post was accepted, after %v posts a run: "+
		"%d lost, %d doubled (%d extra messages); unrecorded at each kill: %v, reached Telegram at most %v before it; bound %d×%d; %v",
		len(kills), crashN, kills, r.lost, r.doubled, extra, r.unrecorded[:len(kills)], slices.Max(r.oldest).Round(time.Microsecond),
		len(kills), unrecordedMax, time.Since(t0).Round(100*time.Millisecond))
	if r.doubled > len(kills)*unrecordedMax {
		t.Errorf("%d doubled, more than %d kills × %d", r.doubled, len(kills), unrecordedMax)
	}
}

// SIGTERM twice during a fan-out, then a run to the end during which a
// second bot is started on the same database: the second exits 1 with one
// line naming the lock and the first bot's pid, having called Telegram not
// once, and each chat gets the post exactly once. (One fan-out for both, as
// a fan-out takes 10 s.)
func TestSIGTERMAndSecondInstanceDuringFanOut(t *testing.T) {
	t.Parallel()
	t0 := time.Now()
	c := newCrash(t)
	stops := []int{30, 90}
	var took []time.Duration
	for _, k := range stops {
		took = append(took, c.interrupt(k, syscall.SIGTERM).Round(time.Millisecond))
	}
	var second string
	c.finish(50, func(first *bot) {
		other := faketelegram.New() // the second bot's Telegram, to see it untouched
		defer other.Close()
		env := maps.Clone(c.env)
		env["TELEGRAM_BOT_TOKEN"], env["TELEGRAM_API_ENDPOINT"] = other.Token(), other.Endpoint()
		var out, errb bytes.Buffer
		b := spawn(t, env, &out, &errb)
		select {
		case <-b.done:
		case <-time.After(crashWait):
			t.Fatalf("the second bot was still running after %v", crashWait)
		}
		second = fmt.Sprintf("%s after %v, %q", b.exited(), time.Since(b.started).Round(time.Millisecond), errb.String())
		path := c.env["DB_PATH"]
		want := fmt.Sprintf("eebot: database in use: %s is open in another eebot process (pid %d), which holds %s.lock;", path, first.cmd.Process.Pid, path)
		if b.exited() != "exit 1" || out.Len() != 0 || !strings.HasPrefix(errb.String(), want) || strings.Count(errb.String(), "\n") != 1 {
			t.Errorf("second bot: %s, stdout %q, stderr %q; want exit 1 and one line starting %q", b.exited(), out.String(), errb.String(), want)
		}
		if n := len(other.Calls("")); n > 0 {
			t.Errorf("the second bot made %d Telegram calls", n)
		}
	})
	r := c.tally()
	t.Logf("SIGTERM ×%d during a fan-out to %d chats, after %v posts a run, then a second instance during the last run: "+
		"%d lost, %d doubled; the stops took %v; the second instance: %s; %v",
		len(stops), crashN, stops, r.lost, r.doubled, took, second, time.Since(t0).Round(100*time.Millisecond))
	if r.lost > 0 || r.doubled > 0 {
		t.Errorf("%d lost, %d doubled; want none", r.lost, r.doubled)
	}
}
