/** One plan comment per stack, updated in place (tools/ops/pr-comment.ts), against a fake GitHub client. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import { commentBody, commentPlan, MAX_COMMENT, upsertPlanComment, type GitHubClient } from "../../tools/ops/pr-comment.js";

interface Stored {
  id: number;
  body: string;
  user: { type: string };
}

/** A pull request's comments in memory, behind the three calls the workflow makes. */
function fakeGitHub(initial: Stored[]): { client: GitHubClient; comments: Stored[]; calls: string[] } {
  const comments = [...initial];
  const calls: string[] = [];
  const listComments = Symbol("listComments");
  const client: GitHubClient = {
    paginate: (route, params) => {
      expect(route).toBe(listComments);
      expect(params).toMatchObject({ owner: "digdir", repo: "onboarding", issue_number: 7 });
      calls.push("list");
      return Promise.resolve(comments.map((c) => ({ ...c })));
    },
    rest: {
      issues: {
        listComments,
        createComment: (p) => {
          calls.push("create");
          comments.push({ id: comments.length + 100, body: String(p.body), user: { type: "Bot" } });
          return Promise.resolve({});
        },
        updateComment: (p) => {
          calls.push(`update ${String(p.comment_id)}`);
          const c = comments.find((x) => x.id === p.comment_id);
          if (c) c.body = String(p.body);
          return Promise.resolve({});
        },
      },
    },
  };
  return { client, comments, calls };
}

const target = { owner: "digdir", repo: "onboarding", issueNumber: 7 };
const plan = (stack: string, text: string): string =>
  `<!-- altinn-onboarding:plan stack=${stack} -->\n### Onboarding plan for stack \`${stack}\`\n\n${text}\n`;

describe("the plan comment", () => {
  it("is created once, then updated in place on the next push", async () => {
    const gh = fakeGitHub([{ id: 1, body: "LGTM", user: { type: "User" } }]);
    expect(await upsertPlanComment(gh.client, target, "test", plan("test", "**1 to update**"))).toBe("created");
    expect(await upsertPlanComment(gh.client, target, "test", plan("test", "**2 to update**"))).toBe("updated");
    expect(gh.calls).toEqual(["list", "create", "list", "update 101"]);
    expect(gh.comments.map((c) => c.body)).toEqual(["LGTM", plan("test", "**2 to update**")]);
  });

  it("keeps one comment per stack and never touches a person's comment that quotes the marker", async () => {
    const gh = fakeGitHub([
      { id: 1, body: plan("prod", "quoted by a reviewer"), user: { type: "User" } },
      { id: 2, body: plan("test", "old"), user: { type: "Bot" } },
    ]);
    expect(await upsertPlanComment(gh.client, target, "prod", plan("prod", "new"))).toBe("created");
    expect(await upsertPlanComment(gh.client, target, "test", plan("test", "new"))).toBe("updated");
    expect(gh.comments.map((c) => [c.id, c.body])).toEqual([
      [1, plan("prod", "quoted by a reviewer")],
      [2, plan("test", "new")],
      [102, plan("prod", "new")],
    ]);
  });

  it("says the plan failed (with the run's link) when there is no plan file", async () => {
    const gh = fakeGitHub([]);
    const dir = mkdtempSync(join(tmpdir(), "pr-comment-"));
    expect(
      await commentPlan(gh.client, target, "prod", join(dir, "plan-prod.md"), "https://github.com/digdir/onboarding/actions/runs/9"),
    ).toBe("plan comment for stack prod created");
    expect(gh.comments[0]?.body).toContain(
      "**The plan could not be computed.** The log says why: https://github.com/digdir/onboarding/actions/runs/9",
    );
    writeFileSync(join(dir, "plan-prod.md"), plan("prod", "**No changes.**"));
    await commentPlan(gh.client, target, "prod", join(dir, "plan-prod.md"), "https://github.com/digdir/onboarding/actions/runs/10");
    expect(gh.comments).toHaveLength(1);
    expect(gh.comments[0]?.body).toBe(plan("prod", "**No changes.**"));
  });

  it("cuts a plan too long for a comment and points at the artifact", () => {
    const body = commentBody("test", plan("test", "x".repeat(70_000)), "https://run");
    expect(body.length).toBeLessThan(MAX_COMMENT + 200);
    expect(body).toContain("the whole plan is in the workflow run's artifacts: https://run");
  });
});
