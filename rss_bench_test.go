package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/eebot/eebot/bot/discord/fakediscord"
	"github.com/eebot/eebot/bot/telegram/faketelegram"
	"github.com/eebot/eebot/data"
	"github.com/eebot/eebot/internal/poll/ircctest"
	"github.com/eebot/eebot/internal/testlog"
)

// BenchmarkRSS measures the resident memory (VmRSS in /proc/<pid>/status)
// of the real binary, built with go build (or EEBOT_BIN, to measure another
// build with the same harness), against the fake IRCC feed, Telegram and
// Discord:
//
//   - {console,telegram,discord}-first-MB: RSS_IDLE (10 s) after a first
//     start on a new database file (so after seeding it) and its first poll;
//   - …-second-MB: the same after a second start on the same file;
//   - burst-peak-MB: the highest RSS sampled while BURST_N (1,000) Discord
//     interactions are answered, 32 in flight, right after the first idle
//     reading; burst-30s-MB: 30 s after the last answer; burst-cpu-ms: the
//     CPU time the bot spent on them (user and system).
//
// Each reading also reports its anonymous part (…-anon-MB, RssAnon): the
// rest is the binary's own pages, mapped from its file.
//
// RSS_ENV adds variables to the bot's environment (e.g. GOGC=50), to
// compare settings; RSS_PLATFORMS picks platforms (e.g. "discord"). Every
// wait has a deadline (rssWait), and the bot is killed if it does not
// stop. Linux only. Run it alone: go test -run '^$' -bench RSS -benchtime 1x
func BenchmarkRSS(b *testing.B) {
	if runtime.GOOS != "linux" {
		b.Skip("reads /proc")
	}
	bin := rssBinary(b)
	idle := time.Duration(envInt("RSS_IDLE", 10)) * time.Second
	metrics := map[string]float64{}
	platforms := strings.Fields(os.Getenv("RSS_PLATFORMS"))
	if len(platforms) == 0 {
		platforms = []string{"console", "telegram", "discord"}
	}
	for _, platform := range platforms {
		dbPath := filepath.Join(b.TempDir(), "bot.db")
		for _, start := range []string{"first", "second"} {
			bot := startRSSBot(b, bin, platform, dbPath)
			time.Sleep(idle)
			name := platform + "-" + start
			metrics[name+"-MB"], metrics[name+"-anon-MB"] = bot.rss(b)
			if platform == "discord" && start == "first" {
				cpu := bot.cpu(b)
				metrics["burst-peak-MB"] = bot.burst(b, envInt("BURST_N", 1000))
				metrics["burst-cpu-ms"] = float64((bot.cpu(b) - cpu).Milliseconds())
				time.Sleep(30 * time.Second)
				metrics["burst-30s-MB"], metrics["burst-30s-anon-MB"] = bot.rss(b)
			}
			bot.stop(b)
		}
	}
	for k, v := range metrics {
		b.ReportMetric(v, k)
	}
}

// rssWait bounds every wait of BenchmarkRSS.
const rssWait = 60 * time.Second

// rssBinary returns EEBOT_BIN, or the bot built from this tree.
func rssBinary(b *testing.B) string {
	if bin := os.Getenv("EEBOT_BIN"); bin != "" {
		return bin
	}
	bin := filepath.Join(b.TempDir(), "eebot")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, "go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// rssBot is one running bot process and the fakes it talks to.
type rssBot struct {
	cmd   *exec.Cmd
	logs  *testlog.Buffer
	stdin io.Closer
	dc    *fakediscord.Server
	done  chan struct{}
}

// startRSSBot starts the binary for platform on dbPath and returns once it
// is ready: the console printed its banner, Telegram is polling, Discord
// registered its commands, and the first poll of the feed was answered.
func startRSSBot(b *testing.B, bin, platform, dbPath string) *rssBot {
	snap, err := data.Files.ReadFile(data.IRCCFeed)
	if err != nil {
		b.Fatal(err)
	}
	feed := ircctest.New(snap)
	b.Cleanup(feed.Close)
	env := []string{"DB_PATH=" + dbPath, "IRCC_FEED_URL=" + feed.URL, "POLL_INTERVAL=1h", "POLL_OFF_HOURS_INTERVAL=1h", "LOG_LEVEL=info"}
	env = append(env, strings.Fields(os.Getenv("RSS_ENV"))...) // e.g. GOGC=50, to compare settings
	bot := &rssBot{logs: &testlog.Buffer{}, done: make(chan struct{})}
	var tg *faketelegram.Server
	switch platform {
	case "telegram":
		tg = faketelegram.New()
		b.Cleanup(tg.Close)
		env = append(env, "TELEGRAM_BOT_TOKEN="+tg.Token(), "TELEGRAM_API_ENDPOINT="+tg.Endpoint())
	case "discord":
		bot.dc = fakediscord.Start(b)
		env = append(env, "DISCORD_BOT_TOKEN="+bot.dc.Token, "DISCORD_API_URL="+bot.dc.APIURL, "DISCORD_GUILD_ID="+fakediscord.GuildID)
	}
	bot.cmd = exec.Command(bin)
	bot.cmd.Env = env
	bot.cmd.Dir = b.TempDir() // no .env file
	bot.cmd.Stdout = io.Discard
	bot.cmd.Stderr = bot.logs
	if platform == "console" {
		w, err := bot.cmd.StdinPipe() // held open: the console waits for input
		if err != nil {
			b.Fatal(err)
		}
		bot.stdin = w
	}
	if err := bot.cmd.Start(); err != nil {
		b.Fatal(err)
	}
	go func() { bot.cmd.Wait(); close(bot.done) }()
	b.Cleanup(func() {
		bot.cmd.Process.Kill()
		<-bot.done
	})
	ctx, cancel := context.WithTimeout(context.Background(), rssWait)
	defer cancel()
	switch platform {
	case "console":
		err = bot.logs.Wait(ctx, func(log string) bool { return strings.Contains(log, "console mode") })
	case "telegram":
		err = tg.Wait(ctx, func(v faketelegram.View) bool { return v.Polling() > 0 })
	case "discord":
		_, err = bot.dc.AwaitRequests(ctx, "PUT", "/api/v9/applications/", 1)
	}
	if err == nil {
		err = feed.AwaitRequests(ctx, 1)
	}
	if err != nil {
		b.Fatalf("%s: not ready: %v\n%s", platform, err, bot.logs)
	}
	return bot
}

// rss returns the process's resident memory and its anonymous part, in MB.
func (r *rssBot) rss(b *testing.B) (total, anon float64) {
	st, err := procStatus(r.cmd.Process.Pid)
	if err != nil {
		b.Fatalf("%v\n%s", err, r.logs)
	}
	return float64(st["VmRSS"]) / 1024, float64(st["RssAnon"]) / 1024
}

// cpu returns the CPU time the process used so far (user and system), from
// /proc/pid/stat.
func (r *rssBot) cpu(b *testing.B) time.Duration {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", r.cmd.Process.Pid))
	if err != nil {
		b.Fatal(err)
	}
	// The fields after the command, which is in parentheses: utime and
	// stime are the 12th and 13th, in clock ticks (100 a second on Linux).
	fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
	var ticks int64
	for _, f := range fields[11:13] {
		n, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			b.Fatalf("/proc/%d/stat: %v", r.cmd.Process.Pid, err)
		}
		ticks += n
	}
	return time.Duration(ticks) * 10 * time.Millisecond
}

// procStatus reads the sizes in kB from /proc/pid/status: VmRSS, RssAnon, …
func procStatus(pid int) (map[string]int, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string]int{}
	s := bufio.NewScanner(f)
	for s.Scan() {
		k, v, _ := strings.Cut(s.Text(), ":")
		if v, ok := strings.CutSuffix(strings.TrimSpace(v), " kB"); ok {
			if n, err := strconv.Atoi(v); err == nil {
				out[k] = n
			}
		}
	}
	if _, ok := out["VmRSS"]; !ok {
		return nil, fmt.Errorf("no VmRSS in /proc/%d/status", pid)
	}
	return out, s.Err()
}

// burst answers n interactions, 32 in flight, a mix of the commands people
// use most, and returns the peak RSS sampled meanwhile, in MB.
func (r *rssBot) burst(b *testing.B, n int) (peakMB float64) {
	var peakKB atomic.Int64
	stopSampling := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			if st, err := procStatus(r.cmd.Process.Pid); err == nil && int64(st["VmRSS"]) > peakKB.Load() {
				peakKB.Store(int64(st["VmRSS"]))
			}
			select {
			case <-stopSampling:
				return
			case <-t.C:
			}
		}
	}()
	mix := []fakediscord.Interaction{
		{Name: "cutoff", Options: []fakediscord.Option{{Name: "category", Type: fakediscord.OptString, Value: "healthcare"}}},
		{Name: "eligible", Options: []fakediscord.Option{{Name: "noc", Type: fakediscord.OptString, Value: "33109"}}},
		{Name: "history", Options: []fakediscord.Option{{Name: "category", Type: fakediscord.OptString, Value: "healthcare"}}},
		{Type: fakediscord.TypeAutocomplete, Name: "eligible", Options: []fakediscord.Option{{Name: "noc", Value: "nurse", Focused: true}}},
	}
	const inFlight = 32
	sem := make(chan struct{}, inFlight)
	var failed atomic.Int64
	var firstErr sync.Once
	var errText string
	var wg sync.WaitGroup
	for i := range n {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			in := mix[i%len(mix)]
			in.ID = fakediscord.NextID()
			ctx, cancel := context.WithTimeout(context.Background(), rssWait)
			defer cancel()
			_, err := r.dc.Push(in)
			if err == nil {
				_, err = r.dc.AwaitCallback(ctx, in.ID)
			}
			if err != nil {
				failed.Add(1)
				firstErr.Do(func() { errText = err.Error() })
			}
		})
	}
	wg.Wait()
	close(stopSampling)
	<-sampled
	if f := failed.Load(); f > 0 {
		b.Fatalf("%d of %d interactions unanswered: %s\n%s", f, n, errText, r.logs)
	}
	return float64(peakKB.Load()) / 1024
}

// stop sends SIGTERM and waits for the exit, killing the bot after rssWait.
func (r *rssBot) stop(b *testing.B) {
	if r.stdin != nil {
		r.stdin.Close()
	}
	r.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-r.done:
	case <-time.After(rssWait):
		r.cmd.Process.Kill()
		b.Fatalf("the bot did not stop within %v of SIGTERM\n%s", rssWait, r.logs)
	}
}
