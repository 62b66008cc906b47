// Command pulumi-language-nodejs (the "front") is the Node language host this project uses where the Pulumi CLI
// is built from Go modules (tools/README.md).
//
// The newest Node language host the Go module proxy serves is the copy inside github.com/pulumi/pulumi/sdk/v3 at
// v3.68.0. It runs programs fine but answers RunPlugin with "not supported", and CLI 3.259.0 starts a Node policy
// pack (`pulumi preview --policy-pack <dir>`) through exactly that call. The front sits in its place: it starts
// the real (legacy) host as a child with the same arguments, forwards every gRPC call to it byte for byte, and
// serves RunPlugin itself for policy packs (kind "analyzer") the way the current Node host does: it runs
// `node @pulumi/pulumi/cmd/run-policy-pack <engine> <pack dir>` from the pack's node_modules, with the stack's
// configuration in the environment (learnt through the SDK's PolicyProxy).
//
// The legacy host is found at <directory of this executable>/legacy/pulumi-language-nodejs, or wherever
// PULUMI_LANGUAGE_FRONT_LEGACY_HOST points. `pulumi-language-nodejs --front-version` prints the front's version.
package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
)

// version is set at build time (-ldflags "-X main.version=...") by tools/setup.sh.
var version = "dev"

const legacyHostEnv = "PULUMI_LANGUAGE_FRONT_LEGACY_HOST"

func main() {
	if len(os.Args) == 2 && os.Args[1] == "--front-version" {
		fmt.Println(version)
		return
	}
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs (front %s): %v\n", version, err)
		os.Exit(1)
	}
}

// legacyHost is the path of the real language host the front forwards to.
func legacyHost() (string, error) {
	if p := os.Getenv(legacyHostEnv); p != "" {
		return p, nil
	}
	self, err := os.Executable()
	if err != nil {
		return "", err
	}
	if resolved, err := filepath.EvalSymlinks(self); err == nil {
		self = resolved
	}
	p := filepath.Join(filepath.Dir(self), "legacy", "pulumi-language-nodejs")
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("the legacy Node language host is missing at %s (set %s, or run bash tools/setup.sh)", p, legacyHostEnv)
	}
	return p, nil
}

func run(args []string) error {
	legacy, err := legacyHost()
	if err != nil {
		return err
	}

	// The child gets exactly our arguments (the engine address, -root, -tracing ...) and prints its port first.
	child := exec.Command(legacy, args...)
	child.Stderr = os.Stderr
	child.Stdin = nil
	// If the front dies, the child must not outlive it.
	child.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
	childOut, err := child.StdoutPipe()
	if err != nil {
		return err
	}
	if err := child.Start(); err != nil {
		return fmt.Errorf("starting the legacy Node language host %s: %w", legacy, err)
	}
	childDone := make(chan error, 1)
	go func() { childDone <- child.Wait() }()

	out := bufio.NewReader(childOut)
	line, err := out.ReadString('\n')
	if err != nil {
		return fmt.Errorf("the legacy Node language host %s did not print its port: %w", legacy, err)
	}
	childPort := strings.TrimSpace(line)

	conn, err := grpc.NewClient("127.0.0.1:"+childPort,
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		rpcutil.GrpcChannelOptions())
	if err != nil {
		return fmt.Errorf("connecting to the legacy Node language host on port %s: %w", childPort, err)
	}
	defer conn.Close()

	cancel := make(chan bool, 1)
	handle, err := serve(conn, cancel)
	if err != nil {
		return err
	}
	// The engine reads our port from the first line of stdout; whatever the child prints later follows it.
	fmt.Printf("%d\n", handle.Port)
	go func() { _, _ = io.Copy(os.Stdout, out) }()

	// The engine stops language hosts with SIGINT/SIGTERM (to the process group) or by killing them.
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	select {
	case sig := <-signals:
		if child.Process != nil {
			_ = child.Process.Signal(sig)
		}
		cancel <- true
		<-childDone
	case err := <-childDone:
		cancel <- true
		// The engine stops language hosts by signalling their process group, so the child may see the signal
		// before the front does: that is a normal shutdown, not an error to report.
		if err != nil && !stoppedBySignal(err) {
			return fmt.Errorf("the legacy Node language host exited: %w", err)
		}
	case err := <-handle.Done:
		if child.Process != nil {
			_ = child.Process.Signal(syscall.SIGTERM)
		}
		return err
	}
	return nil
}

// stoppedBySignal tells whether a child exited because of SIGINT, SIGTERM or SIGKILL.
func stoppedBySignal(err error) bool {
	var exitErr *exec.ExitError
	if !errors.As(err, &exitErr) {
		return false
	}
	ws, ok := exitErr.Sys().(syscall.WaitStatus)
	if !ok || !ws.Signaled() {
		return false
	}
	switch ws.Signal() {
	case syscall.SIGINT, syscall.SIGTERM, syscall.SIGKILL:
		return true
	default:
		return false
	}
}
