/**
 * A bounded memo of a pure function of a string: the offline engine's work on knowledge-base text
 * (sentence vectors, sentence splits, content words) is the same on every turn that retrieves the
 * same passage, so it is computed once — at start for the whole knowledge base, later for what an
 * edit adds. When full, the oldest entries go first.
 */
export class TextMemo<T> {
  private readonly entries = new Map<string, T>();

  constructor(
    private readonly compute: (text: string) => T,
    private readonly max = 20_000,
  ) {}

  /** How many entries it keeps at most. */
  get capacity(): number {
    return this.max;
  }

  /** The value for `text`, computed on first use. */
  get(text: string): T {
    const hit = this.entries.get(text);
    if (hit !== undefined) return hit;
    const value = this.compute(text);
    this.put(text, value);
    return value;
  }

  /** The value for `text` if it was computed (or stored) before. */
  peek(text: string): T | undefined {
    return this.entries.get(text);
  }

  /** Stores a value computed elsewhere (e.g. in one batch). */
  put(text: string, value: T): void {
    if (this.entries.size >= this.max) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(text, value);
  }

  get size(): number {
    return this.entries.size;
  }
}
