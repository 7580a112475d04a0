// Package assets holds the files embedded into the hubtui binary: the
// commented configuration template and other built-in defaults.
package assets

import (
	"bytes"
	_ "embed"
)

//go:embed config.example.yaml
var configTemplate []byte

// ConfigTemplate returns the commented default configuration file that
// `hubtui config init` writes. Every key is shown with its default value.
// The returned slice is a fresh copy that the caller may modify.
func ConfigTemplate() []byte {
	return bytes.Clone(configTemplate)
}
