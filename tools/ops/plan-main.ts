/**
 * `npm run plan -- --stack <stack> [--refresh] [--policy-pack <dir>]... [--out <dir>] [--cwd <project dir>]`: previews the stack and
 * prints the reviewer's summary (per kind create/update/replace/delete, per field old -> new as each kind's
 * own plan decides, sets as additions and removals, secrets masked, replacements and deletions first, policy
 * violations). Writes it and the JSON summary to <dir> (default .reports/) as plan-<stack>.md and .json.
 *
 * Exit codes: 0 the summary is ready, 1 a mandatory policy violation blocks the change (the summary names
 * it), 2 error (the preview failed otherwise, or bad arguments).
 */
import { resolve } from "node:path";

import { EXIT, main, parseArgs, stackArgs, writeReports } from "./cli.js";
import { planMarkdown, planSummary } from "./plan.js";
import { failureText, runPulumiJson } from "./pulumi.js";

main("npm run plan -- --stack <stack> [--refresh] [--policy-pack <dir>]... [--out <dir>] [--cwd <project dir>]", async () => {
  const opts = parseArgs(process.argv.slice(2), { flags: ["--refresh"], lists: ["--policy-pack"] });
  const args = ["preview", ...stackArgs(opts)];
  if (opts.flags.has("--refresh")) args.push("--refresh");
  for (const pack of opts.lists["--policy-pack"] ?? []) args.push("--policy-pack", resolve(pack));
  const run = await runPulumiJson(args);
  const summary = planSummary(opts.stack, run);
  const failed = run.exitCode !== 0 || run.result === "failed";
  if (failed && !summary.blocked) {
    throw new Error(
      `plan: pulumi ${args.join(" ")} failed:\n${failureText(run)}\n` +
        "What to do: fix what the error names (a manifest error lists each path and rule), then run the plan again.",
    );
  }
  const markdown = planMarkdown(summary);
  const files = writeReports(opts.out, "plan", opts.stack, markdown, summary);
  process.stdout.write(markdown);
  process.stderr.write(`[plan] reports: ${files.markdown}, ${files.json}\n`);
  return summary.blocked ? EXIT.found : EXIT.ok;
});
