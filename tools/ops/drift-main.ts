/**
 * `npm run drift -- --stack <stack> [--out <dir>] [--cwd <project dir>]`: refreshes the stack in preview mode (nothing is written) and
 * reports drift per resource and field, keys expiring within their renewal window and system-user requests
 * waiting for customers. Prints the Markdown report; writes it and the JSON report to <dir> (default .reports/)
 * as drift-<stack>.md and drift-<stack>.json.
 *
 * Exit codes: 0 no drift, 1 drift, 2 error (the refresh failed, or bad arguments).
 */
import { EXIT, main, parseArgs, stackArgs, writeReports } from "./cli.js";
import { driftMarkdown, driftReport } from "./drift.js";
import { failureText, runPulumiJson } from "./pulumi.js";

main("npm run drift -- --stack <stack> [--out <dir>] [--cwd <project dir>]", async () => {
  const opts = parseArgs(process.argv.slice(2));
  const run = await runPulumiJson(["refresh", "--preview-only", ...stackArgs(opts)]);
  if (run.exitCode !== 0 || run.result === "failed") {
    throw new Error(
      `drift: pulumi refresh --preview-only --stack ${opts.stack} failed, so drift is unknown:\n${failureText(run)}\n` +
        "What to do: check that the stack exists and its backend and secrets are reachable (PULUMI_BACKEND_URL, " +
        "PULUMI_CONFIG_PASSPHRASE or the KMS), and that the admin credentials can read the APIs.",
    );
  }
  const report = driftReport(opts.stack, run);
  const markdown = driftMarkdown(report);
  const files = writeReports(opts.out, "drift", opts.stack, markdown, report);
  process.stdout.write(markdown);
  process.stderr.write(`[drift] reports: ${files.markdown}, ${files.json}\n`);
  return report.drift ? EXIT.found : EXIT.ok;
});
