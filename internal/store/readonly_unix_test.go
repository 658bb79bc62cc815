//go:build unix

package store_test

import (
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/eebot/eebot/internal/store"
	"github.com/eebot/eebot/internal/store/storetest"
)

// childPath names the database TestOpenAsChild opens, when it runs as the
// child of TestOpenReadOnly.
const childPath = "EEBOT_STORE_TEST_OPEN"

// A database the bot cannot write is refused with one line saying
// "read-only", instead of SQLite's "unable to open database file" at some
// later statement, and it is left as it was.
func TestOpenReadOnly(t *testing.T) {
	t.Parallel()
	open := openUnprivileged(t)
	for _, tc := range []struct {
		name                        string
		dirMode, fileMode, lockMode os.FileMode
		says                        string
	}{
		{"directory", 0o555, 0o666, 0o666, "cannot write in"},
		{"file", 0o777, 0o444, 0o666, "bot.db (permission denied)"},
		{"lock file", 0o777, 0o666, 0o444, "bot.db.lock (permission denied)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(worldDir(t), "data")
			if err := os.Mkdir(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(dir, "bot.db")
			storetest.SeedFile(t, path)
			before := hashFile(t, path)
			if err := os.WriteFile(path+".lock", nil, tc.lockMode); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(path, tc.fileMode); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(dir, tc.dirMode); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { os.Chmod(dir, 0o755) }) // so it can be removed
			msg := open(t, path)
			t.Log(msg)
			if !strings.HasPrefix(msg, store.ErrReadOnly.Error()+": ") {
				t.Errorf("open = %q, want a %q error", msg, store.ErrReadOnly)
			}
			if strings.ContainsAny(msg, "\r\n") || !strings.Contains(msg, tc.says) {
				t.Errorf("open = %q, want one line saying %q", msg, tc.says)
			}
			if hashFile(t, path) != before {
				t.Error("the file changed")
			}
			if m, _ := filepath.Glob(path + "-*"); len(m) > 0 {
				t.Errorf("files were created next to it: %v", m)
			}
		})
	}
}

// worldDir is a new directory every user can enter (the child is nobody).
func worldDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "eebot-store-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// openUnprivileged returns a function that opens path as a user file
// permissions apply to and returns the error's text ("" if it opened).
// Root writes read-only files, so as root the open runs in a copy of the
// test binary started as nobody (uid 65534).
func openUnprivileged(t *testing.T) func(t *testing.T, path string) string {
	if os.Geteuid() != 0 {
		return func(t *testing.T, path string) string {
			db, err := store.Open(context.Background(), path, nil)
			if err != nil {
				return err.Error()
			}
			db.Close()
			return ""
		}
	}
	bin := filepath.Join(worldDir(t), "store.test")
	src, err := os.Open(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst, err := os.OpenFile(bin, os.O_CREATE|os.O_WRONLY, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		t.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
	return func(t *testing.T, path string) string {
		cmd := exec.Command(bin, "-test.run=^TestOpenAsChild$")
		cmd.Env = append(os.Environ(), childPath+"="+path)
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
		out, err := cmd.Output()
		if err != nil {
			t.Skipf("cannot open as an unprivileged user: %v %s", err, out)
		}
		msg, _, ok := strings.Cut(string(out), "\nopen-done\n")
		if !ok {
			t.Fatalf("child output: %s", out)
		}
		return msg
	}
}

// TestOpenAsChild opens the database TestOpenReadOnly names and prints the
// error; it does nothing in a normal run.
func TestOpenAsChild(t *testing.T) {
	path := os.Getenv(childPath)
	if path == "" {
		t.Skip("run by TestOpenReadOnly")
	}
	db, err := store.Open(context.Background(), path, nil)
	if err == nil {
		db.Close()
		os.Stdout.WriteString("\nopen-done\n")
		return
	}
	os.Stdout.WriteString(err.Error() + "\nopen-done\n")
}
