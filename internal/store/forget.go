package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/eebot/eebot/internal/domain"
)

// Forget deletes everything the store holds about a person on a platform:
// their alerts with every outbox row of them, the settings of their
// private chat (chat, when the request came from it, and their alerts'
// destinations), their saved crs profile and answers in progress, and the
// received messages kept for a restart that came from them. Rows that
// only name them as the one who did something for others (a channel's
// subscription they set up, a moderator's press) lose the name and stay.
// It is one transaction: all of it or nothing.
func (db *DB) Forget(ctx context.Context, platform domain.Platform, user, chat string) (domain.Forgotten, error) {
	var f domain.Forgotten
	if user == "" {
		return f, nil
	}
	err := db.tx(ctx, func(tx *sql.Tx) error {
		f = domain.Forgotten{}
		// Their alerts, and whatever subscribes their private chat.
		mine := `SELECT id FROM subscriptions WHERE platform = $1 AND (owner = $2 OR ($3 != '' AND destination = $3))`
		dests := map[string]bool{}
		if chat != "" {
			dests[chat] = true
		}
		rows, err := tx.QueryContext(ctx, `SELECT destination FROM subscriptions WHERE platform = $1 AND owner = $2`, platform, user)
		if err != nil {
			return err
		}
		for rows.Next() {
			var d string
			if err := rows.Scan(&d); err != nil {
				rows.Close()
				return err
			}
			dests[d] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		var n int
		if f.Deliveries, f.Alerts, err = dropSubscriptions(ctx, tx, mine, platform, user, chat); err != nil {
			return err
		}
		for d := range dests {
			n, err := exec(ctx, tx, `DELETE FROM chat_settings WHERE platform = $1 AND destination = $2`, platform, d)
			if err != nil {
				return err
			}
			f.Settings += n
		}
		if n, err = exec(ctx, tx, `DELETE FROM crs_profiles WHERE platform = $1 AND user_id = $2`, platform, user); err != nil {
			return err
		}
		f.CRSProfile = n > 0
		if n, err = exec(ctx, tx, `DELETE FROM crs_sessions WHERE platform = $1 AND user_id = $2`, platform, user); err != nil {
			return err
		}
		f.CRSSession = n > 0
		for _, q := range []string{
			`UPDATE subscriptions SET created_by = '' WHERE platform = $1 AND created_by = $2`,
			`UPDATE announcements SET user_id = '' WHERE platform = $1 AND user_id = $2`,
		} {
			n, err := exec(ctx, tx, q, platform, user)
			if err != nil {
				return err
			}
			f.Mentions += n
		}
		f.Inbox, err = forgetInbound(ctx, tx, platform, user)
		return err
	})
	if err != nil {
		return domain.Forgotten{}, fmt.Errorf("store: forget: %w", err)
	}
	return f, nil
}

func exec(ctx context.Context, tx *sql.Tx, q string, args ...any) (int, error) {
	res, err := tx.ExecContext(ctx, q, args...)
	if err != nil {
		return 0, err
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// forgetInbound deletes the kept updates of a platform's sources
// ("telegram:<bot id>") that name the person: an object in the update with
// their ID as its "id" (the sender, the chat). The inbox holds minutes of
// updates, so reading it whole is cheap, and matching the JSON here keeps
// the SQL free of any one database's JSON functions. The update that asked
// to forget is among them: answered or not, it goes, and were the platform
// to deliver it again it would only forget again.
func forgetInbound(ctx context.Context, tx *sql.Tx, platform domain.Platform, user string) (int, error) {
	rows, err := tx.QueryContext(ctx, `SELECT source, id, body FROM inbox WHERE source LIKE $1`, string(platform)+":%")
	if err != nil {
		return 0, err
	}
	type key struct {
		source string
		id     int64
	}
	var drop []key
	for rows.Next() {
		var k key
		var body []byte
		if err := rows.Scan(&k.source, &k.id, &body); err != nil {
			rows.Close()
			return 0, err
		}
		if names(body, user) {
			drop = append(drop, k)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for _, k := range drop {
		if _, err := tx.ExecContext(ctx, `DELETE FROM inbox WHERE source = $1 AND id = $2`, k.source, k.id); err != nil {
			return 0, err
		}
	}
	return len(drop), nil
}

// names reports whether a JSON document holds an object whose "id" is
// user, as a number or a string.
func names(body []byte, user string) bool {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		// Not JSON: a plain search is the safe side.
		return bytes.Contains(body, []byte(user))
	}
	return walkNames(v, user)
}

func walkNames(v any, user string) bool {
	switch x := v.(type) {
	case map[string]any:
		switch id := x["id"].(type) {
		case json.Number:
			if strings.TrimSpace(id.String()) == user {
				return true
			}
		case string:
			if id == user {
				return true
			}
		}
		for _, y := range x {
			if walkNames(y, user) {
				return true
			}
		}
	case []any:
		for _, y := range x {
			if walkNames(y, user) {
				return true
			}
		}
	}
	return false
}
