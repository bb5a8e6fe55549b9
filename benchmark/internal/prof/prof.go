package prof

import (
	"flag"
	"os"
	"runtime"
	"runtime/pprof"
	"runtime/trace"
)

var (
	cpuProfile = flag.String("cpuprofile", "", "write a CPU profile to this file")
	memProfile = flag.String("memprofile", "", "write an allocation profile to this file at exit")
	traceFile  = flag.String("trace", "", "write an execution trace to this file")
)

// Start starts the profiles the flags ask for; call the returned function
// before exiting to write them. Call it after flag.Parse.
func Start() (stop func(), err error) {
	var cpu *os.File
	if *cpuProfile != "" {
		if cpu, err = os.Create(*cpuProfile); err != nil {
			return nil, err
		}
		if err := pprof.StartCPUProfile(cpu); err != nil {
			return nil, err
		}
	}
	if *memProfile != "" {
		runtime.MemProfileRate = 4096
	}
	var tf *os.File
	if *traceFile != "" {
		if tf, err = os.Create(*traceFile); err != nil {
			return nil, err
		}
		if err := trace.Start(tf); err != nil {
			return nil, err
		}
	}
	return func() {
		if tf != nil {
			trace.Stop()
			tf.Close()
		}
		if cpu != nil {
			pprof.StopCPUProfile()
			cpu.Close()
		}
		if *memProfile != "" {
			if f, err := os.Create(*memProfile); err == nil {
				pprof.Lookup("allocs").WriteTo(f, 0)
				f.Close()
			}
		}
	}, nil
}
