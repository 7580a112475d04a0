//go:build unix

package config

import (
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

// openFlags opens the file without waiting for a writer, should it turn out
// to be a named pipe after all.
const openFlags = os.O_RDONLY | syscall.O_NONBLOCK

// otherOwner returns the owner of st when it is neither the current user
// nor root (root can change every file anyway), and ok false otherwise.
func otherOwner(st fs.FileInfo) (uid uint32, ok bool) {
	sys, isStat := st.Sys().(*syscall.Stat_t)
	if !isStat {
		return 0, false
	}
	if sys.Uid == 0 || int(sys.Uid) == os.Getuid() {
		return 0, false
	}
	return sys.Uid, true
}

// looseFile says what is unsafe about the config file itself, or "".
func looseFile(path string, st fs.FileInfo) string {
	if uid, ok := otherOwner(st); ok {
		return fmt.Sprintf("%s belongs to another user (uid %d), who can change what hubtui does; make it your own file", path, uid)
	}
	if perm := st.Mode().Perm(); perm&0o022 != 0 {
		return fmt.Sprintf("%s can be changed by other users (mode %04o); run: chmod go-w %s", path, perm, path)
	}
	return ""
}

// looseDir says what is unsafe about a directory holding the config file,
// or "". A sticky directory (such as /tmp) stops others replacing a file
// they do not own, so its mode alone is no warning.
func looseDir(dir string, st fs.FileInfo) string {
	if uid, ok := otherOwner(st); ok {
		return fmt.Sprintf("the directory %s, which holds the config file, belongs to another user (uid %d), who can replace the file", dir, uid)
	}
	if perm := st.Mode().Perm(); perm&0o022 != 0 && st.Mode()&fs.ModeSticky == 0 {
		return fmt.Sprintf("the directory %s, which holds the config file, can be changed by other users (mode %04o), who can replace the file; run: chmod go-w %s", dir, perm, dir)
	}
	return ""
}
