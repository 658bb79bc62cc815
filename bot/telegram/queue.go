package telegram

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/eebot/eebot/internal/reply"
)

// outMsg is one Telegram message: HTML text, an optional keyboard, and the
// message it answers.
type outMsg struct {
	text    string
	markup  *tgbotapi.InlineKeyboardMarkup
	replyTo int
	photo   *reply.Image // sent with sendPhoto, text as its caption
}

// Priorities: replies to users go before bulk posts (broadcasts).
const (
	prioBulk = iota
	prioReply
)

// bulkEvery gives bulk posts a share of the global rate: while replies and
// posts both wait, every bulkEvery-th slot goes to a post, so a flood of
// questions delays alerts instead of starving them.
const bulkEvery = 5

// job is one reply (one or more messages, sent in order to one chat) or
// one edit. It leaves the queue when all parts are sent or it fails.
type job struct {
	chatID   int64 // updated when the chat migrates
	edit     int   // message to edit; 0 to send
	parts    []outMsg
	next     int   // first part not yet sent
	ids      []int // message IDs of the sent parts
	priority int
	seq      uint64
	tries    int // retries spent on the current part
	// noResend: when the chat turns out to have migrated, fail the job
	// with kindMigrated instead of re-sending it to the supergroup.
	noResend bool
	canceled bool
	inflight bool                       // a part is being sent
	done     func(ids []int, err error) // called once, outside the queue's lock
	ctx      context.Context            // the calls' context; nil for the Bot's own
}

// chatQ is one chat's FIFO and flood buckets.
type chatQ struct {
	id     int64
	jobs   []*job
	busy   bool // a call to this chat is in flight: keeps parts in order
	paused time.Time
	chat   *bucket
	group  *bucket // nil for private chats
}

// sender performs one call: send p to chatID, or edit message j.edit.
type sender func(j *job, p outMsg, chatID int64) (messageID int, err error)

// queue is the one send queue of a Bot. Every outgoing message waits here
// until its chat's bucket, its group's bucket and the global bucket allow
// it; each chat has at most one call in flight; 429s pause the chat (and
// everything, when several chats are flooded) for retry_after and the same
// message is retried; 403 fails the chat's jobs and reports the chat;
// migrate_to_chat_id moves the chat's jobs to the supergroup.
type queue struct {
	lim     Limits
	workers int
	send    sender
	token   string
	log     *slog.Logger
	gone    func(chatID int64, reason string)
	migr    func(oldID, newID int64)
	fleet   FleetBudget // nil: this queue's own pacing only
	botID   string      // the fleet's key: the same for every replica of the bot

	mu          sync.Mutex
	chats       map[int64]*chatQ
	migrated    map[int64]int64
	global      *bucket
	globalPause time.Time
	lastFlood   time.Time
	floodChat   int64
	seq         uint64
	repliesRun  int // slots given to replies in a row while a post waited
	running     int // calls in flight
	wake        chan struct{}
	inflight    sync.WaitGroup

	// counters, for tests and logs
	sent, floods, retries, ambiguous int
}

func newQueue(lim Limits, workers int, send sender, token string, log *slog.Logger) *queue {
	lim = lim.withDefaults()
	return &queue{
		lim: lim, workers: max(1, workers), send: send, token: token, log: log,
		chats: map[int64]*chatQ{}, migrated: map[int64]int64{},
		global: newBucket(lim.Global, lim.GlobalBurst, lim.Slack, lim.Window, lim.Jitter),
		wake:   make(chan struct{}, 1),
		botID:  botID(token),
	}
}

// botID is the bot's numeric ID, the token's part before the colon (no
// secret): the same for every replica of the bot.
func botID(token string) string {
	id, _, _ := strings.Cut(token, ":")
	return id
}

func (q *queue) signal() {
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// resolveLocked follows migrations from id to the chat's current ID.
func (q *queue) resolveLocked(id int64) int64 {
	for i := 0; i < 8; i++ {
		to, ok := q.migrated[id]
		if !ok {
			break
		}
		id = to
	}
	return id
}

func (q *queue) chatLocked(id int64) *chatQ {
	c := q.chats[id]
	if c == nil {
		c = &chatQ{id: id, chat: newBucket(q.lim.PerChat, q.lim.PerChatBurst, q.lim.Slack, q.lim.Window, q.lim.Jitter)}
		if id < 0 {
			c.group = newBucket(q.lim.Group/60, q.lim.GroupBurst, q.lim.Slack, 60*q.lim.Window, q.lim.Jitter)
		}
		q.chats[id] = c
	}
	return c
}

// add queues j; j.done is called when it is sent or failed.
func (q *queue) add(j *job) {
	q.mu.Lock()
	j.chatID = q.resolveLocked(j.chatID)
	q.seq++
	j.seq = q.seq
	c := q.chatLocked(j.chatID)
	c.jobs = append(c.jobs, j)
	q.mu.Unlock()
	q.signal()
}

// cancel drops j if it has not finished; parts in flight still complete.
// It reports whether a part was sent or is in flight, so may have been
// delivered, and the chat j was for.
func (q *queue) cancel(j *job) (started bool, chatID int64) {
	q.mu.Lock()
	j.canceled = true
	started, chatID = j.inflight || j.next > 0, j.chatID
	q.mu.Unlock()
	q.signal()
	return started, chatID
}

// pending counts the jobs waiting or in flight.
func (q *queue) pending() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	n := 0
	for _, c := range q.chats {
		n += len(c.jobs)
	}
	return n
}

// run dispatches until stop is closed, then waits for the calls in flight.
// Jobs still queued stay queued for the next run.
func (q *queue) run(stop <-chan struct{}) {
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		var wait <-chan time.Time
		q.mu.Lock()
		now := time.Now()
		c, at, contended := q.pickLocked(now)
		if c != nil && !at.After(now) {
			if contended {
				q.repliesRun++
				if c.jobs[0].priority == prioBulk {
					q.repliesRun = 0
				}
			}
			q.startLocked(c, now)
			q.mu.Unlock()
			continue
		}
		q.mu.Unlock()
		if c != nil {
			timer.Reset(at.Sub(now))
			wait = timer.C
		}
		select {
		case <-q.wake:
		case <-wait:
		case <-stop:
			q.inflight.Wait()
			return
		}
	}
}

// pickLocked returns the chat to serve next and when it may send (see
// better), and whether a reply and a post were both ready to go now. It
// drops canceled jobs and idle chats.
func (q *queue) pickLocked(now time.Time) (best *chatQ, bestAt time.Time, contended bool) {
	if q.running >= q.workers {
		return nil, time.Time{}, false
	}
	var (
		bestOwn    time.Time
		ready      [prioReply + 1]bool // by priority: a chat of it can send now
		preference = prioReply
	)
	if q.repliesRun >= bulkEvery-1 {
		preference = prioBulk // the post's turn
	}
	floor := latest(q.global.readyAt(), q.globalPause)
	for id, c := range q.chats {
		if c.busy || (len(c.jobs) > 0 && c.jobs[0].inflight) {
			continue
		}
		var finished []*job
		for len(c.jobs) > 0 && c.jobs[0].canceled {
			finished = append(finished, c.jobs[0])
			c.jobs = c.jobs[1:]
		}
		for _, j := range finished {
			q.finishAsync(j, errCanceled)
		}
		if len(c.jobs) == 0 {
			if c.chat.idle(now) && (c.group == nil || c.group.idle(now)) && !c.paused.After(now) {
				delete(q.chats, id)
			}
			continue
		}
		own := latest(c.paused, c.chat.readyAt())
		if c.group != nil {
			own = latest(own, c.group.readyAt())
		}
		at := latest(floor, own)
		if !at.After(now) {
			ready[c.jobs[0].priority] = true
		}
		if best == nil || better(c, at, own, best, bestAt, bestOwn, now, preference) {
			best, bestAt, bestOwn = c, at, own
		}
	}
	return best, bestAt, ready[prioReply] && ready[prioBulk]
}

// better orders candidates. Among the chats ready now: the preferred
// priority first (replies, except on the posts' turn), then the chat whose
// own slot came first (so each chat keeps its spacing even when the global
// limit makes them take turns), then the oldest job. Otherwise the chat
// ready soonest.
func better(c *chatQ, at, own time.Time, b *chatQ, bAt, bOwn time.Time, now time.Time, preference int) bool {
	cReady, bReady := !at.After(now), !bAt.After(now)
	if cReady != bReady {
		return cReady
	}
	if !cReady {
		return at.Before(bAt)
	}
	cj, bj := c.jobs[0], b.jobs[0]
	if cj.priority != bj.priority {
		return cj.priority == preference
	}
	if !own.Equal(bOwn) {
		return own.Before(bOwn)
	}
	return cj.seq < bj.seq
}

func latest(ts ...time.Time) time.Time {
	var m time.Time
	for _, t := range ts {
		if t.After(m) {
			m = t
		}
	}
	return m
}

func (q *queue) startLocked(c *chatQ, now time.Time) {
	j := c.jobs[0]
	p := j.parts[j.next]
	c.busy = true
	j.inflight = true
	q.running++
	q.global.take(now)
	c.chat.take(now)
	if c.group != nil {
		c.group.take(now)
	}
	q.inflight.Add(1)
	go q.do(c, j, p, c.id)
}

// do makes one call and applies its outcome.
func (q *queue) do(c *chatQ, j *job, p outMsg, chatID int64) {
	defer q.inflight.Done()
	q.waitFleet()
	id, err := q.send(j, p, chatID)

	var after []func()
	q.mu.Lock()
	c.busy = false
	j.inflight = false
	q.running--
	if err == nil {
		q.sent++
		q.advanceLocked(j, id, &after)
	} else {
		q.failedLocked(j, chatID, err, &after)
	}
	q.mu.Unlock()
	q.signal()
	for _, f := range after {
		f()
	}
}

// fleetWait bounds a booking with the fleet's budget: past it (the
// database is slow or gone) the call goes on this queue's pacing alone.
const fleetWait = 2 * time.Second

// waitFleet books the call's slot of the bot's overall rate with the
// replicas sharing it (Config.Fleet) and waits for it. The slots are
// spaced (Window+Jitter)/Global apart, so the fleet's calls put at most
// Global in any window as Telegram sees them, as this queue's own bucket
// does for its own.
func (q *queue) waitFleet() {
	if q.fleet == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), fleetWait)
	defer cancel()
	every := time.Duration(float64(q.lim.Window+max(q.lim.Jitter, 0)) / q.lim.Global)
	at, err := q.fleet.ReserveSend(ctx, "telegram:"+q.botID, every, time.Now())
	if err != nil {
		q.log.Warn("could not book the fleet's send rate; sending on this replica's pacing", "err", err)
		return
	}
	if d := time.Until(at); d > 0 {
		<-time.NewTimer(d).C
	}
}

// advanceLocked records a sent part and finishes the job after its last.
func (q *queue) advanceLocked(j *job, id int, after *[]func()) {
	j.ids = append(j.ids, id)
	j.next++
	j.tries = 0
	if j.next < len(j.parts) && !j.canceled {
		return
	}
	q.removeLocked(j)
	var err error
	if j.next < len(j.parts) {
		err = errCanceled
	}
	*after = append(*after, func() { j.finish(err) })
}

func (q *queue) removeLocked(j *job) {
	c := q.chats[j.chatID]
	if c == nil {
		return
	}
	if i := slices.Index(c.jobs, j); i >= 0 {
		c.jobs = slices.Delete(c.jobs, i, i+1)
	}
}

func (q *queue) failedLocked(j *job, chatID int64, err error, after *[]func()) {
	now := time.Now()
	o := classify(chatID, err, q.lim.RetryAfterUnit, q.token)
	c := q.chats[j.chatID]
	switch {
	case o.notChanged:
		q.advanceLocked(j, j.edit, after)
	case o.retryAfter > 0:
		q.floods++
		j.tries++
		if j.tries > q.lim.MaxRetries {
			q.failJobLocked(j, o.err, after)
			return
		}
		until := now.Add(o.retryAfter)
		if c != nil {
			c.paused = latest(c.paused, until)
		}
		// Flood control hitting a second chat within the pause means the
		// bot as a whole is over the limit: pause everything.
		if q.floodChat != chatID && now.Sub(q.lastFlood) < o.retryAfter {
			q.globalPause = latest(q.globalPause, until)
		}
		q.lastFlood, q.floodChat = now, chatID
		q.log.Warn("telegram: flood control, retrying", "chat", chatID, "retry_after", o.retryAfter, "try", j.tries)
	case o.migrateTo != 0:
		if j.edit != 0 || j.noResend {
			q.failJobLocked(j, o.err, after)
		}
		if q.migrateLocked(chatID, o.migrateTo) && q.migr != nil {
			old, to := chatID, o.migrateTo
			*after = append(*after, func() { q.migr(old, to) })
		}
		q.log.Info("telegram: group migrated to a supergroup", "chat", chatID, "new_chat", o.migrateTo)
	case o.err.Kind == kindBlocked:
		// Everything queued for this chat fails the same way.
		if c != nil {
			for _, other := range slices.Clone(c.jobs) {
				q.failJobLocked(other, o.err, after)
			}
		}
		q.failJobLocked(j, o.err, after)
		if q.gone != nil {
			id, reason := chatID, o.err.Description
			*after = append(*after, func() { q.gone(id, reason) })
		}
		q.log.Info("telegram: chat unreachable", "chat", chatID, "reason", o.err.Description)
	case o.err.Kind == kindAmbiguous && j.edit == 0:
		// Maybe delivered: sending it again could post it twice. (An
		// edit is retried below: a repeat is "not modified", a success.)
		q.ambiguous++
		q.log.Warn("telegram: no clear answer; the message may have been delivered, not re-sent", "chat", chatID, "err", o.err.Description, "ambiguous_total", q.ambiguous)
		q.failJobLocked(j, o.err, after)
	case (o.retry || o.err.Kind == kindAmbiguous) && j.tries < q.lim.MaxRetries:
		j.tries++
		q.retries++
		if c != nil {
			c.paused = latest(c.paused, now.Add(q.lim.RetryAfterUnit/2<<j.tries))
		}
		q.log.Warn("telegram: send failed, retrying", "chat", chatID, "err", o.err.Description, "try", j.tries)
	default:
		q.log.Warn("telegram: send failed", "chat", chatID, "err", o.err.Error())
		q.failJobLocked(j, o.err, after)
	}
}

func (q *queue) failJobLocked(j *job, err *sendError, after *[]func()) {
	q.removeLocked(j)
	*after = append(*after, func() { j.finish(err) })
}

// migrateLocked moves oldID's jobs to newID (ahead of newID's own jobs,
// which are younger) and sends later jobs for oldID there. It reports
// whether the migration is new.
func (q *queue) migrateLocked(oldID, newID int64) bool {
	if oldID == newID {
		return false
	}
	fresh := q.migrated[oldID] != newID
	q.migrated[oldID] = newID
	old := q.chats[oldID]
	if old == nil || len(old.jobs) == 0 {
		return fresh
	}
	moved := old.jobs
	old.jobs = nil
	for _, j := range moved {
		j.chatID = newID
	}
	nc := q.chatLocked(newID)
	at := 0
	if len(nc.jobs) > 0 && nc.jobs[0].inflight {
		at = 1
	}
	nc.jobs = slices.Insert(nc.jobs, at, moved...)
	return fresh
}

// resolve returns the chat id's messages go to now (id unless it migrated).
func (q *queue) resolve(id int64) int64 {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.resolveLocked(id)
}

// migrate records a migration seen in an update; it reports whether it is
// new.
func (q *queue) migrate(oldID, newID int64) bool {
	q.mu.Lock()
	ok := q.migrateLocked(oldID, newID)
	q.mu.Unlock()
	q.signal()
	return ok
}

var errCanceled = errors.New("telegram: send canceled")

// withdraw fails with err the posts (prioBulk) not started yet, so a stop
// hands them back to the outbox instead of holding them behind answers.
func (q *queue) withdraw(err error) {
	var out []*job
	q.mu.Lock()
	for _, c := range q.chats {
		c.jobs = slices.DeleteFunc(c.jobs, func(j *job) bool {
			if j.priority == prioBulk && j.next == 0 && !j.inflight {
				out = append(out, j)
				return true
			}
			return false
		})
	}
	q.mu.Unlock()
	for _, j := range out {
		j.finish(err)
	}
}

// finishAsync reports a job dropped inside pickLocked.
func (q *queue) finishAsync(j *job, err error) { go j.finish(err) }

func (j *job) finish(err error) {
	if j.done != nil {
		j.done(j.ids, err)
	}
}
