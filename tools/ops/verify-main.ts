/**
 * `npm run verify -- --stack <stack> [--write] [--max-wait <seconds>] [--out <dir>]`: does what the onboarding's
 * users will do, for every story in the stack (tools/ops/verify.ts), and prints a table of story / check /
 * result / time. Writes verify-<stack>.md and .json to <dir> (default .reports/).
 *
 * Exit codes: 0 every check passed (checks waiting for a customer are not failures), 1 a check failed, 2 error.
 */
import { EXIT, main, parseArgs, writeReports } from "./cli.js";
import { readStack } from "./stack.js";
import { table, verify } from "./verify.js";

main("npm run verify -- --stack <stack> [--write] [--max-wait <seconds>] [--out <dir>]", async () => {
  const opts = parseArgs(process.argv.slice(2), { flags: ["--write"], lists: ["--max-wait"] });
  const maxWait = Number(opts.lists["--max-wait"]?.at(-1) ?? 30);
  if (!Number.isFinite(maxWait) || maxWait < 0) throw new Error("--max-wait is a number of seconds");
  const { outputs, config } = await readStack(opts.stack);
  const results = await verify(outputs, config, {
    write: opts.flags.has("--write"),
    maxWaitSeconds: maxWait,
    progress: (l) => process.stderr.write(`${l}\n`),
  });
  const text = table(results);
  const failed = results.filter((r) => r.result === "fail").length;
  const summary = `${results.filter((r) => r.result === "pass").length} passed, ${failed} failed, ${results.filter((r) => r.result === "waiting").length} waiting, ${results.filter((r) => r.result === "skipped").length} skipped`;
  process.stdout.write(`${text}\n\nverify: ${summary}\n`);
  writeReports(opts.out, "verify", opts.stack, `# Verify ${opts.stack}\n\n\`\`\`\n${text}\n\`\`\`\n\n${summary}\n`, {
    stack: opts.stack,
    results,
  });
  if (results.length === 0) {
    process.stderr.write("[verify] the stack has no stories to check: run `pulumi up` first\n");
    return EXIT.found;
  }
  return failed > 0 ? EXIT.found : EXIT.ok;
});
