package app

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/jackc/pgx/v5/pgxpool"

	"heard/internal/accounts"
)

// demoAdmin is the account `heard demo -admin` creates for make run.
// Production never creates an account by itself.
const demoAdmin = "demo-admin@example.org"

func (e *env) user(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: user needs a subcommand: add, list or disable", errUsage)
	}
	switch args[0] {
	case "add":
		return e.userAdd(ctx, args[1:])
	case "list":
		return e.userList(ctx, args[1:])
	case "disable":
		return e.userDisable(ctx, args[1:])
	}
	return fmt.Errorf("%w: unknown user subcommand %q: use add, list or disable", errUsage, args[0])
}

func (e *env) userAdd(ctx context.Context, args []string) error {
	fs := newFlags("user add", e)
	email := fs.String("email", "", "the user's email `address`")
	role := fs.String("role", "", "viewer, analyst or admin")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *email == "" || *role == "" {
		return fmt.Errorf("%w: user add needs -email and -role, e.g. heard user add -email you@example.org -role admin", errUsage)
	}
	ro, err := accounts.ParseRole(*role)
	if err != nil {
		return err
	}
	password, generated, err := e.readPassword()
	if err != nil {
		return err
	}
	pool, err := e.open(ctx)
	if err != nil {
		return err
	}
	defer pool.Close()
	u, err := accounts.NewService(pool).Create(ctx, accounts.Actor{}, *email, password, ro)
	if err != nil {
		return fmt.Errorf("user add: %w", err)
	}
	fmt.Fprintf(e.stdout, "added %s as %s\n", u.Email, u.Role)
	if generated {
		fmt.Fprintf(e.stdout, "password: %s\n(shown once: give it to them privately)\n", password)
	}
	return nil
}

// readPassword takes the first line of standard input, or generates a
// password when standard input is a terminal or empty.
func (e *env) readPassword() (string, bool, error) {
	if f, ok := e.stdin.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			return accounts.GeneratePassword(), true, nil
		}
	}
	if e.stdin == nil {
		return accounts.GeneratePassword(), true, nil
	}
	line, err := bufio.NewReader(io.LimitReader(e.stdin, accounts.MaxPasswordLen+2)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", false, fmt.Errorf("read password from standard input: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return accounts.GeneratePassword(), true, nil
	}
	return line, false, nil
}

func (e *env) userList(ctx context.Context, args []string) error {
	if err := parse(newFlags("user list", e), args); err != nil {
		return err
	}
	pool, err := e.open(ctx)
	if err != nil {
		return err
	}
	defer pool.Close()
	users, err := accounts.NewService(pool).List(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "EMAIL\tROLE\tSTATUS\tCREATED")
	for _, u := range users {
		status := "active"
		if u.Disabled {
			status = "disabled"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", u.Email, u.Role, status, u.Created.UTC().Format("2006-01-02 15:04"))
	}
	return tw.Flush()
}

func (e *env) userDisable(ctx context.Context, args []string) error {
	fs := newFlags("user disable", e)
	email := fs.String("email", "", "the user's email `address`")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *email == "" {
		return fmt.Errorf("%w: user disable needs -email", errUsage)
	}
	pool, err := e.open(ctx)
	if err != nil {
		return err
	}
	defer pool.Close()
	svc := accounts.NewService(pool)
	u, err := svc.GetByEmail(ctx, *email)
	if errors.Is(err, accounts.ErrNotFound) {
		return fmt.Errorf("user disable: no user has the email address %s", *email)
	}
	if err != nil {
		return err
	}
	if _, err := svc.Disable(ctx, accounts.Actor{}, u.ID); err != nil {
		return fmt.Errorf("user disable: %w", err)
	}
	fmt.Fprintf(e.stdout, "disabled %s and ended their sessions\n", u.Email)
	return nil
}

// demoAdmin creates the demo admin, or gives it a new password, and
// prints how to sign in.
func (e *env) demoAdmin(ctx context.Context, pool *pgxpool.Pool, keepIn string, fresh bool) error {
	svc := accounts.NewService(pool)
	u, err := svc.GetByEmail(ctx, demoAdmin)
	if err != nil && !errors.Is(err, accounts.ErrNotFound) {
		return fmt.Errorf("demo admin: %w", err)
	}
	exists := err == nil
	// Reuse the kept password while it still signs in, so that a browser
	// that remembered it keeps working across runs of make run.
	if keepIn != "" && exists && !fresh && !u.Disabled {
		if b, err := os.ReadFile(keepIn); err == nil {
			kept := strings.TrimSpace(string(b))
			if ok, err := svc.PasswordIs(ctx, u.ID, kept); err == nil && ok {
				fmt.Fprintf(e.stdout, "demo admin: sign in at /sign-in as %s with password %s (unchanged; kept in %s)\n", demoAdmin, kept, keepIn)
				return nil
			}
		}
	}
	password := accounts.GeneratePassword()
	if exists {
		_, err = svc.SetPassword(ctx, accounts.Actor{}, u.ID, password)
	} else {
		_, err = svc.Create(ctx, accounts.Actor{}, demoAdmin, password, accounts.Admin)
	}
	if err != nil {
		return fmt.Errorf("demo admin: %w", err)
	}
	if keepIn != "" {
		if err := os.WriteFile(keepIn, []byte(password+"\n"), 0o600); err != nil {
			return fmt.Errorf("demo admin: keep the password: %w", err)
		}
	}
	fmt.Fprintf(e.stdout, "demo admin: sign in at /sign-in as %s with password %s\n", demoAdmin, password)
	return nil
}
