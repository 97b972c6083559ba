/**
 * Merges catalogue reads that arrive together for the same container (a database's schema) into one
 * read: a caller's entities join the open group of their key, and the group is read once, on the next
 * turn of the event loop, for all of its callers. Each caller gets the outcomes of its own entities.
 *
 * Why: in local mode many shards start at once and each asks for the catalogue of a few tables of the
 * same schema. Read one by one, those reads queue on a small connection pool and each pays the server's
 * planning and per-statement costs, so no shard can start upserting until most have read (measured with
 * bench/profile.ts, bench/RESULTS.md). Merged, they cost a few larger statements. A lone caller (an Argo
 * pod processes its shard's batches one after another) is read exactly as before, one turn later.
 *
 * A group is closed to newcomers once it holds `maxEntities` entities or `maxWeight` weight (columns),
 * so a merged read stays within the memory a batch may use.
 */
export interface ReadCoalescerOptions<E, O> {
  /** Reads one merged group of one key; returns an outcome per entity, in any order. */
  readonly read: (key: string, entities: readonly E[]) => Promise<readonly O[]>;
  /** The entity's identity (an FQN): duplicates are read once. */
  readonly idOf: (entity: E) => string;
  /** The identity of the entity an outcome belongs to. */
  readonly outcomeIdOf: (outcome: O) => string;
  /** The entity's share of the weight budget (its column count). @default 1 */
  readonly weightOf?: (entity: E) => number;
  /** Most entities per merged read. */
  readonly maxEntities: number;
  /** Most weight per merged read. @default Infinity */
  readonly maxWeight?: number;
}

interface Group<E, O> {
  readonly entities: E[];
  readonly ids: Set<string>;
  weight: number;
  readonly outcomes: Promise<Map<string, O>>;
}

export class ReadCoalescer<E, O> {
  private readonly open = new Map<string, Group<E, O>>();

  constructor(private readonly options: ReadCoalescerOptions<E, O>) {}

  /** The outcomes of `entities`, by identity, read together with whatever else arrives for `key`. */
  read(key: string, entities: readonly E[]): Promise<Map<string, O>> {
    const { idOf, weightOf = () => 1, maxEntities, maxWeight = Infinity } = this.options;
    const weight = entities.reduce((sum, e) => sum + weightOf(e), 0);
    let group = this.open.get(key);
    if (
      !group ||
      (group.entities.length > 0 &&
        (group.entities.length + entities.length > maxEntities || group.weight + weight > maxWeight))
    ) {
      group = this.openGroup(key);
    }
    for (const entity of entities) {
      const id = idOf(entity);
      if (group.ids.has(id)) continue;
      group.ids.add(id);
      group.entities.push(entity);
      group.weight += weightOf(entity);
    }
    return group.outcomes;
  }

  private openGroup(key: string): Group<E, O> {
    const entities: E[] = [];
    const outcomes = new Promise<Map<string, O>>((resolve, reject) => {
      // setImmediate runs after the promise jobs and I/O callbacks of this turn: every shard that is
      // about to ask has asked by then.
      setImmediate(() => {
        if (this.open.get(key) === group) this.open.delete(key);
        this.options
          .read(key, entities)
          .then((read) => resolve(new Map(read.map((o) => [this.options.outcomeIdOf(o), o]))), reject);
      });
    });
    const group: Group<E, O> = { entities, ids: new Set(), weight: 0, outcomes };
    this.open.set(key, group);
    return group;
  }
}
