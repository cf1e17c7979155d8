package db

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/golang-migrate/migrate/v4"
	_ "github.com/golang-migrate/migrate/v4/database/pgx/v5" // the pgx5:// driver
	"github.com/golang-migrate/migrate/v4/source/iofs"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"

	"heard/migrations"
)

// Migrate applies every embedded migration not yet applied to the
// database at url (a postgres:// URL), then River's own migrations for
// the background job queue.
func Migrate(url string) error {
	m, err := newMigrate(url)
	if err != nil {
		return err
	}
	defer m.Close()
	if err := m.Up(); err != nil && !errors.Is(err, migrate.ErrNoChange) {
		return fmt.Errorf("db: migrate up: %w", err)
	}
	return migrateRiver(url)
}

// migrateRiver creates or updates River's tables (river_*), which River
// versions itself. `heard migrate -down` leaves them alone.
func migrateRiver(url string) error {
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		return fmt.Errorf("db: connect for River migrations: %w", err)
	}
	defer pool.Close()
	rm, err := rivermigrate.New(riverpgxv5.New(pool), nil)
	if err != nil {
		return fmt.Errorf("db: River migrator: %w", err)
	}
	if _, err := rm.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("db: River migrations: %w", err)
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
