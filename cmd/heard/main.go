// Command heard is the Heard web service and its command-line tools.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"heard/internal/app"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := app.Run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
