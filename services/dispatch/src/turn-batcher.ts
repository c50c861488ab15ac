/**
 * Calls made in the same turn of the event loop, run together as one batch. Dispatch's workers
 * and status consumers ask the store for documents one at a time, hundreds at once; FerretDB
 * answers a batch of them in one command for little more than the cost of one. No timer: a batch
 * runs at the end of the turn in which its first call was made, so a lone call waits for nothing.
 * Each call gets its own result; a batch that fails fails each of its calls.
 */
export class TurnBatcher<In, Out> {
  #queue: Array<{ input: In; resolve: (out: Out) => void; reject: (err: unknown) => void }> = [];
  #scheduled = false;

  constructor(
    /** Answers `inputs`, index-aligned. */
    private readonly run: (inputs: In[]) => Promise<Out[]>,
    private readonly maxBatch = 500,
  ) {}

  call(input: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.#queue.push({ input, resolve, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => this.#flush());
      }
    });
  }

  #flush(): void {
    this.#scheduled = false;
    const queue = this.#queue;
    this.#queue = [];
    for (let i = 0; i < queue.length; i += this.maxBatch) {
      const chunk = queue.slice(i, i + this.maxBatch);
      Promise.resolve()
        .then(() => this.run(chunk.map((c) => c.input)))
        .then(
          (outs) => {
            for (const [j, c] of chunk.entries()) c.resolve(outs[j] as Out);
          },
          (err: unknown) => {
            for (const c of chunk) c.reject(err);
          },
        );
    }
  }
}

/** Groups index-aligned inputs by org (the store is asked once per org). */
export function byOrg<T extends { orgId: string }>(
  inputs: T[],
): Map<string, Array<{ input: T; index: number }>> {
  const out = new Map<string, Array<{ input: T; index: number }>>();
  for (const [index, input] of inputs.entries()) {
    const group = out.get(input.orgId);
    if (group) group.push({ input, index });
    else out.set(input.orgId, [{ input, index }]);
  }
  return out;
}

/**
 * A turn's by-id reads: one `find` per org for the ids its inputs name; answers each input's
 * document (undefined when there is none), index-aligned with `inputs`. Inputs naming the same id
 * get the same object.
 */
export async function findEachById<T extends { orgId: string }, D>(
  inputs: T[],
  idOf: (input: T) => string,
  find: (orgId: string, ids: string[]) => Promise<Map<string, D>>,
): Promise<Array<D | undefined>> {
  const out = new Array<D | undefined>(inputs.length).fill(undefined);
  await Promise.all(
    [...byOrg(inputs)].map(async ([orgId, group]) => {
      const found = await find(
        orgId,
        group.map((g) => idOf(g.input)),
      );
      for (const { input, index } of group) out[index] = found.get(idOf(input));
    }),
  );
  return out;
}
