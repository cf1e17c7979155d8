package db_test

import (
	"context"
	"io/fs"
	"testing"

	"github.com/jackc/pgx/v5"

	"heard/internal/db"
	"heard/internal/dbtest"
	"heard/migrations"
)

// Every migration must revert cleanly and apply again.
func TestMigrationsDownAndUp(t *testing.T) {
	t.Parallel()
	url := dbtest.URL(t)
	v, err := db.MigrationVersion(url)
	if err != nil || v == 0 {
		t.Fatalf("version after migrate = %d, %v", v, err)
	}
	// Steps, not the version: migration numbers are assigned in
	// advance, so there may be gaps.
	ups, err := fs.Glob(migrations.FS, "*.up.sql")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.MigrateDown(url, len(ups)); err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var tables int
	if err := conn.QueryRow(context.Background(),
		`SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations' AND tablename NOT LIKE 'river%'`).Scan(&tables); err != nil {
		t.Fatal(err)
	}
	if tables != 0 {
		t.Errorf("%d tables left after migrating all the way down", tables)
	}
	if err := db.Migrate(url); err != nil {
		t.Fatal(err)
	}
	if v2, err := db.MigrationVersion(url); err != nil || v2 != v {
		t.Errorf("version after down and up = %d (%v), want %d", v2, err, v)
	}
}

func TestMigrateDownRejectsZero(t *testing.T) {
	if err := db.MigrateDown("postgres://unused", 0); err == nil {
		t.Error("MigrateDown(0) succeeded")
	}
}
