/**
 * Ends the dynamic-provider process when the Pulumi engine that started it is gone.
 *
 * The engine starts Pulumi's dynamic-provider host (`node .../@pulumi/pulumi/cmd/dynamic-provider <engine
 * address>`) through a shim (`pulumi-resource-pulumi-nodejs`, a shell script that does not `exec`), in a process
 * group of its own, and stops it when the command ends. When the CLI is killed (`kill -9`, a CI runner cancelled)
 * nothing stops it: the host keeps serving, and finishes whatever creates were in flight, for nobody. This
 * watchdog runs inside that process and asks the engine's own address: while something accepts connections
 * there, the engine is alive; a refused connection means it is gone, and the process exits at once (in-flight
 * calls are cut off rather than finished: the next run finds what they made). It works whichever shim started
 * the host, since it does not rely on the parent process. It probes every second, and at once when standard
 * input closes (the engine holds the write end of that pipe, so its death closes it). Its timer and stdin
 * listener are unref'd: they never keep the process alive.
 */
import { connect, type Socket } from "node:net";

/** The engine address a dynamic-provider host was started with, or undefined when this is not such a host. */
export function engineAddressOf(argv: readonly string[] = process.argv): string | undefined {
  const script = (argv[1] ?? "").replace(/\\/g, "/");
  if (!/\/cmd\/dynamic-provider(\/index(\.js)?)?$/.test(script)) return undefined;
  const address = argv[2] ?? "";
  return /^[A-Za-z0-9.[\]:-]+:\d{1,5}$/.test(address) ? address : undefined;
}

export type Liveness = "alive" | "gone" | "unknown";

/** Whether something accepts TCP connections at `host:port`: gone only when the connection is refused. */
export function probe(address: string, timeoutMs = 2_000): Promise<Liveness> {
  const i = address.lastIndexOf(":");
  const host = address.slice(0, i).replace(/^\[|\]$/g, "");
  const port = Number(address.slice(i + 1));
  return new Promise((resolve) => {
    const socket: Socket = connect({ host, port });
    const done = (l: Liveness): void => {
      socket.destroy();
      resolve(l);
    };
    socket.setTimeout(timeoutMs, () => done("unknown"));
    socket.once("connect", () => done("alive"));
    socket.once("error", (e: NodeJS.ErrnoException) => done(e.code === "ECONNREFUSED" ? "gone" : "unknown"));
  });
}

export interface WatchOptions {
  readonly address: string;
  readonly intervalMs?: number;
  /** What to do when the engine is gone. Default: exit the process. */
  readonly onGone?: () => void;
}

export interface Watch {
  stop(): void;
}

export function watchEngine(opts: WatchOptions): Watch {
  const onGone = opts.onGone ?? ((): void => process.exit(0));
  let checking = false;
  let stopped = false;
  const check = (): void => {
    if (checking || stopped) return;
    checking = true;
    void probe(opts.address).then((l) => {
      checking = false;
      if (l === "gone" && !stopped) {
        stopped = true;
        clearInterval(timer);
        onGone();
      }
    });
  };
  const timer = setInterval(check, opts.intervalMs ?? 1_000);
  timer.unref();
  const stdin = process.stdin as NodeJS.ReadStream & Partial<Pick<Socket, "unref">>;
  const onEnd = (): void => check();
  // Only a pipe (the engine's): a terminal or a file says nothing about the engine.
  if (!stdin.isTTY && typeof stdin.unref === "function") {
    stdin.once("end", onEnd);
    stdin.once("close", onEnd);
    stdin.on("data", () => undefined); // the engine never writes; reading lets us see the end
    stdin.unref();
  }
  return {
    stop() {
      stopped = true;
      clearInterval(timer);
      stdin.off("end", onEnd);
      stdin.off("close", onEnd);
    },
  };
}

let started: Watch | undefined;

/** Starts the watchdog once, if this process is a dynamic-provider host (otherwise does nothing). */
export function watchEngineOnce(argv: readonly string[] = process.argv): void {
  if (started) return;
  const address = engineAddressOf(argv);
  if (address !== undefined && process.env.ALTINN_ONBOARDING_ENGINE_WATCHDOG !== "off") started = watchEngine({ address });
}
