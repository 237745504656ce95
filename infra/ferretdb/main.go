// Command ferretdb runs FerretDB 1.x (embedded package) with its SQLite backend for the local stack
// of the flight-delay project: a MongoDB wire-protocol server on one TCP address until SIGTERM/SIGINT.
//
// It exists because `go install github.com/FerretDB/FerretDB/cmd/ferretdb` panics at start on a
// missing build/version/version.txt; the embeddable package has no such requirement and disables
// telemetry itself. Built by infra/services/mongo.ts into the stack's cache.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen-addr", "127.0.0.1:27017", "TCP address to listen on (host:port)")
	dir := flag.String("sqlite-dir", "", "directory of the SQLite databases (created if missing; required)")
	// FerretDB logs every client connection at info; the stack passes warn unless LOG_LEVEL=debug.
	level := flag.String("log-level", "warn", "log level: debug, info, warn or error")
	debugAddr := flag.String("debug-addr", "", "if set, serve Go's pprof profiles on this address (e.g. 127.0.0.1:6060)")
	// A third of the server's CPU under inserts went to the garbage collector at Go's default of 100.
	gcPercent := flag.Int("gc-percent", 300, "Go's GOGC: heap growth between collections, in percent")
	// FULL (SQLite's default) syncs the WAL at every commit; NORMAL syncs it at checkpoints: a crash of
	// the server or the machine's processes loses nothing, a power cut can lose the last commits.
	synchronous := flag.String("sqlite-synchronous", "normal", "SQLite's synchronous pragma: full or normal")
	flag.Parse()
	serveProfiles(*debugAddr)
	debug.SetGCPercent(*gcPercent)

	if err := run(*listen, *dir, *level, *synchronous); err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb: %s\n", err)
		os.Exit(1)
	}
}

func run(listen, dir, level, synchronous string) error {
	if dir == "" {
		return errors.New("-sqlite-dir is required")
	}

	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(level)); err != nil {
		return fmt.Errorf("-log-level: %w", err)
	}
	// Lazy: attributes are formatted only for records written (see lazylog.go).
	logger := slog.New(newLazyHandler(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: lvl})))

	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	if err = os.MkdirAll(abs, 0o755); err != nil {
		return err
	}
	// The SQLite backend wants a file: URI of an existing directory, ending with a slash.
	if synchronous != "full" && synchronous != "normal" {
		return fmt.Errorf("-sqlite-synchronous: expected full or normal, got %q", synchronous)
	}
	query := url.Values{"_pragma": {"synchronous(" + synchronous + ")"}}
	sqliteURL := (&url.URL{Scheme: "file", Path: abs + "/", RawQuery: query.Encode()}).String()

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: listen},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: sqliteURL,
	})
	if err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()

	// Unconditional, so that the log shows what runs whatever the level.
	fmt.Fprintf(os.Stderr, "ferretdb: %s listening on %s, SQLite in %s (pid %d)\n", version(), listen, sqliteURL, os.Getpid())
	if err = f.Run(ctx); err != nil {
		return err
	}
	fmt.Fprintln(os.Stderr, "ferretdb: stopped")
	return nil
}

// version is the FerretDB module version this binary was built with (the embedded package reports "unknown").
func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, m := range bi.Deps {
			if m.Path == "github.com/FerretDB/FerretDB" {
				return "FerretDB " + m.Version
			}
		}
	}
	return "FerretDB"
}
