// Command ferretdb runs FerretDB 2 embedded, over PostgreSQL with the DocumentDB extension, as Seedline's
// MongoDB-compatible database on machines without MongoDB (scripts/services/ferretdb.sh builds and starts it).
// Embedding the library keeps the build to one `go build` from the module proxy.
package main

import (
	"context"
	"flag"
	"log"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/FerretDB/FerretDB/v2/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address to listen on")
	pg := flag.String("postgresql-url", "postgres://postgres@127.0.0.1:54329/postgres", "PostgreSQL URL (with DocumentDB)")
	state := flag.String("state-dir", ".", "directory for FerretDB's state file")
	flag.Parse()

	telemetry := false
	f, err := ferretdb.New(&ferretdb.Config{
		PostgreSQLURL: *pg,
		ListenAddr:    *listen,
		StateDir:      *state,
		LogLevel:      slog.LevelWarn,
		LogOutput:     os.Stderr,
		Telemetry:     &telemetry,
	})
	if err != nil {
		log.Fatal(err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	log.Printf("ferretdb listening on %s", *listen)
	f.Run(ctx)
}
