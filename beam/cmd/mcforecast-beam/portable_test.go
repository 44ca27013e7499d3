//go:build linux

package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// prismPkg is Beam's stand-alone Prism runner: a job server speaking Beam's
// job API, like the Flink and Spark job servers.
const prismPkg = "github.com/apache/beam/sdks/v2/go/cmd/prism"

// goBuild builds pkg into dir/name with the go command of this test,
// offline use of the module cache being enough once the module's
// dependencies are downloaded. It skips the test if the build failed for
// want of a module download.
func goBuild(t *testing.T, dir, name, pkg string, args ...string) string {
	t.Helper()
	bin := filepath.Join(dir, name)
	cmd := exec.Command("go", append(append([]string{"build", "-o", bin}, args...), pkg)...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		for _, offline := range []string{"dial tcp", "module lookup disabled", "missing go.sum entry", "proxyconnect"} {
			if strings.Contains(string(out), offline) {
				t.Skipf("cannot build %s offline (its modules are not in the module cache): %s", pkg, out)
			}
		}
		t.Fatalf("go build %s: %v\n%s", pkg, err, out)
	}
	return bin
}

// freePort returns a loopback TCP port that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// jobServer is a Prism process started by the test.
type jobServer struct {
	cmd    *exec.Cmd
	port   int
	stderr *bytes.Buffer
}

// startPrism starts prism on a free loopback port, in its own process
// group, and stops that group (by its id) when the test ends, failed or
// not. It waits until the job port accepts connections.
func startPrism(t *testing.T, prism string) *jobServer {
	t.Helper()
	js := &jobServer{port: freePort(t), stderr: new(bytes.Buffer)}
	js.cmd = exec.Command(prism,
		"-job_port", strconv.Itoa(js.port),
		"-serve_http=false",          // no web UI
		"-idle_shutdown_timeout=10m", // it ends by itself should the test be killed
		"-log_level=warn")
	js.cmd.Stderr = js.stderr
	js.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := js.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- js.cmd.Wait() }()
	t.Cleanup(func() {
		_ = syscall.Kill(-js.cmd.Process.Pid, syscall.SIGKILL)
		<-exited
	})
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(js.port))
	for deadline := time.Now().Add(60 * time.Second); ; {
		select {
		case err := <-exited:
			exited <- err
			t.Fatalf("prism exited before serving: %v\n%s", err, js.stderr)
		default:
		}
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("prism does not serve on %s after 60 s: %v\n%s", addr, err, js.stderr)
		}
		time.Sleep(100 * time.Millisecond)
	}
	// Beam's job server listens on every interface (net.Listen(":PORT")
	// in prism/internal/jobservices, no flag to change it): say so.
	for _, a := range listenAddrs(js.port) {
		if ip, _, _ := strings.Cut(a, ":"); ip != "0100007F" && ip != "00000000000000000000000001000000" {
			where := "the host's network: not on loopback only (Beam's job server binds every interface)"
			if os.Getenv(netnsPrismEnv) != "" {
				where = "a network namespace whose only interface is loopback"
			}
			t.Logf("prism's job port listens on %s, in %s", a, where)
		}
	}
	return js
}

// Environment of the copy of TestPortableRunner that runs in a private
// network namespace: the binaries the outer test built.
const (
	netnsPrismEnv = "MCFORECAST_NETNS_PRISM"
	netnsSelfEnv  = "MCFORECAST_NETNS_SELF"
)

// runInPrivateNetwork runs TestPortableRunner again, with the binaries
// already built, in a network namespace of its own whose only interface is
// loopback (unshare --net; root or user namespaces needed). Beam's job
// server binds every interface and runs any pipeline it is sent; there it
// reaches nothing but this test. It reports false, and the test goes on in
// the host's network with a note, where no such namespace can be made.
func runInPrivateNetwork(t *testing.T, prism, self string) bool {
	t.Helper()
	if err := exec.Command("unshare", "--net", "true").Run(); err != nil {
		t.Logf("note: no private network namespace (unshare --net: %v); Prism runs in the host's network", err)
		return false
	}
	// A new namespace has its loopback interface down: bring it up, then
	// run only this test (-test.v: its log is this test's log).
	cmd := exec.Command("unshare", "--net", "sh", "-c", `ip link set lo up && exec "$0" "$@"`,
		os.Args[0], "-test.run", "^TestPortableRunner$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), netnsPrismEnv+"="+prism, netnsSelfEnv+"="+self)
	out, err := cmd.CombinedOutput()
	t.Logf("in a private network namespace (loopback only):\n%s", out)
	if err != nil {
		t.Fatalf("TestPortableRunner in a private network namespace: %v", err)
	}
	return true
}

// listenAddrs returns the local addresses of the sockets listening on
// port, from /proc/net/tcp and tcp6, in the kernel's hex notation.
func listenAddrs(port int) []string {
	hexPort := fmt.Sprintf(":%04X", port)
	var addrs []string
	for _, file := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		data, err := os.ReadFile(file)
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(data), "\n") {
			// sl local_address rem_address st ...; st 0A is LISTEN.
			if f := strings.Fields(line); len(f) >= 4 && f[3] == "0A" && strings.HasSuffix(f[1], hexPort) {
				addrs = append(addrs, f[1])
			}
		}
	}
	return addrs
}

// peakRSS returns the peak resident set size (VmHWM) of process pid in
// bytes ("self" for this process).
func peakRSS(pid any) (int64, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%v/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10, err
		}
	}
	return 0, errors.New("no VmHWM")
}

// TestPortableRunner submits the command to a separate job server through
// Beam's job API, as a Flink or Spark job server would receive it:
// Beam's own Prism runner built and started here, --runner=universal,
// workers in the command's process (LOOPBACK). The JSON report equals the
// local run's (forecast.Run through mcforecast's report) to the last digit,
// exact and streaming.
func TestPortableRunner(t *testing.T) {
	if testing.Short() {
		t.Skip("builds Prism and the command (-short)")
	}
	prism, self := os.Getenv(netnsPrismEnv), os.Getenv(netnsSelfEnv)
	if prism == "" {
		dir := t.TempDir()
		prism = goBuild(t, dir, "prism", prismPkg)
		self = goBuild(t, dir, "mcforecast-beam", ".")
		if runInPrivateNetwork(t, prism, self) {
			return
		}
	}
	js := startPrism(t, prism)
	endpoint := fmt.Sprintf("--endpoint=localhost:%d", js.port)
	for _, args := range [][]string{
		{"-trials", "30000", "-seed", "7"},
		{"-trials", "30000", "-seed", "7", "-streaming", "-blocks", "4"},
	} {
		cmd := exec.Command(self, append(args, "-format", "json", "--runner=universal", endpoint, "--environment_type=LOOPBACK")...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		start := time.Now()
		if err := cmd.Run(); err != nil {
			t.Fatalf("%v: %v\n%s\nprism: %s", args, err, stderr.String(), js.stderr)
		}
		t.Logf("%v on the job server: %v", args, time.Since(start).Round(time.Millisecond))
		got, want := decode(t, stdout.String()), localJSON(t, args...)
		gj, _ := json.Marshal(got)
		wj, _ := json.Marshal(want)
		if !bytes.Equal(gj, wj) {
			t.Errorf("%v: JSON differs from the local run's:\n got %s\nwant %s", args, gj, wj)
		}
	}
	if hwm, err := peakRSS(js.cmd.Process.Pid); err == nil {
		t.Logf("prism (the job server, not the workers) peak RSS %.0f MB", float64(hwm)/(1<<20))
	}

	// Usage errors exit 2 before any pipeline, with a short message
	// (issue 18.9): an unknown runner, an output that cannot be written.
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--runner=nosuch"}, "--runner=nosuch"},
		{[]string{"-out", "/proc/nope/x", "--runner=universal", endpoint, "--environment_type=LOOPBACK"}, "/proc/nope/x"},
	} {
		cmd := exec.Command(self, append([]string{"-trials", "20000"}, c.args...)...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != exitUsage {
			t.Errorf("%v: %v, want exit status %d\n%s", c.args, err, exitUsage, stderr.String())
		}
		if msg := stderr.String(); !strings.Contains(msg, c.want) || strings.Count(msg, "\n") != 1 {
			t.Errorf("%v: stderr %q, want one line naming %s", c.args, msg, c.want)
		}
	}
}
