// Package pgtest gives each test its own Postgres database on the server
// that TEST_DATABASE_URL names (.ci/postgres starts one); without it the
// tests that need Postgres skip, so `go test ./...` needs no setup.
package pgtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver
)

// Env names the server's URL (any database on it; tests create their own).
const Env = "TEST_DATABASE_URL"

// EngineEnv, set to "postgres" in a test process, asks the packages that
// open stores for tests (storetest) for Postgres stores: Rerun sets it.
const EngineEnv = "STORETEST_ENGINE"

// OnPostgres reports whether this test process runs its stores on Postgres.
func OnPostgres() bool { return os.Getenv(EngineEnv) == "postgres" && os.Getenv(Env) != "" }

// Server returns the server's URL, or skips tb when none is set.
func Server(tb testing.TB) string {
	tb.Helper()
	u := os.Getenv(Env)
	if u == "" {
		tb.Skipf("no Postgres: set %s (e.g. export %s=$(.ci/postgres)) to run this test", Env, Env)
	}
	return u
}

// Database creates an empty database for tb, dropped when it ends, and
// returns its URL.
func Database(tb testing.TB) string {
	tb.Helper()
	return create(tb, "")
}

// Clone creates a database for tb as a copy of template (a database made
// by Template), dropped when tb ends, and returns its URL.
func Clone(tb testing.TB, template string) string {
	tb.Helper()
	return create(tb, template)
}

// templates are the databases Template built, by key, once per process.
var templates struct {
	mu sync.Mutex
	m  map[string]*built
}

type built struct {
	once sync.Once
	name string
	err  error
}

// Template returns the name of a database build filled, built once per
// test process and key; Clone copies it. It is dropped when the process's
// tests end only if the caller arranges it (Cleanup in TestMain): a left
// template is small and named for the process.
func Template(tb testing.TB, key string, build func(url string) error) string {
	tb.Helper()
	server := Server(tb)
	templates.mu.Lock()
	if templates.m == nil {
		templates.m = map[string]*built{}
	}
	b := templates.m[key]
	if b == nil {
		b = &built{}
		templates.m[key] = b
	}
	templates.mu.Unlock()
	b.once.Do(func() {
		b.name = fmt.Sprintf("tpl_%d_%s_%s", os.Getpid(), sanitize(key), token())
		if b.err = exec1(server, `CREATE DATABASE "`+b.name+`"`); b.err != nil {
			return
		}
		b.err = build(withDatabase(server, b.name))
	})
	if b.err != nil {
		tb.Fatalf("pgtest: template %s: %v", key, b.err)
	}
	return b.name
}

// DropTemplates drops the templates this process built (call it from
// TestMain after m.Run).
func DropTemplates() {
	server := os.Getenv(Env)
	templates.mu.Lock()
	defer templates.mu.Unlock()
	for _, b := range templates.m {
		if b.name != "" && server != "" {
			exec1(server, `DROP DATABASE IF EXISTS "`+b.name+`" WITH (FORCE)`)
		}
	}
}

func create(tb testing.TB, template string) string {
	tb.Helper()
	server := Server(tb)
	name := "t_" + token()
	q := `CREATE DATABASE "` + name + `"`
	if template != "" {
		q += ` TEMPLATE "` + template + `"`
	}
	if err := exec1(server, q); err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	tb.Cleanup(func() {
		if err := exec1(server, `DROP DATABASE IF EXISTS "`+name+`" WITH (FORCE)`); err != nil {
			tb.Errorf("pgtest: %v", err)
		}
	})
	return withDatabase(server, name)
}

// exec1 runs one statement on the server's own database.
func exec1(server, query string) error {
	db, err := sql.Open("pgx", server)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.ExecContext(context.Background(), query); err != nil {
		return fmt.Errorf("%s: %w", query, err)
	}
	return nil
}

// withDatabase is server's URL naming database name instead.
func withDatabase(server, name string) string {
	u, err := url.Parse(server)
	if err != nil {
		return server
	}
	u.Path = "/" + name
	return u.String()
}

func token() string {
	b := make([]byte, 6)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func sanitize(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		return '_'
	}, strings.ToLower(s))
}

// Rerun runs this test binary's tests a second time with stores on
// Postgres (EngineEnv), when a server is set and this is not already that
// run; call it from TestMain after m.Run, and fail when it reports false.
// The same tests, unchanged, then cover both engines.
func Rerun(m interface{ Run() int }) int {
	code := m.Run()
	if code != 0 || os.Getenv(Env) == "" || os.Getenv(EngineEnv) != "" {
		DropTemplates()
		return code
	}
	DropTemplates()
	args := []string{}
	for _, a := range os.Args[1:] {
		// The first run wrote the profiles; the second would overwrite them.
		if strings.HasPrefix(a, "-test.coverprofile") || strings.HasPrefix(a, "-test.cpuprofile") ||
			strings.HasPrefix(a, "-test.memprofile") {
			continue
		}
		args = append(args, a)
	}
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), EngineEnv+"=postgres")
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	fmt.Println("--- the same tests on Postgres:")
	if err := cmd.Run(); err != nil {
		fmt.Println("FAIL on Postgres:", err)
		return 1
	}
	return 0
}
