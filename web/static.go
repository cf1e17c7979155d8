// Package web holds Heard's HTML: templ components and pages that take
// typed view structs and never touch the database, plus the static files
// (GOV.UK Frontend, vendored) served from the binary.
package web

import "embed"

// Static holds GOV.UK Frontend and Heard's own CSS and JS. The CSS wants
// its images under /assets/, so static/assets is served there.
//
//go:embed static
var Static embed.FS
