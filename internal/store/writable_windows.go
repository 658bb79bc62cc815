//go:build windows

package store

import (
	"io/fs"
	"os"
)

// canWrite reports a file with the read-only attribute. Windows ignores
// that attribute on directories, and ACLs show only when SQLite tries.
func canWrite(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	if !fi.IsDir() && fi.Mode().Perm()&0o200 == 0 {
		return &fs.PathError{Op: "open", Path: path, Err: fs.ErrPermission}
	}
	return nil
}
