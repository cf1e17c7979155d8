package db

import (
	"errors"
	"fmt"
	"strings"

	"github.com/golang-migrate/migrate/v4"
	_ "github.com/golang-migrate/migrate/v4/database/pgx/v5" // the pgx5:// driver
	"github.com/golang-migrate/migrate/v4/source/iofs"

	"heard/migrations"
)

// Migrate applies every embedded migration not yet applied to the
// database at url (a postgres:// URL).
func Migrate(url string) error {
	m, err := newMigrate(url)
	if err != nil {
		return err
	}
	defer m.Close()
	if err := m.Up(); err != nil && !errors.Is(err, migrate.ErrNoChange) {
		return fmt.Errorf("db: migrate up: %w", err)
	}
	return nil
}

// MigrateDown reverts the last n applied migrations.
func MigrateDown(url string, n int) error {
	if n < 1 {
		return fmt.Errorf("db: migrate down: N must be at least 1, got %d", n)
	}
	m, err := newMigrate(url)
	if err != nil {
		return err
	}
	defer m.Close()
	if err := m.Steps(-n); err != nil {
		return fmt.Errorf("db: migrate down %d: %w", n, err)
	}
	return nil
}

// MigrationVersion reports the applied version (0 when none).
func MigrationVersion(url string) (uint, error) {
	m, err := newMigrate(url)
	if err != nil {
		return 0, err
	}
	defer m.Close()
	v, dirty, err := m.Version()
	if errors.Is(err, migrate.ErrNilVersion) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("db: migration version: %w", err)
	}
	if dirty {
		return v, fmt.Errorf("db: migration %d is dirty: fix the database by hand, then force the version", v)
	}
	return v, nil
}

func newMigrate(url string) (*migrate.Migrate, error) {
	src, err := iofs.New(migrations.FS, ".")
	if err != nil {
		return nil, fmt.Errorf("db: read embedded migrations: %w", err)
	}
	m, err := migrate.NewWithSourceInstance("iofs", src, migrateURL(url))
	if err != nil {
		return nil, fmt.Errorf("db: connect for migrations: %w", err)
	}
	return m, nil
}

// migrateURL turns a postgres:// URL into golang-migrate's pgx5:// form.
func migrateURL(url string) string {
	for _, p := range []string{"postgresql://", "postgres://"} {
		if strings.HasPrefix(url, p) {
			return "pgx5://" + strings.TrimPrefix(url, p)
		}
	}
	return url
}
