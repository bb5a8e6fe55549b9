//go:build unix

package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"os/signal"
	"runtime"
	"syscall"

	"github.com/ospreyrpc/osprey/benchmark/internal/prof"
	"github.com/ospreyrpc/osprey/benchmark/system"
)

func main() {
	name := flag.String("system", "osprey", "system to serve")
	addr := flag.String("addr", "127.0.0.1:8001", "address to listen on")
	flag.Parse()
	stopProf, err := prof.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer stopProf()
	sys, err := system.Lookup(*name)
	if err != nil {
		log.Fatal(err)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	stop, err := sys.Serve(ln)
	if err != nil {
		log.Fatal(err)
	}
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, syscall.SIGUSR1, syscall.SIGINT, syscall.SIGTERM)
	fmt.Println("listening on", ln.Addr())
	for sig := range sigs {
		if sig != syscall.SIGUSR1 {
			break
		}
		var ru syscall.Rusage
		if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
			log.Fatal(err)
		}
		cpu := syscall.TimevalToNsec(ru.Utime) + syscall.TimevalToNsec(ru.Stime)
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		fmt.Printf("usage cpu_ns=%d maxrss_kb=%d mallocs=%d\n", cpu, ru.Maxrss, ms.Mallocs)
	}
	stop()
}
