package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"gopkg.in/yaml.v3"
)

// YAML keys of the file, in the order the template shows them.
const (
	keyCurrentContext    = "current_context"
	keyContexts          = "contexts"
	keyTheme             = "theme"
	keyPageSize          = "page_size"
	keyAuditPollInterval = "audit_poll_interval"
	keyKeys              = "keys"

	keyName     = "name"
	keyHubURL   = "hub_url"
	keyUsername = "username"
	keyOrg      = "org"
	keyReadOnly = "readonly"
	keySecret   = "secret"
	keyUseEnv   = "use_env_credentials"
)

func topLevelKeys() []string {
	return []string{keyCurrentContext, keyContexts, keyTheme, keyPageSize, keyAuditPollInterval, keyAudit, keyKeys}
}

func contextKeys() []string {
	return []string{keyName, keyHubURL, keyUsername, keyOrg, keyReadOnly, keySecret, keyUseEnv}
}

// maxAliasDepth bounds alias chains. An alias names a node that is not
// itself an alias, so one step is the norm; the bound is a backstop.
// Anchors may hold aliases to themselves, but the schema is only a few levels
// deep, so walking it always ends.
const maxAliasDepth = 32

// decoder walks a yaml.Node tree so every problem can name its line.
type decoder struct {
	file string
}

func (d *decoder) errAt(n *yaml.Node, format string, args ...any) *Error {
	line := 0
	if n != nil && n.Line > 0 {
		line = n.Line
	}
	return &Error{File: d.file, Line: line, Msg: fmt.Sprintf(format, args...)}
}

// decode parses data and fills a Config from it, starting from Default().
func (d *decoder) decode(data []byte) (*Config, error) {
	cfg := Default()
	root, err := d.parse(data)
	if err != nil {
		return nil, err
	}
	if root != nil {
		if err := d.config(root, cfg); err != nil {
			return nil, err
		}
	}
	return cfg, nil
}

// parse reads the single YAML document in data. It returns nil for a file
// with no document (empty, or only comments).
func (d *decoder) parse(data []byte) (*yaml.Node, error) {
	doc, next, err := parseYAML(data)
	if err != nil {
		return nil, d.yamlError(data, err)
	}
	if next != nil {
		return nil, d.errAt(next, "a second YAML document starts here; the config file must hold exactly one")
	}
	if doc == nil || doc.Kind == yaml.DocumentNode && len(doc.Content) == 0 {
		return nil, nil
	}
	if doc.Kind == yaml.DocumentNode {
		return doc.Content[0], nil
	}
	return doc, nil
}

// parserPanic is a panic inside the YAML parser, turned into an error.
type parserPanic struct{ v any }

func (p parserPanic) Error() string {
	return fmt.Sprintf("the YAML parser failed on this file: %v", p.v)
}

// parseYAML reads the first YAML document of data and the start of a
// second one, if any. doc is nil when data holds no document.
func parseYAML(data []byte) (doc, next *yaml.Node, err error) {
	defer func() {
		// yaml.v3 turns its own failures into errors; anything else is a
		// parser bug, and a bad config file must not crash the program.
		if r := recover(); r != nil {
			doc, next, err = nil, nil, parserPanic{r}
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var first yaml.Node
	if err := dec.Decode(&first); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil, nil
		}
		return nil, nil, err
	}
	var second yaml.Node
	switch err := dec.Decode(&second); {
	case errors.Is(err, io.EOF):
		return &first, nil, nil
	case err != nil:
		return nil, nil, err
	}
	return &first, &second, nil
}

// maxLineSearchBytes bounds the files whose syntax errors are located by
// syntaxErrorLine; larger files get the line yaml.v3 reports.
const maxLineSearchBytes = 256 << 10

// yamlError turns a yaml.v3 error ("yaml: line N: msg") into an *Error.
func (d *decoder) yamlError(data []byte, err error) *Error {
	var pp parserPanic
	if errors.As(err, &pp) {
		return &Error{File: d.file, Msg: pp.Error()}
	}
	msg, line := splitYAMLError(err)
	if l := syntaxErrorLine(data, msg, line); l > 0 {
		line = l
	}
	return &Error{File: d.file, Line: line, Msg: "this is not valid YAML: " + msg + syntaxHint(msg)}
}

// splitYAMLError splits "yaml: line N: msg" into msg and N (0 when absent).
func splitYAMLError(err error) (string, int) {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if num, text, ok := strings.Cut(rest, ": "); ok {
			if n, err := strconv.Atoi(num); err == nil && n >= 0 {
				return text, n
			}
		}
	}
	return msg, 0
}

// syntaxErrorLine returns the line a syntax error is on, or 0 when unknown.
//
// yaml.v3 reports, for many errors, the line where the enclosing block
// starts (counted from 0), and no line at all for bad characters. The
// problem is on the first line after which the file, cut short there,
// fails with the same message. That line lies at or after the reported
// one, and is found by a galloping then binary search over cut points so
// a long file costs a few dozen parses at most.
func syntaxErrorLine(data []byte, msg string, reported int) int {
	if len(data) > maxLineSearchBytes {
		return 0
	}
	ends := lineEnds(data)
	n := len(ends)
	if n == 0 {
		return 0
	}
	fails := func(k int) bool { // k lines, 1 <= k <= n
		_, _, err := parseYAML(data[:ends[k-1]])
		if err == nil {
			return false
		}
		m, _ := splitYAMLError(err)
		return m == msg
	}
	// lo is taken to pass (the problem lies after it), hi to fail.
	lo := min(max(reported-1, 0), n-1)
	hi := n
	for step := 1; lo+step < n; step *= 2 {
		if fails(lo + step) {
			hi = lo + step
			break
		}
		lo += step
	}
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		if fails(mid) {
			hi = mid
		} else {
			lo = mid
		}
	}
	return hi
}

// lineEnds returns the offset just past each line of data, counting line
// breaks as YAML does: LF, CR, CR LF, NEL, LS and PS. The last line need
// not end in a break.
func lineEnds(data []byte) []int {
	var ends []int
	for i := 0; i < len(data); {
		switch {
		case data[i] == '\r' && i+1 < len(data) && data[i+1] == '\n':
			i += 2
		case data[i] == '\n' || data[i] == '\r':
			i++
		case bytes.HasPrefix(data[i:], []byte("\u0085")):
			i += 2
		case bytes.HasPrefix(data[i:], []byte("\u2028")), bytes.HasPrefix(data[i:], []byte("\u2029")):
			i += 3
		default:
			i++
			continue
		}
		ends = append(ends, i)
	}
	if len(ends) == 0 || ends[len(ends)-1] < len(data) {
		ends = append(ends, len(data))
	}
	return ends
}

// resolve follows aliases to the node they name.
func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && n.Alias != nil && i < maxAliasDepth; i++ {
		n = n.Alias
	}
	return n
}

// isNull reports whether n is an empty value (`key:`, `~` or `null`).
func isNull(n *yaml.Node) bool {
	return n == nil || n.Kind == 0 || n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

// describe names a node's kind and value in plain words for messages.
func describe(n *yaml.Node) string {
	n = resolve(n)
	switch {
	case isNull(n):
		return "an empty value"
	case n.Kind == yaml.MappingNode:
		return "a mapping"
	case n.Kind == yaml.SequenceNode:
		return "a list"
	case n.Kind == yaml.AliasNode:
		return "an alias"
	}
	v := n.Value
	if len(v) > 40 {
		v = v[:40] + "…"
	}
	switch n.ShortTag() {
	case "!!bool":
		return strconv.Quote(v)
	case "!!int", "!!float":
		return "the number " + v
	}
	return strconv.Quote(v)
}

// mapping calls set for each key of the mapping n, in order. It rejects
// keys that are not plain names, merge keys, repeated keys and, when known
// is not nil, keys not in known. where names the mapping in messages.
func (d *decoder) mapping(n *yaml.Node, where string, known []string, set func(name string, k, v *yaml.Node) error) error {
	n = resolve(n)
	if isNull(n) {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		return d.errAt(n, "%s must be a mapping of key: value lines, not %s", where, describe(n))
	}
	seen := make(map[string]int, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if rk := resolve(k); rk.Kind != yaml.ScalarNode {
			return d.errAt(k, "a key in %s is %s; keys must be plain names", where, describe(k))
		}
		if k.ShortTag() == "!!merge" {
			return d.errAt(k, "merge keys (<<) are not supported in %s; write the keys out", where)
		}
		name := resolve(k).Value
		if first, dup := seen[name]; dup {
			return d.errAt(k, "key %q appears twice in %s (first on line %d)", name, where, first)
		}
		seen[name] = k.Line
		if known != nil && !slices.Contains(known, name) {
			return d.errAt(k, "unknown key %q in %s%s", name, where, suggest(name, known))
		}
		if err := set(name, k, v); err != nil {
			return err
		}
	}
	return nil
}

// suggest returns a hint naming the known key closest to name.
func suggest(name string, known []string) string {
	best, bestDist := "", 3
	for _, k := range known {
		if dist := editDistance(strings.ToLower(name), k); dist < bestDist {
			best, bestDist = k, dist
		}
	}
	if best != "" {
		return fmt.Sprintf("; did you mean %q?", best)
	}
	return "; known keys are " + strings.Join(known, ", ")
}

// editDistance is the Levenshtein distance between a and b, in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > 64 || len(rb) > 64 {
		return 64
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// text reads a scalar as text. Numbers and dates are taken as written;
// booleans, lists and mappings are errors. An empty value gives "".
func (d *decoder) text(n *yaml.Node, field string) (string, error) {
	n = resolve(n)
	if isNull(n) {
		return "", nil
	}
	if n.Kind == yaml.ScalarNode {
		switch n.ShortTag() {
		case "!!str", "!!int", "!!float", "!!timestamp":
			return n.Value, nil
		}
	}
	return "", d.errAt(n, "%s must be text, not %s", field, describe(n))
}

// name reads text that must hold no spaces or control characters.
func (d *decoder) name(n *yaml.Node, field string) (string, error) {
	s, err := d.text(n, field)
	if err != nil {
		return "", err
	}
	if i := strings.IndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) || !unicode.IsPrint(r) }); i >= 0 {
		return "", d.errAt(resolve(n), "%s %q must not contain spaces or control characters", field, s)
	}
	return s, nil
}

func (d *decoder) boolean(n *yaml.Node, field string) (bool, error) {
	n = resolve(n)
	if isNull(n) {
		return false, nil
	}
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!bool" {
		var b bool
		if err := n.Decode(&b); err == nil {
			return b, nil
		}
	}
	return false, d.errAt(n, "%s must be true or false, not %s", field, describe(n))
}

func (d *decoder) config(root *yaml.Node, cfg *Config) error {
	currentLine := 0
	err := d.mapping(root, "the top level", topLevelKeys(), func(key string, k, v *yaml.Node) error {
		var err error
		switch key {
		case keyCurrentContext:
			currentLine = resolve(v).Line
			cfg.CurrentContext, err = d.name(v, key)
		case keyContexts:
			cfg.Contexts, err = d.contexts(v)
		case keyTheme:
			err = d.theme(v, cfg)
		case keyPageSize:
			err = d.pageSize(v, cfg)
		case keyAuditPollInterval:
			err = d.pollInterval(v, cfg)
		case keyAudit:
			err = d.audit(v, &cfg.Audit)
		case keyKeys:
			cfg.Keys, cfg.KeyLines, err = d.keys(v)
		}
		return err
	})
	if err != nil {
		return err
	}
	if cfg.CurrentContext == "" {
		if len(cfg.Contexts) > 0 {
			cfg.CurrentContext = cfg.Contexts[0].Name
		}
		return nil
	}
	for _, c := range cfg.Contexts {
		if c.Name == cfg.CurrentContext {
			return nil
		}
	}
	if len(cfg.Contexts) == 0 {
		return &Error{File: d.file, Line: currentLine, Msg: fmt.Sprintf("current_context is %q but no contexts are defined", cfg.CurrentContext)}
	}
	names := make([]string, len(cfg.Contexts))
	for i, c := range cfg.Contexts {
		names[i] = c.Name
	}
	return &Error{File: d.file, Line: currentLine, Msg: fmt.Sprintf("current_context %q is not one of the contexts defined (%s)", cfg.CurrentContext, strings.Join(names, ", "))}
}

func (d *decoder) theme(v *yaml.Node, cfg *Config) error {
	s, err := d.text(v, keyTheme)
	if err != nil {
		return err
	}
	switch s {
	case "":
		// keep the default
	case ThemeAuto, ThemeDark, ThemeLight, ThemeMono:
		cfg.Theme = s
	default:
		return d.errAt(resolve(v), "theme must be auto, dark, light or mono, not %q", s)
	}
	return nil
}

func (d *decoder) pageSize(v *yaml.Node, cfg *Config) error {
	v = resolve(v)
	if isNull(v) {
		return nil
	}
	bad := func() error {
		return d.errAt(v, "page_size must be a whole number from 1 to %d, not %s", MaxPageSize, describe(v))
	}
	if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!int" {
		return bad()
	}
	var n int64
	if err := v.Decode(&n); err != nil || n < 1 || n > MaxPageSize {
		return bad()
	}
	cfg.PageSize = int(n)
	return nil
}

func (d *decoder) pollInterval(v *yaml.Node, cfg *Config) error {
	v = resolve(v)
	if isNull(v) {
		return nil
	}
	if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!str" {
		return d.errAt(v, "audit_poll_interval must be a duration with a unit, such as 5s or 1m, not %s", describe(v))
	}
	dur, err := time.ParseDuration(v.Value)
	if err != nil {
		return d.errAt(v, "audit_poll_interval must be a duration with a unit, such as 5s or 1m, not %s", describe(v))
	}
	if dur < MinAuditPollInterval {
		return d.errAt(v, "audit_poll_interval must be at least %s, not %s", MinAuditPollInterval, dur)
	}
	cfg.AuditPollInterval = dur
	return nil
}

func (d *decoder) contexts(v *yaml.Node) ([]Context, error) {
	v = resolve(v)
	if isNull(v) {
		return nil, nil
	}
	if v.Kind != yaml.SequenceNode {
		return nil, d.errAt(v, "contexts must be a list of contexts, each starting with \"- name:\", not %s", describe(v))
	}
	out := make([]Context, 0, len(v.Content))
	firstLine := make(map[string]int, len(v.Content))
	for i, item := range v.Content {
		c, nameNode, err := d.context(item, i)
		if err != nil {
			return nil, err
		}
		if first, dup := firstLine[c.Name]; dup {
			return nil, d.errAt(nameNode, "context name %q is used twice (first on line %d); names must be unique", c.Name, first)
		}
		firstLine[c.Name] = nameNode.Line
		out = append(out, c)
	}
	return out, nil
}

// context decodes entry i of contexts. It returns the node holding the
// name so duplicate names can be reported there.
func (d *decoder) context(item *yaml.Node, i int) (Context, *yaml.Node, error) {
	item = resolve(item)
	where := fmt.Sprintf("context %d", i+1)
	if item.Kind != yaml.MappingNode {
		return Context{}, nil, d.errAt(item, "%s must be a mapping with name, hub_url, username, org, readonly, secret and use_env_credentials, not %s", where, describe(item))
	}
	var nameNode *yaml.Node
	for j := 0; j+1 < len(item.Content); j += 2 {
		if k := resolve(item.Content[j]); k.Kind == yaml.ScalarNode && k.Value == keyName {
			nameNode = resolve(item.Content[j+1])
			if nameNode.Kind == yaml.ScalarNode && nameNode.Value != "" {
				where = fmt.Sprintf("context %q", nameNode.Value)
			}
			break
		}
	}
	c := Context{HubURL: DefaultHubURL, Secret: SecretAuto}
	err := d.mapping(item, where, contextKeys(), func(key string, k, v *yaml.Node) error {
		var err error
		switch key {
		case keyName:
			c.Name, err = d.name(v, where+" name")
		case keyHubURL:
			err = d.hubURL(v, &c)
		case keyUsername:
			c.Username, err = d.name(v, keyUsername)
		case keyOrg:
			c.Org, err = d.name(v, keyOrg)
		case keyReadOnly:
			c.ReadOnly, err = d.boolean(v, keyReadOnly)
		case keySecret:
			err = d.secret(v, &c)
		case keyUseEnv:
			c.UseEnvCredentials, err = d.boolean(v, keyUseEnv)
		}
		return err
	})
	if err != nil {
		return Context{}, nil, err
	}
	if c.Name == "" {
		at := item
		if nameNode != nil {
			at = nameNode
		}
		return Context{}, nil, d.errAt(at, "%s has no name; add \"name: SOMETHING\"", where)
	}
	return c, nameNode, nil
}

func (d *decoder) hubURL(v *yaml.Node, c *Context) error {
	s, err := d.text(v, keyHubURL)
	if err != nil {
		return err
	}
	if s == "" {
		return nil
	}
	norm, msg := checkHubURL(s)
	if msg != "" {
		return d.errAt(resolve(v), "%s", msg)
	}
	c.HubURL = norm
	return nil
}

// checkHubURL validates a hub_url and returns it without a trailing slash,
// or a message saying what is wrong. Messages never repeat the URL, which
// might hold a password.
func checkHubURL(s string) (string, string) {
	u, err := url.Parse(s)
	if err != nil {
		return "", "hub_url is not a valid URL"
	}
	if u.User != nil {
		return "", "hub_url must not hold a user name or password; the secret setting says where the secret comes from"
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
	case "http":
		if !isLoopback(u.Hostname()) {
			return "", "hub_url must start with https://; plain http:// is allowed only for 127.0.0.1, localhost and ::1"
		}
	case "":
		return "", "hub_url must be a full URL starting with https://, such as https://hub.docker.com"
	default:
		return "", fmt.Sprintf("hub_url must start with https://, not %s://", u.Scheme)
	}
	if u.Host == "" || u.Hostname() == "" {
		return "", "hub_url has no host name"
	}
	if u.RawQuery != "" || u.Fragment != "" || u.ForceQuery {
		return "", "hub_url must not have a query (?) or fragment (#)"
	}
	u.Scheme = strings.ToLower(u.Scheme)
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	return u.String(), ""
}

// isLoopback reports whether host is localhost or a loopback IP address.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func (d *decoder) secret(v *yaml.Node, c *Context) error {
	s, err := d.text(v, keySecret)
	if err != nil {
		return err
	}
	spec, err := ParseSecret(s)
	if err != nil {
		return d.errAt(resolve(v), "%v", err)
	}
	c.Secret = spec.String()
	return nil
}

func (d *decoder) keys(v *yaml.Node) (map[string][]string, map[string]int, error) {
	out := make(map[string][]string)
	lines := make(map[string]int)
	err := d.mapping(v, "keys", nil, func(action string, k, v *yaml.Node) error {
		lines[action] = k.Line
		if strings.TrimSpace(action) == "" {
			return d.errAt(k, "keys has an empty action name")
		}
		v = resolve(v)
		if isNull(v) {
			return d.errAt(v, "keys.%s needs a list of keys, such as [q, ctrl+c]; use [] to unbind it", action)
		}
		if v.Kind != yaml.SequenceNode {
			return d.errAt(v, "keys.%s must be a list of keys, such as [q, ctrl+c], not %s", action, describe(v))
		}
		list := make([]string, 0, len(v.Content))
		for _, item := range v.Content {
			item = resolve(item)
			if item.Kind != yaml.ScalarNode || isNull(item) {
				return d.errAt(item, "keys.%s holds %s; each key must be text such as q or ctrl+c", action, describe(item))
			}
			key := item.Value
			if strings.TrimSpace(key) == "" {
				return d.errAt(item, "keys.%s has an empty key name", action)
			}
			if err := CheckKey(key); err != nil {
				return d.errAt(item, "keys.%s: %v", action, err)
			}
			list = append(list, key)
		}
		out[action] = list
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	if len(out) == 0 {
		return nil, nil, nil
	}
	return out, lines, nil
}

// syntaxHint suggests a fix for common YAML syntax errors.
func syntaxHint(msg string) string {
	switch msg {
	case "did not find expected key", "did not find expected '-' indicator", "block sequence entries are not allowed in this context":
		return "; check the indentation of this line"
	case "found a tab character that violates indentation":
		return "; indent with spaces, not tabs"
	case "found character that cannot start any token":
		return "; put quotes around a value that starts with a special character such as @ or `"
	case "mapping values are not allowed in this context":
		return "; check the indentation, or put quotes around a value that holds \": \""
	case "did not find expected ',' or ']'", "did not find expected ',' or '}'":
		return "; close the brackets, and quote keys such as \"?\" or \":\""
	}
	return ""
}
