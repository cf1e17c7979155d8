// Package app is Heard's only wiring: it reads configuration, sets up
// logging and the database, and runs one subcommand.
package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/jackc/pgx/v5/pgxpool"

	"heard/internal/consultation"
	"heard/internal/db"
)

const usage = `Heard turns the responses to a public consultation into traceable evidence.

Usage: heard <command> [flags]

Commands:
  serve [-addr host:port]   migrate the database, then serve the web app (default :8080)
  migrate [-down N]         apply every migration, or revert the last N
  load FILE                 create or update a consultation from its definition file (JSON)
  demo [-admin]             load the CQC 2021 consultation and its 790 demo responses;
                            -admin also creates (or resets) a demo admin and prints its sign-in
  user add -email E -role R add a back-office user (viewer, analyst or admin); the password is
                            read from standard input, or generated and printed when none is given
  user list                 list users
  user disable -email E     disable a user and end their sessions
  import --consultation SLUG [--channel email|letter|event] [--group GROUP] [--encoding ENC] [--skip-invalid] FILE...
                            import .eml, .msg, .mbox, .zip, .csv or .xlsx files, or scanned
                            letters (.pdf, .png, .jpg, .tif: read by OCR); prints a report and
                            exits 1 if anything was rejected
  mailbox connect --consultation SLUG --host H [--port P] [--security tls|starttls|none]
          --user U [--folder F] [--done-folder F]
                            watch an IMAP mailbox (password on standard input; none only for localhost)
  mailbox fetch --consultation SLUG   fetch new messages now and print the import report
  mailbox list | mailbox disconnect --consultation SLUG
  template --consultation SLUG --format csv|xlsx [-o FILE]
                            the CSV/XLSX template for typed-up letters and event responses
  export --consultation SLUG --what responses --format json|csv|xlsx [--redacted] [-o FILE]
                            every response with its answers, source and segments;
                            --redacted removes personal data, as published pages do
  eval [-themefinder DIR]   measure auto-coding quality on a labelled set built from the demo's
                            codeframes and, when DIR exists, on i.AI's themefinder set
  help                      show this help

Configuration (environment):
  DATABASE_URL       PostgreSQL URL, e.g. postgres://user@localhost:5432/heard (required)
  HEARD_LOG_LEVEL    debug, info (default), warn or error
  HEARD_INSECURE_COOKIES=1   allow the session cookie over plain http (local development only)
  HEARD_TRUSTED_PROXIES=N    number of reverse proxies whose X-Forwarded-For is trusted (default 0)
  HEARD_DB_MAX_CONNS=N       connections in the main pool (default 10)
  HEARD_JOBS_MAX_CONNS=N     connections in background jobs' own pool, serve only (default 4)
  HEARD_STATEMENT_TIMEOUT=D  longest a web request's query may run, e.g. 30s (default), 0 for none
  HEARD_SECRET_KEY=K         32+ random characters: encrypts mailbox passwords (required for mailboxes)
`

// errUsage marks a command line that could not be understood.
var errUsage = errors.New("usage")

// env is what a command needs from the outside world.
type env struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	logger *slog.Logger
}

// Run runs the command in args (without the program name) and returns the
// process exit code: 0 on success, 1 on failure, 2 for a bad command line.
func Run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr, logger: newLogger(getenv("HEARD_LOG_LEVEL"), stderr)}
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch cmd, rest := args[0], args[1:]; cmd {
	case "serve":
		err = e.serve(ctx, rest)
	case "migrate":
		err = e.migrate(rest)
	case "load":
		err = e.load(ctx, rest)
	case "demo":
		err = e.demo(ctx, rest)
	case "user":
		err = e.user(ctx, rest)
	case "import":
		err = e.importFiles(ctx, rest)
	case "template":
		err = e.template(ctx, rest)
	case "mailbox":
		err = e.mailboxCmd(ctx, rest)
	case "export":
		err = e.export(ctx, rest)
	case "eval":
		err = e.eval(rest)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "heard: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprintf(stderr, "heard: %v\n", err)
		return 2
	default:
		fmt.Fprintf(stderr, "heard: %v\n", err)
		return 1
	}
}

func newLogger(level string, w io.Writer) *slog.Logger {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil || level == "" {
		l = slog.LevelInfo
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l}))
}

func (e *env) databaseURL() (string, error) {
	url := strings.TrimSpace(e.getenv("DATABASE_URL"))
	if url == "" {
		return "", errors.New("DATABASE_URL is not set: point it at a PostgreSQL database (make run starts one for you)")
	}
	return url, nil
}

// open migrates the database, then connects a pool to it.
func (e *env) open(ctx context.Context) (*pgxpool.Pool, error) {
	url, err := e.databaseURL()
	if err != nil {
		return nil, err
	}
	set, err := e.poolSettings()
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(url); err != nil {
		return nil, err
	}
	cfg, err := poolConfig(url, set.maxConns)
	if err != nil {
		return nil, err
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect to the database: %w", err)
	}
	return pool, nil
}

func newFlags(name string, e *env) *flag.FlagSet {
	fs := flag.NewFlagSet("heard "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	return fs
}

// parse parses flags, turning flag errors into usage errors.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %s: %v", errUsage, fs.Name(), err)
	}
	return nil
}

// openConsultation opens the database and reads the consultation a
// command names, saying plainly when there is none.
func (e *env) openConsultation(ctx context.Context, cmd, slug string) (*pgxpool.Pool, *consultation.Consultation, error) {
	pool, err := e.open(ctx)
	if err != nil {
		return nil, nil, err
	}
	c, err := (&consultation.Service{Pool: pool}).Get(ctx, slug)
	if errors.Is(err, consultation.ErrNotFound) {
		pool.Close()
		return nil, nil, fmt.Errorf("%s: there is no consultation %q", cmd, slug)
	}
	if err != nil {
		pool.Close()
		return nil, nil, err
	}
	return pool, c, nil
}
