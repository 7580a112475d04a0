package hubclient

import (
	"fmt"
	"strings"
)

// Docker's naming rules for the names that go into a request path. Every
// method checks its path arguments against them before anything is sent,
// so a name such as "../.." or "a/b" never reaches the Hub (or a proxy that
// would normalise it into another path).

// Length limits of path names.
const (
	maxNamespaceLength = 255
	maxRepoNameLength  = 255
	maxTeamNameLength  = 255
	maxPathIDLength    = 512
)

// ValidNamespace reports whether s can be a Docker Hub namespace (a Docker
// ID or an organization name): 2 to 255 lowercase letters, digits, '_' or
// '-', starting with a letter or a digit. New Docker IDs are 4 to 30
// lowercase letters and digits; older accounts and organizations can be
// shorter or carry '_' or '-'.
func ValidNamespace(s string) bool {
	if len(s) < 2 || len(s) > maxNamespaceLength || !isLowerAlnum(s[0]) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !isLowerAlnum(c) && c != '_' && c != '-' {
			return false
		}
	}
	return true
}

// ValidTagName reports whether s is a valid tag:
// ^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$.
func ValidTagName(s string) bool {
	if len(s) < 1 || len(s) > 128 || s[0] == '.' || s[0] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isAlnum(c) && c != '_' && c != '.' && c != '-' {
			return false
		}
	}
	return true
}

// validRepoRef reports whether s is a repository name as the registry
// accepts it: the document's rule for new names
// (^[a-z0-9]+(?:[._-][a-z0-9]+)*$) and also the "__" and "--"
// separators older repositories may carry, so
// ^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$, at most 255 characters.
func validRepoRef(s string) bool {
	if len(s) < 1 || len(s) > maxRepoNameLength {
		return false
	}
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && isLowerAlnum(s[j]) {
			j++
		}
		if j == i { // a separator must sit between letters or digits
			return false
		}
		if j == len(s) {
			return true
		}
		k := j
		switch s[k] {
		case '.':
			k++
		case '_':
			k++
			if k < len(s) && s[k] == '_' {
				k++
			}
		case '-':
			for k < len(s) && s[k] == '-' {
				k++
			}
		default:
			return false
		}
		if k == len(s) {
			return false
		}
		i = k
	}
	return false
}

// validTeamRef reports whether s is a team name: letters, digits, '.', '_'
// and '-', starting with a letter or a digit, at most 255 characters.
func validTeamRef(s string) bool {
	if len(s) < 1 || len(s) > maxTeamNameLength || !isAlnum(s[0]) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isAlnum(c) && c != '.' && c != '_' && c != '-' {
			return false
		}
	}
	return true
}

// validDigest reports whether d is an OCI digest, algorithm:encoded: the
// algorithm lowercase letters and digits with single '+', '.', '_' or '-'
// between them, the encoded part letters, digits, '=', '_' and '-'.
func validDigest(d string) bool {
	alg, enc, ok := strings.Cut(d, ":")
	if !ok || alg == "" || enc == "" {
		return false
	}
	sep := true
	for i := 0; i < len(alg); i++ {
		switch c := alg[i]; {
		case isLowerAlnum(c):
			sep = false
		case strings.IndexByte("+._-", c) >= 0 && !sep:
			sep = true
		default:
			return false
		}
	}
	if sep {
		return false
	}
	for i := 0; i < len(enc); i++ {
		if c := enc[i]; !isAlnum(c) && c != '=' && c != '_' && c != '-' {
			return false
		}
	}
	return true
}

func isLowerAlnum(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' }

func isAlnum(c byte) bool { return isLowerAlnum(c) || c >= 'A' && c <= 'Z' }

// checkNamespace refuses a namespace (organization, user or account) that
// breaks ValidNamespace.
func checkNamespace(field, s string) error {
	switch {
	case strings.TrimSpace(s) == "":
		return &ValidationError{field, "is required"}
	case !ValidNamespace(s):
		return &ValidationError{field, fmt.Sprintf("%s is not a Docker ID or organization name (2 to %d lowercase letters, digits, '_' or '-', starting with a letter or digit)", quoteName(s), maxNamespaceLength)}
	}
	return nil
}

// checkUsername refuses a username (a Docker ID) that breaks ValidNamespace.
func checkUsername(field, s string) error {
	switch {
	case strings.TrimSpace(s) == "":
		return &ValidationError{field, "is required"}
	case !ValidNamespace(s):
		return &ValidationError{field, fmt.Sprintf("%s is not a Docker ID (lowercase letters, digits, '_' or '-')", quoteName(s))}
	}
	return nil
}

// checkRepoName refuses a repository name that breaks validRepoRef.
func checkRepoName(field, s string) error {
	switch {
	case s == "":
		return &ValidationError{field, "is required"}
	case !validRepoRef(s):
		return &ValidationError{field, fmt.Sprintf("%s is not a repository name (up to %d lowercase letters and digits, with '.', '_' or '-' between them)", quoteName(s), maxRepoNameLength)}
	}
	return nil
}

// checkTagName refuses a tag that breaks ValidTagName.
func checkTagName(field, s string) error {
	switch {
	case s == "":
		return &ValidationError{field, "is required"}
	case !ValidTagName(s):
		return &ValidationError{field, fmt.Sprintf("%s is not a tag (up to 128 letters, digits, '_', '.' or '-', not starting with '.' or '-')", quoteName(s))}
	}
	return nil
}

// checkTeamRef refuses a team name that breaks validTeamRef.
func checkTeamRef(field, s string) error {
	switch {
	case strings.TrimSpace(s) == "":
		return &ValidationError{field, "is required"}
	case !validTeamRef(s):
		return &ValidationError{field, fmt.Sprintf("%s is not a team name (letters, digits, '.', '_' or '-', starting with a letter or digit)", quoteName(s))}
	}
	return nil
}

// checkPathID refuses an opaque path argument (an id, a uuid, a SCIM
// schema URN) that is empty or could change the path: a '/', '\', '%',
// '?', '#', a space or a control character, or "." and "..".
func checkPathID(field, s string) error {
	switch {
	case strings.TrimSpace(s) == "":
		return &ValidationError{field, "must not be empty"}
	case len(s) > maxPathIDLength || s == "." || s == ".." || !safeSegment(s):
		return &ValidationError{field, fmt.Sprintf("%s is not an id (no '/', '\\', '%%', '?', '#', spaces or control characters)", quoteName(s))}
	}
	return nil
}

// checkDigest wants algorithm:encoded, such as sha256:….
func checkDigest(field, d string) error {
	if !validDigest(d) {
		return &ValidationError{field, fmt.Sprintf("%s is not a digest such as sha256:…", quoteName(d))}
	}
	return nil
}

// safeSegment reports whether s has none of the characters that could turn
// one path segment into several or into a query.
func safeSegment(s string) bool {
	for _, r := range s {
		if r <= ' ' || r == 0x7f || strings.ContainsRune(`/\%?#`, r) {
			return false
		}
	}
	return true
}

// quoteName quotes a refused name for an error, cut to 80 bytes.
func quoteName(s string) string { return fmt.Sprintf("%q", clip(s, 80)) }
