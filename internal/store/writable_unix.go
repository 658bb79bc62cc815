//go:build unix

package store

import (
	"os"

	"golang.org/x/sys/unix"
)

// canWrite asks the kernel whether this process may write path, without
// opening it (closing a descriptor of the database would drop SQLite's
// fcntl locks on it).
func canWrite(path string) error {
	if err := unix.Access(path, unix.W_OK); err != nil {
		return &os.PathError{Op: "access", Path: path, Err: err}
	}
	return nil
}
