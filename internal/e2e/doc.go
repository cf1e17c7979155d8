// Package e2e holds Heard's end-to-end tests that drive a real Chromium
// (internal/browsertest) against the real server over a demo database.
//
// They are a test binary of their own so that `go test ./internal/server`
// stays quick and each binary stays well inside go test's -timeout on a
// loaded machine. The helpers in this package's tests keep the names and
// signatures of internal/server's test helpers (newEnv, env.user, setForm,
// respondent, browser, ...): moving a *_browser_test.go file here from
// internal/server means changing its package clause to e2e_test.
//
// Every browser step has its own timeout, derived from the test's
// deadline (browsertest.Step); steps wait for conditions, never for fixed
// times.
package e2e
