package main

import (
	"fmt"
	"net/http"
	"net/http/pprof"
	"os"
)

// serveProfiles serves Go's pprof profiles on addr (nothing when addr is empty), for
// `go tool pprof http://<addr>/debug/pprof/profile?seconds=N` while a workload runs
// (FERRETDB_DEBUG_ADDR in the stack's settings).
func serveProfiles(addr string) {
	if addr == "" {
		return
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	go func() {
		if err := http.ListenAndServe(addr, mux); err != nil {
			fmt.Fprintf(os.Stderr, "ferretdb: profiles on %s: %s\n", addr, err)
		}
	}()
}
