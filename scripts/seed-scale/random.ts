/**
 * Seeded pseudo-random numbers, so the same size and seed always give the same dataset. mulberry32 is
 * small and fast enough for tens of millions of draws; it is not meant for anything secret.
 */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Returns a float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Returns an integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Picks by relative weight; `weights` need not sum to 1. */
  weighted<T>(choices: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, weight] of choices) total += weight;
    let roll = this.next() * total;
    for (const [value, weight] of choices) {
      roll -= weight;
      if (roll < 0) return value;
    }
    return choices[choices.length - 1]![0];
  }

  /** Roughly normal (sum of three uniforms), clamped to [min, max]. */
  around(mean: number, spread: number, min: number, max: number): number {
    const value = mean + ((this.next() + this.next() + this.next()) / 3 - 0.5) * 2 * spread;
    return Math.min(max, Math.max(min, value));
  }

  /** A new generator whose sequence does not depend on how many draws this one makes later. */
  fork(salt: number): Random {
    return new Random(Math.imul(this.state ^ salt, 0x9e3779b1) ^ (salt * 0x85ebca6b));
  }
}

/** Precomputed weighted choice for hot loops: one draw and a binary search instead of a linear walk. */
export class WeightedTable<T> {
  private readonly values: T[];
  private readonly cumulative: number[];

  constructor(choices: readonly (readonly [T, number])[]) {
    this.values = choices.map(([value]) => value);
    this.cumulative = [];
    let total = 0;
    for (const [, weight] of choices) {
      total += weight;
      this.cumulative.push(total);
    }
    this.cumulative = this.cumulative.map((value) => value / total);
  }

  draw(random: Random): T {
    const roll = random.next();
    let low = 0;
    let high = this.cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.cumulative[middle]! > roll) high = middle;
      else low = middle + 1;
    }
    return this.values[low]!;
  }
}
