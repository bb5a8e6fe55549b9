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
	"time"

	"github.com/ospreyrpc/osprey/benchmark/internal/prof"
	"github.com/ospreyrpc/osprey/benchmark/system"
)

func main() {
	name := flag.String("system", "osprey", "system to serve")
	addr := flag.String("addr", "127.0.0.1:8001", "address to listen on")
	var reg registration
	flag.StringVar(&reg.url, "registry", "", "register in this etcd, `etcd://HOST:PORT` (Osprey's servers only)")
	flag.StringVar(&reg.service, "service", "echo", "service `name` to register as, with --registry")
	flag.StringVar(&reg.advertise, "advertise", "", "`host:port` to register, with --registry (default: the listening address, with 127.0.0.1 for an unspecified host such as :8888)")
	flag.DurationVar(&reg.wait, "deregister-wait", time.Second, "with --registry, how long to wait after deregistering before draining on SIGTERM")
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
	var stop func()
	if reg.url == "" {
		stop, err = sys.Serve(ln)
	} else {
		stop, err = reg.serve(sys, ln)
	}
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
