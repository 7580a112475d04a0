// Command hubtui is a terminal console for administering Docker Hub
// organizations: repositories and tags, teams and members, invites, access
// tokens, settings and a live audit log.
//
//	hubtui [--demo [--demo-activity N]] [--hub-url URL] [--org ORG] [--context NAME] [--readonly] [--config PATH]
//	hubtui export repos --org ORG [--format csv|json|jsonl]
//	hubtui config init [--force]
//
// Exit codes: 0 normal quit, 1 runtime error, 2 usage or configuration error.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	iofs "io/fs"
	"os"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/hubtui/hubtui/config"
	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/hubclient/hubsim"
	"github.com/hubtui/hubtui/ui"
	"github.com/hubtui/hubtui/ui/sanitize"
)

const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
	// demoActivity is the demo simulator's background events per second.
	demoActivity = 0.5
	// maxDemoActivity bounds --demo-activity.
	maxDemoActivity = 2000
)

// defaultMemoryLimit is the Go runtime's soft memory limit unless
// GOMEMLIMIT says otherwise: the garbage collector works harder as the heap
// nears it, so a session holding a 100,000-tag list stays under 100 MB of
// resident memory instead of growing to twice what it holds. It is soft:
// a session that truly holds more goes past it (and collects more often).
const defaultMemoryLimit = 80 << 20

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr, os.Getenv))
}

// usageError is a problem with the command line or the config file.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// flags are the global options.
type flags struct {
	demo     bool
	activity float64 // the demo's background events per second
	hubURL   string
	org      string
	context  string
	readOnly bool
	config   string
	version  bool
	help     bool
}

func newFlagSet(name string, f *flags, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.BoolVar(&f.demo, "demo", false, "run against an embedded simulator with the demo org (no network)")
	fs.Float64Var(&f.activity, "demo-activity", demoActivity, "with --demo: the simulator's background events per second (pushes, pulls, members, teams, tokens); 0 is none")
	fs.StringVar(&f.hubURL, "hub-url", "", "Docker Hub API URL (env HUBTUI_HUB_URL; default https://hub.docker.com)")
	fs.StringVar(&f.org, "org", "", "organization to open")
	fs.StringVar(&f.context, "context", "", "context from the config file")
	fs.BoolVar(&f.readOnly, "readonly", false, "refuse every change; mutating keys are hidden")
	fs.StringVar(&f.config, "config", "", "config file (default $XDG_CONFIG_HOME/hubtui/config.yaml)")
	fs.BoolVar(&f.version, "version", false, "print the version and exit")
	fs.BoolVar(&f.help, "help", false, "show this help")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: hubtui [flags]\n       hubtui export KIND [flags]   (kinds: hubtui export)\n       hubtui config init [--force]\n\nflags:\n")
		fs.PrintDefaults()
	}
	return fs
}

func run(args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	if len(args) > 0 {
		switch args[0] {
		case "export":
			return report(stderr, runExport(args[1:], stdout, stderr, getenv))
		case "config":
			return report(stderr, runConfig(args[1:], stdout, stderr))
		}
	}
	var f flags
	fs := newFlagSet("hubtui", &f, stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if f.help {
		fs.Usage()
		return exitOK
	}
	if f.version {
		fmt.Fprintln(stdout, "hubtui", hubclient.Version)
		return exitOK
	}
	if fs.NArg() > 0 {
		return report(stderr, usageError{fmt.Sprintf("unexpected argument %q (see hubtui --help)", fs.Arg(0))})
	}
	if err := checkDemoFlags(fs, f); err != nil {
		return report(stderr, err)
	}
	return report(stderr, runTUI(f, stderr, getenv))
}

// checkDemoFlags refuses flags that --demo would silently ignore: the demo
// runs its own simulator, signed in as its own account.
func checkDemoFlags(fs *flag.FlagSet, f flags) error {
	var err error
	if !f.demo {
		fs.Visit(func(fl *flag.Flag) {
			if fl.Name == "demo-activity" {
				err = usageError{"--demo-activity needs --demo: it sets the embedded simulator's pace"}
			}
		})
		return err
	}
	if f.activity < 0 || f.activity > maxDemoActivity {
		return usageError{fmt.Sprintf("--demo-activity %g: between 0 and %d events a second", f.activity, maxDemoActivity)}
	}
	fs.Visit(func(fl *flag.Flag) {
		if err == nil && (fl.Name == "context" || fl.Name == "hub-url") {
			err = usageError{fmt.Sprintf("--%s cannot be used with --demo: the demo runs its own simulator and account; drop one of the two", fl.Name)}
		}
	})
	return err
}

// report prints err and returns its exit code.
func report(stderr io.Writer, err error) int {
	if err == nil {
		return exitOK
	}
	var ue usageError
	if !errors.As(err, &ue) || ue.msg != "" { // an empty usage error was said already
		fmt.Fprintln(stderr, "hubtui:", sanitize.Text(err.Error())) // it may carry the server's words
	}
	var ce *config.Error
	if errors.As(err, &ue) || errors.As(err, &ce) {
		return exitUsage
	}
	return exitError
}

// loadConfig reads --config or the default file and prints what is unsafe
// about it to stderr.
func loadConfig(path string, stderr io.Writer) (*config.Config, error) {
	var cfg *config.Config
	var err error
	if path != "" {
		cfg, err = config.Load(path)
	} else {
		cfg, err = config.LoadDefault()
	}
	var ce *config.Error
	if err != nil && !errors.As(err, &ce) {
		// A file that is missing or unreadable is a configuration error
		// too; the message names the file.
		return nil, usageError{err.Error()}
	}
	if err != nil {
		return nil, err
	}
	for _, w := range cfg.Warnings {
		warn(stderr, w)
	}
	return cfg, nil
}

// warn prints a warning, sanitised: it may hold a path or words from a
// program or server.
func warn(stderr io.Writer, msg string) {
	fmt.Fprintln(stderr, "hubtui: warning:", sanitize.String(msg))
}

// target is where and as whom to connect.
type target struct {
	name     string
	hubURL   string
	org      string
	readOnly bool
	pageSize int
	ctx      config.Context
	// envHubURL is the Hub URL given at launch (--hub-url or
	// HUBTUI_HUB_URL), "" when none was: HUBTUI_USERNAME/HUBTUI_TOKEN are
	// for it (and Docker Hub) only.
	envHubURL string
}

// resolveTarget merges flags, env and the config context.
func resolveTarget(cfg *config.Config, f flags, getenv func(string) string) (target, error) {
	name := f.context
	if name == "" {
		name = cfg.CurrentContext
	}
	t := target{name: name, pageSize: cfg.PageSize}
	if name != "" {
		c, err := cfg.Context(name)
		if err != nil {
			return t, usageError{fmt.Sprintf("--context: %v", err)}
		}
		t.ctx = c
		t.hubURL, t.org, t.readOnly = c.HubURL, c.Org, c.ReadOnly
	} else {
		t.ctx = config.DefaultContext()
	}
	if v := getenv("HUBTUI_HUB_URL"); v != "" {
		t.hubURL, t.envHubURL = v, v
	}
	if f.hubURL != "" {
		t.hubURL, t.envHubURL = f.hubURL, f.hubURL
	}
	if t.hubURL == "" {
		t.hubURL = hubclient.DefaultBaseURL
	}
	if f.org != "" {
		t.org = f.org
	}
	t.readOnly = t.readOnly || f.readOnly
	if _, err := hubclient.New(hubclient.WithBaseURL(t.hubURL)); err != nil {
		return t, usageError{fmt.Sprintf("--hub-url %s: %v", t.hubURL, err)}
	}
	return t, nil
}

// newClient builds a client for t with creds.
func newClient(t target, user string, secret hubclient.Secret) (*hubclient.Client, error) {
	opts := []hubclient.Option{hubclient.WithBaseURL(t.hubURL)}
	if t.pageSize > 0 {
		opts = append(opts, hubclient.WithPageSize(t.pageSize))
	}
	if user != "" {
		opts = append(opts, hubclient.WithCredentials(user, secret))
	}
	if t.readOnly {
		opts = append(opts, hubclient.WithReadOnly())
	}
	return hubclient.New(opts...)
}

// connect resolves credentials for t through the chain (env, Docker's own
// store) and returns a session; a session without a client means "ask".
// Before a credential found that way is set to go over plain http, warn
// is told so.
func connect(ctx context.Context, t target, getenv func(string) string, warn func(string)) (ui.Session, error) {
	sess := ui.Session{Context: t.name, HubURL: t.hubURL, Org: t.org, ReadOnly: t.readOnly,
		Dial: func(user string, secret hubclient.Secret) (*hubclient.Client, error) {
			return newClient(t, user, secret)
		}}
	ro := t.ctx.ResolveOptions()
	ro.HubURL, ro.EnvHubURL, ro.Getenv = t.hubURL, t.envHubURL, getenv
	cred, ok, err := config.Resolve(ctx, ro)
	if !ok {
		sess.User = t.ctx.Username // the sign-in screen starts from the context's username
		return sess, err
	}
	c, err := newClient(t, cred.Username, hubclient.Secret(cred.Secret))
	if err != nil {
		return sess, err
	}
	if plainHTTP(t.hubURL) {
		warn(fmt.Sprintf("the credential from %s goes to %s over plain http, unencrypted: another user of this machine who takes that port can read it",
			sourceName(cred.Source), t.hubURL))
	}
	sess.Client, sess.User = c, cred.Username
	return sess, nil
}

// plainHTTP reports whether hubURL is an http:// (not https) address.
func plainHTTP(hubURL string) bool {
	scheme, _, ok := strings.Cut(hubURL, "://")
	return ok && strings.EqualFold(scheme, "http")
}

// sourceName says in words where a credential came from.
func sourceName(source string) string {
	if source == config.SourceEnv {
		return config.EnvUsername + "/" + config.EnvToken
	}
	return source
}

// startDemo runs the embedded simulator and returns a signed-in session.
func startDemo(activity float64) (ui.Session, func(), error) {
	sim, err := hubsim.New(hubsim.Options{Dataset: "demo", Activity: activity})
	if err != nil {
		return ui.Session{}, nil, fmt.Errorf("demo simulator: %w", err)
	}
	url, stop, err := sim.Start("127.0.0.1:0")
	if err != nil {
		return ui.Session{}, nil, fmt.Errorf("demo simulator: %w", err)
	}
	c, err := hubclient.New(hubclient.WithBaseURL(url), hubclient.WithCredentials(hubsim.DemoUser, hubsim.DemoPassword))
	if err != nil {
		stop()
		return ui.Session{}, nil, err
	}
	return ui.Session{Client: c, Context: "demo", HubURL: url, User: hubsim.DemoUser, Org: hubsim.DemoOrg}, stop, nil
}

func runTUI(f flags, stderr io.Writer, getenv func(string) string) error {
	// A warning while the console draws would be lost on its screen: it
	// is printed when the console ends.
	var later warnings
	opts, stop, err := tuiOptions(f, stderr, getenv, &later)
	if err != nil {
		return err
	}
	defer stop()
	app := ui.New(opts)
	p := tea.NewProgram(app)
	_, err = p.Run()
	// On the way out, say which changes were quit in the middle of.
	for _, line := range app.Unfinished() {
		fmt.Fprintln(stderr, "hubtui: "+sanitize.String(line)) // it names things from the server
	}
	for _, msg := range later.take() {
		warn(stderr, msg)
	}
	if err != nil && !errors.Is(err, tea.ErrInterrupted) {
		return fmt.Errorf("terminal: %w", err)
	}
	return nil
}

// tuiOptions loads the configuration, finds the credential and builds the
// console's options; stop ends what they need (the demo simulator).
// Warnings that arise once the console runs (a context switched to) go to
// later.
func tuiOptions(f flags, stderr io.Writer, getenv func(string) string, later *warnings) (opts ui.Options, stop func(), err error) {
	stop = func() {}
	cfg, err := loadConfig(f.config, stderr)
	if err != nil {
		return opts, stop, err
	}
	keys, err := ui.DefaultKeymap().WithOverrides(cfg.Keys)
	if err != nil {
		var ke *ui.KeyError
		if errors.As(err, &ke) && cfg.File != "" {
			return opts, stop, &config.Error{File: cfg.File, Line: cfg.KeyLines[ke.Action], Msg: ke.Error()}
		}
		return opts, stop, usageError{err.Error()}
	}
	opts = ui.Options{Keymap: keys, Theme: cfg.Theme, InTmux: getenv("TMUX") != "", Panes: ui.RegistryWith(ui.AuditSettings(cfg))}
	for _, c := range cfg.Contexts {
		opts.Contexts = append(opts.Contexts, c.Name)
	}
	if f.demo {
		sess, stopDemo, err := startDemo(f.activity)
		if err != nil {
			return opts, stop, err
		}
		stop = stopDemo
		if f.org != "" {
			sess.Org = f.org
		}
		if f.readOnly {
			c, err := hubclient.New(hubclient.WithBaseURL(sess.HubURL), hubclient.WithCredentials(hubsim.DemoUser, hubsim.DemoPassword), hubclient.WithReadOnly())
			if err != nil {
				stopDemo()
				return opts, func() {}, err
			}
			sess.Client, sess.ReadOnly = c, true
		}
		opts.Session = sess
		opts.Dial = func(user string, secret hubclient.Secret) (*hubclient.Client, error) {
			return newClient(target{hubURL: sess.HubURL, readOnly: f.readOnly}, user, secret)
		}
	} else {
		t, err := resolveTarget(cfg, f, getenv)
		if err != nil {
			return opts, stop, err
		}
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		sess, err := connect(ctx, t, getenv, func(msg string) { warn(stderr, msg) })
		cancel()
		if err != nil && sess.Client == nil {
			// A helper's or the Docker config's words: sanitised.
			fmt.Fprintln(stderr, "hubtui: credential lookup:", sanitize.String(err.Error()))
		}
		opts.Session = sess
		opts.Dial = func(user string, secret hubclient.Secret) (*hubclient.Client, error) {
			return newClient(t, user, secret)
		}
		opts.Switch = func(ctx context.Context, name string) (ui.Session, error) {
			// A context switched to at run time is taken as the file says:
			// --hub-url, --org and HUBTUI_HUB_URL were for the first one.
			tf := f
			tf.context, tf.org, tf.hubURL = name, "", ""
			ctxEnv := func(k string) string {
				if k == "HUBTUI_HUB_URL" {
					return ""
				}
				return getenv(k)
			}
			nt, err := resolveTarget(cfg, tf, ctxEnv)
			if err != nil {
				return ui.Session{}, err
			}
			nt.envHubURL = t.envHubURL // the environment's credentials are still for the launch Hub
			sess, err := connect(ctx, nt, ctxEnv, later.add)
			if sess.Client == nil {
				return sess, nil // no credentials: the sign-in screen asks
			}
			if err != nil {
				return sess, err
			}
			return sess, sess.Client.Auth.SignIn(ctx)
		}
	}
	return opts, stop, nil
}

// warnings keeps warnings that arise while the console owns the terminal,
// to print once it has let go; it is safe for concurrent use.
type warnings struct {
	mu   sync.Mutex
	msgs []string
}

func (w *warnings) add(msg string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.msgs = append(w.msgs, msg)
}

func (w *warnings) take() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := w.msgs
	w.msgs = nil
	return out
}

// runConfig handles `hubtui config init [--force] [--config PATH]`.
func runConfig(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "init" {
		return usageError{"usage: hubtui config init [--force] [--config PATH]"}
	}
	fs := flag.NewFlagSet("config init", flag.ContinueOnError)
	fs.SetOutput(stderr)
	force := fs.Bool("force", false, "overwrite an existing file")
	path := fs.String("config", "", "where to write (default $XDG_CONFIG_HOME/hubtui/config.yaml)")
	if err := fs.Parse(args[1:]); err != nil {
		return usageError{} // the flag package has said what is wrong
	}
	p := *path
	if p == "" {
		var err error
		if p, err = config.DefaultPath(); err != nil {
			return err
		}
	}
	if err := config.WriteTemplate(p, *force); err != nil {
		if errors.Is(err, iofs.ErrExist) {
			return usageError{fmt.Sprintf("%s already exists; not overwriting it (use --force to replace it with the template)", p)}
		}
		return err
	}
	fmt.Fprintln(stdout, "wrote", p)
	return nil
}

// isTerminal reports whether w is a character device.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
