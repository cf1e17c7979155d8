// Package dbtest gives each test its own migrated PostgreSQL database,
// cloned from a template (pgtestdb), so tests run in parallel against the
// real thing.
package dbtest

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"io/fs"
	"net/url"
	"os"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx" for pgtestdb
	"github.com/peterldowns/pgtestdb"

	"heard/internal/db"
	"heard/migrations"
)

// URL returns the URL of a fresh migrated database for this test.
// The server comes from DATABASE_URL (make test sets it).
func URL(t testing.TB) string {
	t.Helper()
	conf := serverConfig(t)
	return pgtestdb.Custom(t, conf, migrator{}).URL()
}

// NewPool returns a pool on a fresh migrated database for this test.
func NewPool(t testing.TB) *pgxpool.Pool {
	t.Helper()
	pool, err := pgxpool.New(context.Background(), URL(t))
	if err != nil {
		t.Fatalf("dbtest: connect: %v", err)
	}
	t.Cleanup(pool.Close)
	return pool
}

func serverConfig(t testing.TB) pgtestdb.Config {
	raw := os.Getenv("DATABASE_URL")
	if raw == "" {
		t.Fatal("dbtest: DATABASE_URL is not set; run the tests with 'make test', which starts a database")
	}
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("dbtest: DATABASE_URL: %v", err)
	}
	pass, _ := u.User.Password()
	q := u.Query()
	if q.Get("sslmode") == "" {
		q.Set("sslmode", "disable")
	}
	port := u.Port()
	if port == "" {
		port = "5432"
	}
	return pgtestdb.Config{
		DriverName:                "pgx",
		Host:                      u.Hostname(),
		Port:                      port,
		User:                      u.User.Username(),
		Password:                  pass,
		Database:                  trimSlash(u.Path),
		Options:                   q.Encode(),
		ForceTerminateConnections: true,
	}
}

func trimSlash(p string) string {
	if len(p) > 0 && p[0] == '/' {
		return p[1:]
	}
	return p
}

// migrator runs Heard's own embedded migrations on the template database.
type migrator struct{}

func (migrator) Hash() (string, error) {
	h := sha256.New()
	err := fs.WalkDir(migrations.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(migrations.FS, path)
		if err != nil {
			return err
		}
		h.Write([]byte(path))
		h.Write(b)
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))[:16], err
}

func (migrator) Migrate(_ context.Context, _ *sql.DB, conf pgtestdb.Config) error {
	return db.Migrate(conf.URL())
}
