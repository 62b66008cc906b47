package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"syscall"

	sdk "github.com/pulumi/pulumi/sdk/v3"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
)

const runPolicyPackModule = "@pulumi/pulumi/cmd/run-policy-pack"

// runPolicyPack starts a Node policy pack the way the Node language host of CLI >= 3.221 does in RunPlugin:
// `node <pack's @pulumi/pulumi/cmd/run-policy-pack> [nodeargs] <engine address> <pack dir>` with the pack
// directory as working directory. The policy libraries learn the stack (organization, project, stack, dry run,
// config) from environment variables, so the SDK's PolicyProxy first answers the engine's ConfigureStack call,
// then hands the connection over to the pack's own analyzer server.
func runPolicyPack(req *pulumirpc.RunPluginRequest, server grpc.ServerStreamingServer[pulumirpc.RunPluginResponse]) error {
	ctx := server.Context()
	if req.GetAttachDebugger() {
		return errors.New("attaching a debugger to a policy pack is not supported by this language host front")
	}
	info := req.GetInfo()
	packDir := info.GetProgramDirectory()

	closer, stdout, stderr, err := rpcutil.MakeRunPluginStreams(server, false)
	if err != nil {
		return err
	}
	defer closer.Close()

	node, err := exec.LookPath("node")
	if err != nil {
		return fmt.Errorf("policy pack %s: no node on PATH: %w", packDir, err)
	}
	runPath, err := locateModule(node, packDir, runPolicyPackModule)
	if err != nil {
		return err
	}

	options := info.GetOptions().AsMap()
	env := append([]string{}, req.GetEnv()...)
	if typescript, ok := options["typescript"].(bool); !ok || typescript {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	if tsconfig, ok := options["tsconfig"].(string); ok && tsconfig != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+tsconfig)
	}
	args := []string{runPath}
	if nodeargs, ok := options["nodeargs"].(string); ok {
		args = append(args, strings.Fields(nodeargs)...)
	}
	args = append(args, req.GetArgs()...)
	args = append(args, packDir)

	proxy, stdout, err := sdk.NewPolicyProxy(ctx, stdout)
	if err != nil {
		return fmt.Errorf("could not start the policy pack proxy: %w", err)
	}
	config, err := proxy.AwaitConfiguration(ctx)
	if err != nil {
		return fmt.Errorf("could not get the stack configuration for the policy pack: %w", err)
	}
	if config != nil {
		add := func(k, v string) {
			if v != "" {
				env = append(env, k+"="+v)
			}
		}
		add("PULUMI_NODEJS_ORGANIZATION", config.GetOrganization())
		add("PULUMI_NODEJS_PROJECT", config.GetProject())
		add("PULUMI_NODEJS_STACK", config.GetStack())
		add("PULUMI_NODEJS_DRY_RUN", strconv.FormatBool(config.GetDryRun()))
		if c := config.GetConfig(); c != nil {
			text, err := json.Marshal(c)
			if err != nil {
				return fmt.Errorf("could not encode the stack configuration: %w", err)
			}
			add("PULUMI_CONFIG", string(text))
		}
		if keys := config.GetConfigSecretKeys(); len(keys) > 0 {
			text, err := json.Marshal(keys)
			if err != nil {
				return fmt.Errorf("could not encode the stack's secret keys: %w", err)
			}
			add("PULUMI_CONFIG_SECRET_KEYS", string(text))
		}
	}

	cmd := exec.CommandContext(ctx, node, args...)
	cmd.Dir = packDir
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("could not start node for policy pack %s: %w", packDir, err)
	}
	if err := proxy.Attach(ctx, cmd); err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			if ws, ok := exitErr.Sys().(syscall.WaitStatus); ok {
				return fmt.Errorf("policy pack %s exited with code %d", packDir, ws.ExitStatus())
			}
		}
		return fmt.Errorf("policy pack %s: %w", packDir, err)
	}
	return closer.Close()
}

// locateModule resolves a module from a directory the way node's require would.
func locateModule(node, dir, module string) (string, error) {
	cmd := exec.Command(node, "-e", "process.stdout.write(require.resolve(process.argv[1]))", module)
	cmd.Dir = dir
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("policy pack %s: cannot resolve %s from it (are its dependencies installed? run npm ci, "+
			"or bash tools/setup.sh in this repository): %v", dir, module, err)
	}
	return strings.TrimSpace(out.String()), nil
}
