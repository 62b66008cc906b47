/**
 * One pull-request comment per stack, updated in place on each push: the pull-request workflow calls this from
 * actions/github-script with its authenticated client. The comment is found by the marker on its first line
 * (`<!-- altinn-onboarding:plan stack=<stack> -->`, written by the plan summary), so each stack keeps its own
 * comment and nothing else is touched.
 */
import { readFileSync } from "node:fs";

import { commentMarker } from "./plan.js";

/** GitHub's comment limit is 65536 characters; leave room for the note. */
export const MAX_COMMENT = 65_000;

interface Comment {
  readonly id: number;
  readonly body?: string | null;
  readonly user?: { readonly type?: string } | null;
}

/** The part of github-script's Octokit client this needs. */
export interface GitHubClient {
  paginate(route: unknown, params: Record<string, unknown>): Promise<Comment[]>;
  rest: {
    issues: {
      listComments: unknown;
      createComment(params: Record<string, unknown>): Promise<unknown>;
      updateComment(params: Record<string, unknown>): Promise<unknown>;
    };
  };
}

export interface CommentTarget {
  readonly owner: string;
  readonly repo: string;
  readonly issueNumber: number;
}

/** The comment body: the plan's Markdown, or (when the plan failed before writing one) a short failure note. */
export function commentBody(stack: string, markdown: string | undefined, runUrl: string): string {
  if (markdown === undefined || markdown.trim() === "") {
    return (
      `${commentMarker(stack)}\n### Onboarding plan for stack \`${stack}\`\n\n` +
      `**The plan could not be computed.** The log says why: ${runUrl}\n`
    );
  }
  const body = markdown.startsWith(commentMarker(stack)) ? markdown : `${commentMarker(stack)}\n${markdown}`;
  if (body.length <= MAX_COMMENT) return body;
  return `${body.slice(0, MAX_COMMENT)}\n\n… (cut to fit a comment: the whole plan is in the workflow run's artifacts: ${runUrl})\n`;
}

/** Creates the stack's comment, or updates the one already there. Returns what it did. */
export async function upsertPlanComment(
  github: GitHubClient,
  target: CommentTarget,
  stack: string,
  body: string,
): Promise<"created" | "updated"> {
  const base = { owner: target.owner, repo: target.repo };
  const comments = await github.paginate(github.rest.issues.listComments, { ...base, issue_number: target.issueNumber, per_page: 100 });
  const marker = commentMarker(stack);
  const mine = comments.find((c) => c.user?.type === "Bot" && (c.body ?? "").startsWith(marker));
  if (mine) {
    await github.rest.issues.updateComment({ ...base, comment_id: mine.id, body });
    return "updated";
  }
  await github.rest.issues.createComment({ ...base, issue_number: target.issueNumber, body });
  return "created";
}

/** What the workflow calls: reads `<reportDir>/plan-<stack>.md` (if the plan wrote it) and upserts the comment. */
export async function commentPlan(
  github: GitHubClient,
  target: CommentTarget,
  stack: string,
  reportFile: string,
  runUrl: string,
): Promise<string> {
  let markdown: string | undefined;
  try {
    markdown = readFileSync(reportFile, "utf8");
  } catch {
    markdown = undefined;
  }
  const done = await upsertPlanComment(github, target, stack, commentBody(stack, markdown, runUrl));
  return `plan comment for stack ${stack} ${done}`;
}
