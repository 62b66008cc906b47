// The local emulator of the Digdir and Altinn APIs: one HTTP server on 127.0.0.1, every API on its real path.
import { type AddressInfo } from "node:net";
import { resolve } from "node:path";
import { controlRoutes } from "./control/index.js";
import { authenticationRoutes } from "./altinn/auth.js";
import { Background, DEFAULT_OPTIONS, type EmulatorContext, JtiCache, Store } from "./core/context.js";
import { Faults } from "./core/faults.js";
import { Metrics } from "./core/metrics.js";
import { Pki } from "./core/pki.js";
import { Router, aspnetRouted } from "./core/router.js";
import { defaultSeedFile, loadSeed } from "./core/seed.js";
import { createEmulatorServer } from "./core/server.js";
import { digdirRoutes } from "./digdir/index.js";
import { brokerRoutes } from "./broker/index.js";
import { correspondenceRoutes } from "./correspondence/index.js";
import { dialogportenRoutes } from "./dialogporten/index.js";
import { eventsRoutes } from "./events/index.js";
import { maskinportenRoutes } from "./maskinporten/index.js";
import { resourceRegistryRoutes } from "./resourceregistry/index.js";
import { systemRegisterRoutes, systemUserDetails } from "./systemregister/index.js";

export const DEFAULT_PORT = 5580;
export const DEFAULT_STATE_DIR = ".emulator";

export interface StartOptions {
  /** Default 5580; 0 picks a free port. */
  port?: number;
  /** Where state.json and pki.json live. Default `.emulator/` relative to the working directory. */
  stateDir?: string;
  /** JSON or YAML seed; default emulator/seed/default.json. Used when the state dir has no state yet, and on reset. */
  seedFile?: string;
  /** No request log on stderr. */
  quiet?: boolean;
}

export interface RunningEmulator {
  /** http://127.0.0.1:<port>, no trailing slash. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Every API the emulator serves. */
function apiModules(ctx: EmulatorContext) {
  return [
    controlRoutes(ctx),
    maskinportenRoutes(ctx, () => systemUserDetails(ctx)),
    digdirRoutes(ctx),
    // The Altinn services are ASP.NET: their routes match in any case.
    aspnetRouted(authenticationRoutes(ctx)),
    aspnetRouted(resourceRegistryRoutes(ctx)),
    aspnetRouted(eventsRoutes(ctx)),
    aspnetRouted(brokerRoutes(ctx)),
    aspnetRouted(systemRegisterRoutes(ctx)),
    aspnetRouted(correspondenceRoutes(ctx)),
    aspnetRouted(dialogportenRoutes(ctx)),
  ];
}

export async function startEmulator(opts: StartOptions = {}): Promise<RunningEmulator> {
  const stateDir = resolve(opts.stateDir ?? DEFAULT_STATE_DIR);
  const seed = loadSeed(opts.seedFile ?? defaultSeedFile());
  const store = new Store(stateDir, seed);
  const pki = new Pki(stateDir);
  pki.ensureOrgCertificates(store.state.organizations);
  const ctx: EmulatorContext = {
    store,
    pki,
    metrics: new Metrics(),
    faults: new Faults(),
    jti: new JtiCache(),
    background: new Background(),
    options: { ...DEFAULT_OPTIONS },
    latencyMs: 0,
    origin: "",
  };
  const router = new Router();
  for (const routes of apiModules(ctx)) router.add(...routes);
  const server = createEmulatorServer(ctx, router, opts.quiet ? {} : { log: (line) => process.stderr.write(`[emulator] ${line}\n`) });

  await new Promise<void>((ok, fail) => {
    server.once("error", fail);
    server.listen(opts.port ?? DEFAULT_PORT, "127.0.0.1", () => {
      server.off("error", fail);
      ok();
    });
  });
  const port = (server.address() as AddressInfo).port;
  ctx.origin = `http://127.0.0.1:${port}`;

  let closing: Promise<void> | undefined;
  return {
    url: ctx.origin,
    port,
    close: () =>
      (closing ??= new Promise<void>((ok, fail) => {
        ctx.background.cancelAll();
        server.close((err) => (err ? fail(err) : ok()));
        // Hanging requests (fault "hang") and keep-alive sockets would hold close() forever.
        server.closeAllConnections();
      }).then(
        // One turn of the event loop lets in-process HTTP clients see their pooled sockets close, so a restart
        // on the same port right after close() does not hand them a dead keep-alive connection.
        () => new Promise<void>((ok) => setImmediate(ok)),
      )),
  };
}
