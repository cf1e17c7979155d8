// Package migrations embeds Heard's SQL migrations into the binary.
package migrations

import "embed"

// FS holds the golang-migrate files NNNNNN_name.up.sql / .down.sql.
//
//go:embed *.sql
var FS embed.FS
