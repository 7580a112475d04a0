package hubclient

import (
	"fmt"
	"io"
)

const redacted = "[redacted]"

// Secret holds a password, token or JWT. It redacts itself when printed with
// any fmt verb, marshalled to JSON or logged; call Reveal to use the value.
// Never use it as a map key: encoding/json writes string-kind keys as they are.
type Secret string

// String redacts.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return redacted
}

// GoString redacts.
func (s Secret) GoString() string { return s.String() }

// Format redacts for every verb.
func (s Secret) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, s.String()) }

// MarshalJSON redacts; secrets never leave the process through JSON encoding.
// Request bodies that must carry a secret use Reveal explicitly.
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + s.String() + `"`), nil }

// MarshalText redacts.
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads the real value.
func (s *Secret) UnmarshalText(b []byte) error { *s = Secret(b); return nil }

// Reveal returns the secret value itself.
func (s Secret) Reveal() string { return string(s) }
