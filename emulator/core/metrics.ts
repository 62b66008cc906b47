export class Metrics {
  private readonly requests = new Map<string, { method: string; route: string; status: number; count: number }>();
  private readonly tokens = new Map<string, { issued: number; refused: number }>();

  countRequest(method: string, route: string, status: number): void {
    const key = `${method} ${route} ${status}`;
    const entry = this.requests.get(key);
    if (entry) entry.count++;
    else this.requests.set(key, { method, route, status, count: 1 });
  }

  /** clientId is the grant's `iss`, or "(unknown)" when the grant could not be read. */
  countToken(clientId: string, issued: boolean): void {
    const entry = this.tokens.get(clientId) ?? { issued: 0, refused: 0 };
    if (issued) entry.issued++;
    else entry.refused++;
    this.tokens.set(clientId, entry);
  }

  reset(): void {
    this.requests.clear();
    this.tokens.clear();
  }

  snapshot(): {
    requests: { method: string; route: string; status: number; count: number }[];
    tokenRequests: Record<string, { issued: number; refused: number }>;
  } {
    const requests = [...this.requests.values()].sort((a, b) =>
      `${a.route} ${a.method} ${a.status}`.localeCompare(`${b.route} ${b.method} ${b.status}`),
    );
    return { requests, tokenRequests: Object.fromEntries(this.tokens) };
  }
}
