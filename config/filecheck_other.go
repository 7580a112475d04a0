//go:build !unix

package config

import (
	"io/fs"
	"os"
)

// openFlags opens the file for reading.
const openFlags = os.O_RDONLY

// looseFile reports nothing where file modes do not describe who may
// change a file.
func looseFile(string, fs.FileInfo) string { return "" }

// looseDir reports nothing where file modes do not describe who may change
// a directory.
func looseDir(string, fs.FileInfo) string { return "" }
